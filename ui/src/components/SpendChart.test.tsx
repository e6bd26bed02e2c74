import { render } from "@testing-library/react";
import type { ChartConfiguration, TooltipItem } from "chart.js";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { MonthPoint } from "../bindings";
import { SpendChart } from "./SpendChart";

/** The configuration each chart was built with; jsdom cannot paint, so Chart.js is replaced. */
const built: ChartConfiguration<"bar", number[], string>[] = [];

vi.mock("chart.js", () => {
  class FakeChart {
    static register() {
      return undefined;
    }

    constructor(_context: unknown, config: ChartConfiguration<"bar", number[], string>) {
      built.push(config);
    }

    destroy() {
      return undefined;
    }
  }
  const part = {};
  return {
    Chart: FakeChart,
    BarController: part,
    BarElement: part,
    CategoryScale: part,
    Legend: part,
    LinearScale: part,
    Tooltip: part,
  };
});

const may: MonthPoint = {
  month: "2025-05",
  spend_minor: 9900,
  carbon_g: 0,
  carbon_measured_g: 0,
  carbon_estimated_g: 0,
  carbon_unknown: 3,
  bills: 3,
};
const june: MonthPoint = {
  month: "2025-06",
  spend_minor: 129900,
  carbon_g: 4250,
  carbon_measured_g: 2310,
  carbon_estimated_g: 1940,
  carbon_unknown: 2,
  bills: 12,
};

/** A tooltip item for dataset `datasetIndex` of month `dataIndex`, as far as the chart reads it. */
function item(datasetIndex: number, dataIndex: number) {
  return { datasetIndex, dataIndex } as TooltipItem<"bar">;
}

function chartConfig() {
  render(<SpendChart series={[may, june]} currency="CNY" />);
  const config = built.at(-1);
  if (config === undefined) throw new Error("no chart was built");
  return config;
}

describe("SpendChart", () => {
  beforeEach(() => {
    built.length = 0;
    vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue(
      {} as CanvasRenderingContext2D,
    );
  });

  it("stacks measured and estimated carbon as two datasets beside the spend", () => {
    const config = chartConfig();

    const [spend, measured, estimated] = config.data.datasets;
    expect(spend?.stack).toBe("spend");
    expect(measured?.label).toBe("Carbon measured (kg)");
    expect(measured?.data).toEqual([0, 2.31]);
    expect(estimated?.label).toBe("Carbon estimated (kg)");
    expect(estimated?.data).toEqual([0, 1.94]);
    expect([measured?.stack, estimated?.stack]).toEqual(["carbon", "carbon"]);
    expect(config.options?.scales?.carbon?.stacked).toBe(true);
  });

  it("reads a month whose carbon is all unknown as unknown (N bills), not 0 g", () => {
    const tooltip = chartConfig().options?.plugins?.tooltip;
    const label = tooltip?.callbacks?.label as (item: TooltipItem<"bar">) => string;
    const footer = tooltip?.callbacks?.footer as (items: TooltipItem<"bar">[]) => string;
    const filter = tooltip?.filter as (item: TooltipItem<"bar">) => boolean;

    expect(label(item(1, 0))).toBe("Carbon saved: unknown (3 bills)");
    expect(filter(item(2, 0))).toBe(false);
    expect(footer([item(0, 0)])).toBe("");

    expect(label(item(1, 1))).toBe("Measured: 2.3 kg");
    expect(label(item(2, 1))).toBe("Estimated: 1.9 kg");
    expect(filter(item(2, 1))).toBe(true);
    expect(footer([item(0, 1)])).toBe("+ unknown (2 bills)");
  });
});
