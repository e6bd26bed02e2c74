import { describe, expect, it } from "vitest";

import { applyPlatform, resolveTheme, storedThemeChoice, THEME_KEY } from "./theme";

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

describe("applyPlatform", () => {
  it("marks desktop Linux only, where the fonts are named as fontconfig knows them", () => {
    const root = document.documentElement;
    applyPlatform("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko)");
    expect(root.dataset.platform).toBe("linux");
    applyPlatform("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36");
    expect(root.dataset.platform).toBeUndefined();
    applyPlatform("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15");
    expect(root.dataset.platform).toBeUndefined();
    applyPlatform("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Edg/131.0");
    expect(root.dataset.platform).toBeUndefined();
  });
});
