/**
 * The bill screen's filter form and the core's `BillFilter` it becomes.
 *
 * The form keeps what was typed, as text; `toBillFilter` turns it into the filter the Rust
 * side reads, or says which field cannot be read. Amounts are typed in yuan and sent as fen:
 * the conversion works on the digits, never through floating point.
 */
import type { BillFilter, BillSource, Certification, GreenCategory } from "./bindings";
import { isGreenCategory } from "./categories";

/** The certification levels, weakest first, as the filter offers them. */
export const CERTIFICATIONS: readonly Certification[] = [
  "unverified",
  "self_declared",
  "platform_reviewed",
  "finance_certified",
];

export interface FilterForm {
  search: string;
  category: GreenCategory | "";
  certification: Certification | "";
  source: BillSource | "";
  /** `YYYY-MM-DD`, as a date input gives it, or "". */
  from: string;
  to: string;
  /** Yuan, as typed. */
  minAmount: string;
  maxAmount: string;
}

export const EMPTY_FORM: FilterForm = {
  search: "",
  category: "",
  certification: "",
  source: "",
  from: "",
  to: "",
  minAmount: "",
  maxAmount: "",
};

/** A form field whose text cannot become part of the filter. */
export type FilterProblem = "minAmount" | "maxAmount" | "amountOrder" | "dateOrder";

export function isCertification(value: string): value is Certification {
  return (CERTIFICATIONS as readonly string[]).includes(value);
}

export function parseCategory(value: string): GreenCategory | "" {
  return isGreenCategory(value) ? value : "";
}

export function parseSource(value: string): BillSource | "" {
  return value === "api" || value === "file" ? value : "";
}

/**
 * Yuan typed as text ("12", "12.5", "1,072.50") as fen; `null` for an empty field and
 * `undefined` for text that is not an amount of at most two decimals.
 */
export function yuanToFen(text: string): number | null | undefined {
  const trimmed = text.trim().replaceAll(",", "");
  if (trimmed === "") return null;

  const match = /^(\d{1,12})(?:\.(\d{0,2}))?$/.exec(trimmed);
  if (match === null) return undefined;
  const whole = match[1] ?? "0";
  const fraction = (match[2] ?? "").padEnd(2, "0");
  return Number(whole) * 100 + Number(fraction);
}

/** The filter the form describes, or (as `null`) the fields that stop it. */
export function toBillFilter(form: FilterForm): {
  filter: BillFilter | null;
  problems: FilterProblem[];
} {
  const problems: FilterProblem[] = [];
  const min = yuanToFen(form.minAmount);
  const max = yuanToFen(form.maxAmount);
  if (min === undefined) problems.push("minAmount");
  if (max === undefined) problems.push("maxAmount");
  if (typeof min === "number" && typeof max === "number" && min > max) {
    problems.push("amountOrder");
  }
  if (form.from !== "" && form.to !== "" && form.from > form.to) problems.push("dateOrder");
  if (problems.length > 0) return { filter: null, problems };

  const filter: BillFilter = {};
  const search = form.search.trim();
  if (search !== "") filter.search = search;
  if (form.category !== "") filter.category = form.category;
  if (form.certification !== "") filter.certification = form.certification;
  if (form.source !== "") filter.source = form.source;
  if (form.from !== "") filter.from = form.from;
  if (form.to !== "") filter.to = form.to;
  if (typeof min === "number") filter.min_amount_minor = min;
  if (typeof max === "number") filter.max_amount_minor = max;
  return { filter, problems: [] };
}

/** Whether the form narrows the list at all. */
export function isFiltered(form: FilterForm): boolean {
  return Object.entries(form).some(([, value]) => value !== "");
}
