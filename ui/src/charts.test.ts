import { describe, expect, it } from "vitest";

import { monthSeries } from "./charts";

describe("monthSeries", () => {
  it("covers every month of the window, oldest first, filling months without bills", () => {
    const series = monthSeries(
      [
        { month: "2024-12", spend_minor: 500, carbon_g: 40, bills: 1 },
        { month: "2025-02", spend_minor: 900, carbon_g: 70, bills: 2 },
      ],
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
  });

  it("shows 24 months by default and leaves out older ones", () => {
    const series = monthSeries(
      [{ month: "2020-01", spend_minor: 1, carbon_g: 1, bills: 1 }],
      "2025-06",
    );

    expect(series).toHaveLength(24);
    expect(series[0]?.month).toBe("2023-07");
    expect(series.every((point) => point.bills === 0)).toBe(true);
  });
});
