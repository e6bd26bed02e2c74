/**
 * Sets up i18next with the English and Simplified Chinese messages bundled into the app, and
 * keeps the user's language choice.
 *
 * The language follows the system (`navigator.languages`: any `zh*` tag gets zh-CN, everything
 * else English) until the user picks one in Settings; the pick is remembered in localStorage
 * and read back by i18next's browser language detector at the next start. Messages are bundled
 * (no HTTP backend), so the first render already has its text.
 */
import i18next from "i18next";
import LanguageDetector from "i18next-browser-languagedetector";
import { initReactI18next, useTranslation } from "react-i18next";

import en from "./locales/en.json";
import zhCN from "./locales/zh-CN.json";

export type Language = "en" | "zh-CN";

/** What the user picked in Settings: a language, or whatever the system uses. */
export type LanguageChoice = "system" | Language;

export const LANGUAGES: readonly Language[] = ["zh-CN", "en"];

/** The localStorage key holding the picked language; absent means "follow the system". */
export const LANGUAGE_KEY = "greenmile.language";

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

/** The language the system asks for. */
export function systemLanguage(): Language {
  return pickLanguage(navigator.languages[0] ?? navigator.language);
}

function setDocumentLanguage(language: string): void {
  document.documentElement.lang = language;
}

/**
 * Starts i18next; resolves once the messages are ready. Without `language` it is the one
 * remembered from Settings, else the system's.
 */
export async function initI18n(language?: Language) {
  i18next.on("languageChanged", setDocumentLanguage);
  await i18next
    .use(LanguageDetector)
    .use(initReactI18next)
    .init({
      resources,
      lng: language,
      fallbackLng: "en",
      detection: {
        order: ["localStorage", "navigator"],
        lookupLocalStorage: LANGUAGE_KEY,
        // Only an explicit pick is written, by `chooseLanguage`: a detected language stored
        // here would stop the app from following the system when the system changes.
        caches: [],
        convertDetectedLanguage: pickLanguage,
      },
      // React escapes what it renders; escaping here too would show "&amp;".
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  setDocumentLanguage(i18next.language);
  return i18next;
}

/** The remembered choice; anything unreadable counts as "system". */
export function storedLanguageChoice(): LanguageChoice {
  try {
    const value = localStorage.getItem(LANGUAGE_KEY);
    return value === "en" || value === "zh-CN" ? value : "system";
  } catch {
    return "system";
  }
}

/** Remembers `choice` and switches the UI to it. */
export async function chooseLanguage(choice: LanguageChoice): Promise<void> {
  try {
    if (choice === "system") localStorage.removeItem(LANGUAGE_KEY);
    else localStorage.setItem(LANGUAGE_KEY, choice);
  } catch {
    // TODO(settings): with storage switched off the pick holds only until the app closes.
  }
  await i18next.changeLanguage(choice === "system" ? systemLanguage() : choice);
}

function onSystemLanguageChange(): void {
  if (storedLanguageChoice() === "system") void i18next.changeLanguage(systemLanguage());
}

/**
 * Switches the UI when the system's language changes while the choice is "system". Returns
 * the function that stops listening.
 */
export function followSystemLanguage(): () => void {
  window.addEventListener("languagechange", onSystemLanguageChange);
  return () => {
    window.removeEventListener("languagechange", onSystemLanguageChange);
  };
}

/** The locale to format numbers and dates with: the UI language. */
export function useLocale(): string {
  const { i18n } = useTranslation();
  return i18n.language;
}
