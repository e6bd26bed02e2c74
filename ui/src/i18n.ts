/**
 * Sets up i18next with the English and Simplified Chinese messages bundled into the app.
 *
 * The language follows `navigator.language`: any `zh*` tag gets zh-CN, everything else English.
 * Messages are bundled (no HTTP backend), so the first render already has its text.
 */
import i18next from "i18next";
import { initReactI18next, useTranslation } from "react-i18next";

import en from "./locales/en.json";
import zhCN from "./locales/zh-CN.json";

export type Language = "en" | "zh-CN";

export const resources = {
  en: { translation: en },
  "zh-CN": { translation: zhCN },
} as const;

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: typeof en };
  }
}

/** The UI language for a BCP 47 tag such as `navigator.language`. */
export function pickLanguage(tag: string | undefined): Language {
  return tag?.toLowerCase().startsWith("zh") === true ? "zh-CN" : "en";
}

/** Starts i18next for `language`; resolves once the messages are ready. */
export async function initI18n(language: Language = pickLanguage(navigator.language)) {
  await i18next.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: "en",
    // React escapes what it renders; escaping here too would show "&amp;".
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = language;
  return i18next;
}

/** The locale to format numbers and dates with: the UI language. */
export function useLocale(): string {
  const { i18n } = useTranslation();
  return i18n.language;
}
