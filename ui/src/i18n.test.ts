import i18next from "i18next";
import { describe, expect, it, vi } from "vitest";

import {
  followSystemLanguage,
  initI18n,
  LANGUAGE_KEY,
  pickLanguage,
  storedLanguageChoice,
} from "./i18n";
import en from "./locales/en.json";
import zhCN from "./locales/zh-CN.json";

/** Every message key, with plural suffixes dropped (Chinese has no "_one" form). */
function keys(messages: object, prefix = ""): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === "object" && value !== null
      ? keys(value as object, `${prefix}${key}.`)
      : [`${prefix}${key.replace(/_(one|other)$/, "")}`],
  );
}

describe("i18n", () => {
  it("picks zh-CN for any Chinese tag and English otherwise", () => {
    expect(pickLanguage("zh-CN")).toBe("zh-CN");
    expect(pickLanguage("zh-TW")).toBe("zh-CN");
    expect(pickLanguage("zh")).toBe("zh-CN");
    expect(pickLanguage("en-GB")).toBe("en");
    expect(pickLanguage("fr")).toBe("en");
    expect(pickLanguage(undefined)).toBe("en");
  });

  it("has the same messages in both languages", () => {
    expect([...new Set(keys(zhCN))].sort()).toEqual([...new Set(keys(en))].sort());
  });

  it("reads back a picked language and treats anything else as following the system", () => {
    expect(storedLanguageChoice()).toBe("system");

    localStorage.setItem(LANGUAGE_KEY, "zh-CN");
    expect(storedLanguageChoice()).toBe("zh-CN");

    localStorage.setItem(LANGUAGE_KEY, "fr");
    expect(storedLanguageChoice()).toBe("system");
  });

  it("starts in the system's language until one is picked, then in the picked one", async () => {
    vi.spyOn(navigator, "languages", "get").mockReturnValue(["zh-TW", "en-US"]);
    await initI18n();
    expect(i18next.language).toBe("zh-CN");
    expect(document.documentElement.lang).toBe("zh-CN");
    expect(i18next.t("nav.settings")).toBe("设置");

    localStorage.setItem(LANGUAGE_KEY, "en");
    await initI18n();
    expect(i18next.language).toBe("en");
    expect(document.documentElement.lang).toBe("en");
  });

  it("follows a change of the system's language, unless one was picked", async () => {
    const languages = vi.spyOn(navigator, "languages", "get").mockReturnValue(["zh-CN"]);
    const stop = followSystemLanguage();

    window.dispatchEvent(new Event("languagechange"));
    await vi.waitFor(() => {
      expect(i18next.language).toBe("zh-CN");
    });

    localStorage.setItem(LANGUAGE_KEY, "zh-CN");
    languages.mockReturnValue(["en-GB"]);
    window.dispatchEvent(new Event("languagechange"));
    // Give a wrong switch the time it would take before saying none happened.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(i18next.language).toBe("zh-CN");

    localStorage.removeItem(LANGUAGE_KEY);
    window.dispatchEvent(new Event("languagechange"));
    await vi.waitFor(() => {
      expect(i18next.language).toBe("en");
    });
    stop();
  });
});
