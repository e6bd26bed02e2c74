import { describe, expect, it } from "vitest";

import { resolveTheme, storedThemeChoice, THEME_KEY } from "./theme";

describe("theme", () => {
  it("paints an explicit choice whatever the system says, and the system's colours otherwise", () => {
    expect(resolveTheme("light", true)).toBe("light");
    expect(resolveTheme("dark", false)).toBe("dark");
    expect(resolveTheme("system", true)).toBe("dark");
    expect(resolveTheme("system", false)).toBe("light");
  });

  it("reads back a stored choice and treats anything else as following the system", () => {
    expect(storedThemeChoice()).toBe("system");

    localStorage.setItem(THEME_KEY, "dark");
    expect(storedThemeChoice()).toBe("dark");

    localStorage.setItem(THEME_KEY, "purple");
    expect(storedThemeChoice()).toBe("system");
  });
});
