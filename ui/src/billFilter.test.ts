import { describe, expect, it } from "vitest";

import { EMPTY_FORM, isFiltered, toBillFilter, yuanToFen } from "./billFilter";

describe("yuanToFen", () => {
  it("reads yuan exactly, with up to two decimals and thousands separators", () => {
    expect(yuanToFen("12")).toBe(1200);
    expect(yuanToFen("12.5")).toBe(1250);
    expect(yuanToFen(" 1,072.05 ")).toBe(107205);
    expect(yuanToFen("0.1")).toBe(10);
    expect(yuanToFen("19.99")).toBe(1999);
  });

  it("tells an empty field from text that is not an amount", () => {
    expect(yuanToFen("")).toBeNull();
    expect(yuanToFen("12.345")).toBeUndefined();
    expect(yuanToFen("-3")).toBeUndefined();
    expect(yuanToFen("abc")).toBeUndefined();
  });
});

describe("toBillFilter", () => {
  it("sends only the fields that narrow the list", () => {
    expect(toBillFilter(EMPTY_FORM)).toEqual({ filter: {}, problems: [] });
    const form = {
      ...EMPTY_FORM,
      search: "  地铁 ",
      certification: "finance_certified" as const,
      from: "2026-11-01",
      to: "2026-11-30",
      minAmount: "5",
      maxAmount: "20.5",
    };
    expect(toBillFilter(form)).toEqual({
      filter: {
        search: "地铁",
        certification: "finance_certified",
        from: "2026-11-01",
        to: "2026-11-30",
        min_amount_minor: 500,
        max_amount_minor: 2050,
      },
      problems: [],
    });
    expect(isFiltered(form)).toBe(true);
    expect(isFiltered(EMPTY_FORM)).toBe(false);
  });

  it("names the fields that cannot be read or contradict each other", () => {
    expect(toBillFilter({ ...EMPTY_FORM, minAmount: "x", maxAmount: "1.234" }).problems).toEqual([
      "minAmount",
      "maxAmount",
    ]);
    expect(toBillFilter({ ...EMPTY_FORM, minAmount: "9", maxAmount: "3" }).problems).toEqual([
      "amountOrder",
    ]);
    expect(toBillFilter({ ...EMPTY_FORM, from: "2026-12-01", to: "2026-11-01" }).problems).toEqual([
      "dateOrder",
    ]);
  });
});
