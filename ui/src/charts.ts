/**
 * The data behind the spend-by-month chart, kept apart from Chart.js so it can be tested.
 *
 * The dashboard lists only months that had bills; the chart needs every month of the window,
 * so missing months are filled with zeros (no bill means no spend, no carbon saved and no bill
 * of unknown carbon).
 */
import type { MonthPoint } from "./bindings";
import { addMonths } from "./format";

/** How many months the chart shows, ending with the current month. */
export const CHART_MONTHS = 24;

/** A month without bills. */
function emptyMonth(month: string): MonthPoint {
  return {
    month,
    spend_minor: 0,
    carbon_g: 0,
    carbon_measured_g: 0,
    carbon_estimated_g: 0,
    carbon_unknown: 0,
    bills: 0,
  };
}

/** `count` consecutive months ending with `endMonth`, each with its point or zeros. */
export function monthSeries(
  points: readonly MonthPoint[],
  endMonth: string,
  count = CHART_MONTHS,
): MonthPoint[] {
  const byMonth = new Map(points.map((point) => [point.month, point]));
  const series: MonthPoint[] = [];

  for (let back = count - 1; back >= 0; back -= 1) {
    const month = addMonths(endMonth, -back);
    series.push(byMonth.get(month) ?? emptyMonth(month));
  }
  return series;
}
