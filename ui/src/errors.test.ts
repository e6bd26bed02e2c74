import { describe, expect, it } from "vitest";

import { AppFailure, toAppError } from "./errors";

describe("toAppError", () => {
  it("keeps the typed error a command rejected with", () => {
    const error = { code: "bad_response", message: "expected a JSON page" } as const;

    expect(toAppError(error)).toEqual(error);
    expect(toAppError(new AppFailure(error))).toEqual(error);
  });

  it("treats anything else as internal, keeping its text as the detail", () => {
    expect(toAppError("command dashboard not found")).toEqual({
      code: "internal",
      message: "command dashboard not found",
    });
    expect(toAppError(new TypeError("bridge missing"))).toEqual({
      code: "internal",
      message: "bridge missing",
    });
    expect(toAppError({ code: "not_a_code", message: "?" }).code).toBe("internal");
  });
});
