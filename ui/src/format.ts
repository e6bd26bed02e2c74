/**
 * Display formatting for money, carbon, counts, rates and times, in the user's locale.
 *
 * Money stays an integer count of minor units everywhere in the UI; the only division happens
 * here, as the last step before `Intl.NumberFormat` draws it. The number of minor digits comes
 * from ICU's data for the currency (JPY 0, CNY 2, KWD 3), never from a table of our own.
 * Functions that depend on "now" take it as an argument so tests need no fake clock.
 */

const numberFormats = new Map<string, Intl.NumberFormat>();

/** A cached `Intl.NumberFormat`: bill lists format hundreds of figures per render. */
function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

/** How many minor units digits `currency` has (2 for CNY, 0 for JPY). */
export function minorDigits(currency: string): number {
  const options = { style: "currency", currency } as const;
  return numberFormat("en", options).resolvedOptions().maximumFractionDigits ?? 2;
}

/** The display value of a count of minor units; only for drawing, never for sums. */
export function minorToMajor(minor: number, currency: string): number {
  return minor / 10 ** minorDigits(currency);
}

/**
 * Formats `minor` units of `currency`, e.g. (129900, "CNY", "en") -> "¥1,299.00".
 *
 * `signed` puts a plus sign on positive amounts, for changes.
 */
export function formatMoney(
  minor: number,
  currency: string,
  locale: string,
  signed = false,
): string {
  const format = numberFormat(locale, {
    style: "currency",
    currency,
    currencyDisplay: "narrowSymbol",
    signDisplay: signed ? "exceptZero" : "auto",
  });
  return format.format(minorToMajor(minor, currency));
}

/** Formats a `Money` value, e.g. { minor: 129900, currency: "CNY" } -> "¥1,299.00". */
export function formatAmount(amount: { minor: number; currency: string }, locale: string): string {
  return formatMoney(amount.minor, amount.currency, locale);
}

/**
 * Formats a chart axis tick, which Chart.js computes in major units, e.g. 12000 -> "¥12K".
 */
export function formatAxisMoney(major: number, currency: string, locale: string): string {
  const format = numberFormat(locale, {
    style: "currency",
    currency,
    currencyDisplay: "narrowSymbol",
    notation: "compact",
  });
  return format.format(major);
}

/** Formats grams of CO2e: kilograms with one decimal from 1000 g on, whole grams below. */
export function formatCarbon(grams: number, locale: string): string {
  if (Math.abs(grams) >= 1000) {
    const kg = { style: "unit", unit: "kilogram", unitDisplay: "short" } as const;
    return numberFormat(locale, {
      ...kg,
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    }).format(grams / 1000);
  }
  const g = {
    style: "unit",
    unit: "gram",
    unitDisplay: "short",
    maximumFractionDigits: 0,
  } as const;
  return numberFormat(locale, g).format(grams);
}

/**
 * Formats a factor's value or a method's input with every digit it has (up to 10 decimals), so
 * the arithmetic can be redone from what is shown, e.g. 0.4222054752 -> "0.4222054752".
 */
export function formatExact(value: number, locale: string): string {
  return numberFormat(locale, { maximumFractionDigits: 10 }).format(value);
}

/** Formats a whole count with the locale's grouping. */
export function formatCount(count: number, locale: string): string {
  return numberFormat(locale, { maximumFractionDigits: 0 }).format(count);
}

/** Formats a ratio as a percentage, e.g. 0.123 -> "12.3%" (signed: "+12.3%"). */
export function formatPercent(ratio: number, locale: string, signed = false): string {
  return numberFormat(locale, {
    style: "percent",
    maximumFractionDigits: 1,
    signDisplay: signed ? "exceptZero" : "auto",
  }).format(ratio);
}

/**
 * Formats a rate given in percent with exactly two decimals, e.g. 13.0316 -> "13.03%"; stated
 * rates in basis points go through it as `bp / 100`.
 *
 * Two fixed decimals keep rates comparable at a glance, in a column or side by side.
 */
