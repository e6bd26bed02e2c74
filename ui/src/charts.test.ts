import { describe, expect, it } from "vitest";

import type { MonthPoint } from "./bindings";
import { monthSeries } from "./charts";

/** A month whose carbon is all measured. */
function monthPoint(
  month: string,
  spend_minor: number,
  carbon_g: number,
  bills: number,
): MonthPoint {
  return {
    month,
    spend_minor,
    carbon_g,
    carbon_measured_g: carbon_g,
    carbon_estimated_g: 0,
    carbon_unknown: 0,
    bills,
  };
}

describe("monthSeries", () => {
  it("covers every month of the window, oldest first, filling months without bills", () => {
    const series = monthSeries(
      [monthPoint("2024-12", 500, 40, 1), monthPoint("2025-02", 900, 70, 2)],
      "2025-02",
      4,
    );

    expect(series.map((point) => point.month)).toEqual([
      "2024-11",
      "2024-12",
      "2025-01",
      "2025-02",
    ]);
    expect(series.map((point) => point.spend_minor)).toEqual([0, 500, 0, 900]);
    expect(series[2]).toEqual({
      month: "2025-01",
      spend_minor: 0,
      carbon_g: 0,
      carbon_measured_g: 0,
      carbon_estimated_g: 0,
      carbon_unknown: 0,
      bills: 0,
    });
  });

  it("shows 24 months by default and leaves out older ones", () => {
    const series = monthSeries([monthPoint("2020-01", 1, 1, 1)], "2025-06");

    expect(series).toHaveLength(24);
    expect(series[0]?.month).toBe("2023-07");
    expect(series.every((point) => point.bills === 0)).toBe(true);
  });
});
