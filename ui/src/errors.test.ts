import { describe, expect, it } from "vitest";

import { AppFailure, errorActionKey, errorTitleKey, toAppError } from "./errors";

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

describe("error wording", () => {
  it("blames the server address or a setting, never a filter, for invalid input from a sync", () => {
    expect(errorTitleKey("invalid_input", true, "sync")).toBe("errors.invalid_input.syncTitle");
    expect(errorActionKey("invalid_input", "sync")).toBe("errors.invalid_input.syncAction");
  });

  it("keeps the filter wording for invalid input from a screen's own request", () => {
    expect(errorTitleKey("invalid_input", true, "screen")).toBe("errors.invalid_input.title");
    expect(errorActionKey("invalid_input", "screen")).toBe("errors.invalid_input.action");
  });

  it("says nothing is saved yet when offline before the first sync, wherever it was met", () => {
    expect(errorTitleKey("server_unreachable", false, "sync")).toBe(
      "errors.server_unreachable.titleNoData",
    );
    expect(errorTitleKey("server_unreachable", true, "screen")).toBe(
      "errors.server_unreachable.title",
    );
  });
});
