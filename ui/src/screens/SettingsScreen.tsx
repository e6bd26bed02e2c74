/**
 * Settings: the account (sign in or out), the UI language, the colour theme, and About (the app's version and which mode it
 * runs in, with what the demo is).
 *
 * Both choices take effect at once and are remembered on this device (see i18n.ts and
 * theme.ts); neither goes through the Rust side, so they work before any sync.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { AppStatus } from "../bindings";
import {
  chooseLanguage,
  LANGUAGES,
  storedLanguageChoice,
  systemLanguage,
  type Language,
  type LanguageChoice,
} from "../i18n";
import { chooseTheme, THEME_CHOICES, useThemeChoice } from "../theme";
import { AccountSection } from "./AccountSection";

/** Each language by its own name, the same in every UI language. */
const LANGUAGE_NAMES: Record<Language, string> = {
  "zh-CN": "简体中文",
  en: "English",
};

export function SettingsScreen({ status }: { status: AppStatus }) {
  const { t } = useTranslation();
  const [language, setLanguage] = useState<LanguageChoice>(storedLanguageChoice);
  const theme = useThemeChoice();

  const pickLanguage = (choice: LanguageChoice) => {
    setLanguage(choice);
    void chooseLanguage(choice);
  };

  return (
    <div className="settings" data-testid="settings">
      <AccountSection status={status} />

      <section className="card">
        <fieldset className="choices">
          <legend>
            <h2>{t("settings.language")}</h2>
          </legend>
          <label className="check">
            <input
              type="radio"
              name="language"
              checked={language === "system"}
              onChange={() => {
                pickLanguage("system");
              }}
            />
            {t("settings.languageSystem", { language: LANGUAGE_NAMES[systemLanguage()] })}
          </label>
          {LANGUAGES.map((code) => (
            <label key={code} className="check" lang={code}>
              <input
                type="radio"
                name="language"
                checked={language === code}
                onChange={() => {
                  pickLanguage(code);
                }}
              />
              {LANGUAGE_NAMES[code]}
            </label>
          ))}
        </fieldset>
      </section>

      <section className="card">
        <fieldset className="choices" aria-describedby="theme-hint">
          <legend>
            <h2>{t("settings.theme")}</h2>
          </legend>
          <p id="theme-hint" className="muted">
            {t("settings.themeHint")}
          </p>
          {THEME_CHOICES.map((choice) => (
            <label key={choice} className="check">
              <input
                type="radio"
                name="theme"
                checked={theme === choice}
                onChange={() => {
                  chooseTheme(choice);
                }}
              />
              {t(`settings.theme_${choice}`)}
            </label>
          ))}
        </fieldset>
      </section>

      <section className="card" aria-labelledby="settings-about">
        <h2 id="settings-about">{t("settings.about")}</h2>
        <dl className="facts about-facts">
          <div>
            <dt>{t("settings.version")}</dt>
            <dd data-testid="app-version">{__APP_VERSION__}</dd>
          </div>
          <div>
            <dt>{t("settings.mode")}</dt>
            <dd>{t(`settings.mode_${status.mode}`)}</dd>
          </div>
        </dl>
        <p className="about-note">
          {status.mode === "demo"
            ? t("settings.demoNote")
            : t("settings.connectedNote", { server: status.server_url ?? t("common.unknown") })}
        </p>
      </section>
    </div>
  );
}
