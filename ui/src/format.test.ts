import { describe, expect, it } from "vitest";

import {
  addMonths,
  daysUntil,
  formatAxisMoney,
  formatCarbon,
  formatDate,
  formatDateTime,
  formatDaysAhead,
  formatMoney,
  formatMonth,
  formatPercent,
  formatRate,
  formatRelativeTime,
  minorDigits,
} from "./format";

/** ICU puts narrow no-break spaces in some patterns ("11:30 PM"); compare with plain ones. */
function plain(text: string): string {
  return text.replace(/\s/gu, " ");
}

describe("formatMoney", () => {
  it("divides by the currency's minor digits only to draw the amount", () => {
    expect(formatMoney(129900, "CNY", "en")).toBe("¥1,299.00");
    expect(formatMoney(5, "CNY", "en")).toBe("¥0.05");
    expect(formatMoney(-129900, "CNY", "en")).toBe("-¥1,299.00");
  });

  it("takes the number of minor digits from the currency", () => {
    expect(minorDigits("CNY")).toBe(2);
    expect(minorDigits("JPY")).toBe(0);
    expect(minorDigits("KWD")).toBe(3);
    expect(formatMoney(1299, "JPY", "en")).toBe("¥1,299");
    expect(formatMoney(1299, "KWD", "en")).toMatch(/1\.299/);
  });

  it("keeps amounts exact up to the largest safe integer of minor units", () => {
    expect(formatMoney(1_234_567_890_123, "CNY", "en")).toBe("¥12,345,678,901.23");
  });

  it("signs changes when asked", () => {
    expect(formatMoney(29900, "CNY", "en", true)).toBe("+¥299.00");
    expect(formatMoney(-29900, "CNY", "en", true)).toBe("-¥299.00");
    expect(formatMoney(0, "CNY", "en", true)).toBe("¥0.00");
  });

  it("follows the locale", () => {
    expect(formatMoney(129900, "CNY", "zh-CN")).toBe("¥1,299.00");
    expect(formatMoney(129900, "USD", "en")).toBe("$1,299.00");
  });

  it("abbreviates chart axis values given in major units", () => {
    expect(formatAxisMoney(12000, "CNY", "en")).toBe("¥12K");
  });
});

describe("formatCarbon", () => {
  it("shows whole grams below one kilogram", () => {
    expect(formatCarbon(0, "en")).toBe("0 g");
    expect(formatCarbon(850, "en")).toBe("850 g");
    expect(formatCarbon(999, "en")).toBe("999 g");
  });

  it("shows kilograms with one decimal from 1000 g on", () => {
    expect(formatCarbon(1000, "en")).toBe("1.0 kg");
    expect(formatCarbon(1234, "en")).toBe("1.2 kg");
    expect(formatCarbon(1_250_000, "en")).toBe("1,250.0 kg");
    expect(formatCarbon(-4250, "en")).toBe("-4.3 kg");
  });
});

describe("rates and counts", () => {
  it("formats worked-out rates with two decimals, given in percent", () => {
    expect(formatRate(13.03162529228925, "en")).toBe("13.03%");
    expect(formatRate(7.2, "en")).toBe("7.20%");
    expect(formatRate(0, "zh-CN")).toBe("0.00%");
    expect(formatRate(1275 / 100, "en")).toBe("12.75%");
  });

  it("formats changes with a sign", () => {
    expect(formatPercent(0.299, "en", true)).toBe("+29.9%");
    expect(formatPercent(-0.5, "en", true)).toBe("-50%");
  });
});

describe("dates and months", () => {
  it("draws instants in the given time zone", () => {
    expect(plain(formatDateTime("2025-06-01T23:30:00Z", "en", "UTC"))).toBe(
      "Jun 1, 2025, 11:30 PM",
    );
    expect(plain(formatDateTime("2025-06-01T23:30:00Z", "en", "Asia/Shanghai"))).toBe(
      "Jun 2, 2025, 7:30 AM",
    );
  });

  it("never moves a bare date to another day", () => {
    expect(formatDate("2025-03-31", "en")).toBe("Mar 31, 2025");
    expect(formatDate("2025-03-31T20:00:00Z", "en", "UTC")).toBe("Mar 31, 2025");
  });

  it("names months", () => {
    expect(formatMonth("2024-05", "en", "short")).toBe("May 24");
    expect(formatMonth("2024-05", "en", "long")).toBe("May 2024");
  });

  it("steps months across years", () => {
    expect(addMonths("2025-01", -1)).toBe("2024-12");
    expect(addMonths("2024-12", 1)).toBe("2025-01");
    expect(addMonths("2025-06", -23)).toBe("2023-07");
  });

  it("counts calendar days ahead in the given time zone", () => {
    // 20:00 UTC on 15 June is already 16 June in Shanghai.
    const now = Date.parse("2025-06-15T20:00:00Z");
    expect(daysUntil("2025-06-20", now, "UTC")).toBe(5);
    expect(daysUntil("2025-06-20", now, "Asia/Shanghai")).toBe(4);
    expect(daysUntil("2025-06-16", now, "Asia/Shanghai")).toBe(0);
    expect(daysUntil("2025-06-14", now, "UTC")).toBe(-1);
    expect(formatDaysAhead(0, "en")).toBe("today");
    expect(formatDaysAhead(1, "en")).toBe("tomorrow");
    expect(formatDaysAhead(5, "en")).toBe("in 5 days");
  });

  it("says how long ago", () => {
    const now = Date.parse("2025-06-15T12:00:00Z");
    expect(formatRelativeTime("2025-06-15T11:55:00Z", now, "en")).toBe("5 minutes ago");
    expect(formatRelativeTime("2025-06-15T09:30:00Z", now, "en")).toBe("2 hours ago");
    expect(formatRelativeTime("2025-06-14T10:00:00Z", now, "en")).toBe("yesterday");
    expect(formatRelativeTime("2025-06-15T11:59:50Z", now, "en")).toBe("now");
    expect(formatRelativeTime("2025-06-15T11:55:00Z", now, "zh-CN")).toBe("5分钟前");
  });
});

describe("daysUntil across engines", () => {
  it("counts calendar days from the zone's date parts, not from formatted text", () => {
    // 2025-12-31T20:00Z is already 1 January 2026 in Shanghai.
    const now = Date.parse("2025-12-31T20:00:00Z");
    expect(daysUntil("2026-01-01", now, "Asia/Shanghai")).toBe(0);
    expect(daysUntil("2026-01-01", now, "UTC")).toBe(1);
    expect(daysUntil("2026-03-01", now, "UTC")).toBe(60);
  });

  it("gives NaN for an unreadable date, and that formats as nothing instead of throwing", () => {
    const days = daysUntil("not-a-date", Date.parse("2025-06-15T00:00:00Z"), "UTC");
    expect(Number.isNaN(days)).toBe(true);
    expect(formatDaysAhead(days, "en")).toBe("");
  });
});