export function formatRate(pct: number, locale: string): string {
  return numberFormat(locale, {
    style: "percent",
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(pct / 100);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Formats an instant as a date and time in the user's time zone (or `timeZone`, for tests).
 */
export function formatDateTime(iso: string, locale: string, timeZone?: string): string {
  const format = new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "short",
    ...(timeZone === undefined ? {} : { timeZone }),
  });
  return format.format(new Date(iso));
}

/**
 * Formats a calendar date ("2025-03-31") or the date of an instant.
 *
 * A bare date has no time zone, so it is drawn in UTC to keep it from moving a day.
 */
export function formatDate(value: string, locale: string, timeZone?: string): string {
  if (DATE_ONLY.test(value)) {
    const format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
    return format.format(new Date(`${value}T00:00:00Z`));
  }
  const zone = timeZone === undefined ? {} : { timeZone };
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", ...zone }).format(new Date(value));
}

/** Formats a "YYYY-MM" month, e.g. "2024-05" -> "May 24" (short) or "May 2024" (long). */
export function formatMonth(month: string, locale: string, style: "short" | "long"): string {
  const [year, monthIndex] = parseMonth(month);
  const format = new Intl.DateTimeFormat(locale, {
    month: style === "short" ? "short" : "long",
    year: style === "short" ? "2-digit" : "numeric",
    timeZone: "UTC",
  });
  return format.format(new Date(Date.UTC(year, monthIndex, 1)));
}

/** Splits "YYYY-MM" into a year and a zero-based month index. */
export function parseMonth(month: string): [number, number] {
  const [year = "1970", mm = "01"] = month.split("-");
  return [Number(year), Number(mm) - 1];
}

/** The "YYYY-MM" month `delta` months after `month` (negative goes back). */
export function addMonths(month: string, delta: number): string {
  const [year, monthIndex] = parseMonth(month);
  const total = year * 12 + monthIndex + delta;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}`;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Whole calendar days from the date of `nowMs` in `timeZone` (the user's own when absent) to
 * the calendar date `date` ("YYYY-MM-DD"): 0 today, 1 tomorrow, negative once it has passed.
 */
export function daysUntil(date: string, nowMs: number, timeZone?: string): number {
  // The zone's calendar date from its parts: no locale writes dates the same way everywhere
  // (WebKit's en-CA, for one, does not give YYYY-MM-DD), so never parse formatted text.
  const parts = new Intl.DateTimeFormat("en-US", {
    year: "numeric",
    month: "numeric",
    day: "numeric",
    ...(timeZone === undefined ? {} : { timeZone }),
  }).formatToParts(new Date(nowMs));
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value);
  const start = Date.UTC(part("year"), part("month") - 1, part("day"));
  const [year, month, day] = date.split("-").map(Number);
  const target = Date.UTC(year ?? NaN, (month ?? NaN) - 1, day ?? NaN);
  return Math.round((target - start) / DAY_MS);
}

/** Formats a number of days ahead, e.g. 0 -> "today", 1 -> "tomorrow", 5 -> "in 5 days". */
export function formatDaysAhead(days: number, locale: string): string {
  // Intl throws a RangeError on NaN; an unreadable date must not take the screen down.
  if (!Number.isFinite(days)) return "";
  return new Intl.RelativeTimeFormat(locale, { numeric: "auto" }).format(days, "day");
}

/** Seconds under which a past instant reads as "just now". */
export const JUST_NOW_SECONDS = 45;

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/**
 * Formats how long ago (or ahead) `iso` is from `nowMs`, e.g. "5 minutes ago", "yesterday".
 *
 * Under a minute it says "now"; callers wanting "just now" wording check `JUST_NOW_SECONDS`.
 */
export function formatRelativeTime(iso: string, nowMs: number, locale: string): string {
  const seconds = (new Date(iso).getTime() - nowMs) / 1000;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });

  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) {
      return format.format(Math.trunc(seconds / size), unit);
    }
  }
  return format.format(0, "second");
}
