/**
 * How the UI reads carbon figures: when a figure must read "unknown" rather than a number, and
 * which factor licences oblige an attribution wherever the factor's value is shown.
 *
 * The Rust side sums only the bills whose carbon is known and counts the others apart. A sum of
 * nothing is 0 g, which would claim a measured zero; these helpers keep that from the screen.
 */
import type { CategoryPoint, MonthPoint } from "./bindings";

/** The licences whose terms ask for a line of attribution beside the values. */
export type Attribution = "cc_by_sa" | "ogl";

/**
 * Whether a month's or category's carbon has to read "unknown": no known figure added anything
 * and some bills have no figure at all.
 */
export function carbonUnknown(
  point: Pick<MonthPoint | CategoryPoint, "carbon_g" | "carbon_unknown">,
) {
  return point.carbon_g === 0 && point.carbon_unknown > 0;
}

/**
 * The attribution a factor's licence asks for, or null. Matched on the licence's name as the
 * factor table writes it ("CC BY-SA 4.0", "Open Government Licence v3.0 (derived)").
 */
export function attributionFor(licence: string): Attribution | null {
  if (/^CC BY-SA\b/i.test(licence)) return "cc_by_sa";
  if (/^Open Government Licence\b/i.test(licence)) return "ogl";
  return null;
}
