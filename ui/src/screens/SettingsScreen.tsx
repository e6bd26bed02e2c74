/**
 * Settings: the account (sign in or out), the UI language, the colour theme, native
 * notifications (opt-in), and About (the app's version and which mode it runs in, with what
 * the demo is and its persona).
 *
 * The language and theme take effect at once and are remembered on this device (see i18n.ts and
 * theme.ts); neither goes through the Rust side, so they work before any sync.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import type { AppError, AppStatus, Persona } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { toAppError } from "../errors";
import {
  chooseLanguage,
  LANGUAGES,
  storedLanguageChoice,
  systemLanguage,
  type Language,
  type LanguageChoice,
} from "../i18n";
import * as ipc from "../ipc";
import { chooseTheme, THEME_CHOICES, useThemeChoice } from "../theme";
import { AccountSection } from "./AccountSection";

/**
 * The opt-in for native notifications: off until turned on, read from and saved on the Rust
 * side (a setting in the cache).
 */
function NotificationSetting() {
  const { t } = useTranslation();
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    let live = true;
    ipc.notificationsEnabled().then(
      (on) => {
        if (live) setEnabled(on);
      },
      (reason: unknown) => {
        if (live) setError(toAppError(reason));
      },
    );
    return () => {
      live = false;
    };
  }, []);

  const toggle = async (on: boolean) => {
    setError(null);
    try {
      setEnabled(await ipc.setNotifications(on));
    } catch (reason) {
      setError(toAppError(reason));
    }
  };

  return (
    <section className="card" aria-labelledby="settings-notifications">
      <h2 id="settings-notifications">{t("settings.notifications")}</h2>
      <label className="check-field">
        <input
          type="checkbox"
          data-testid="notifications-toggle"
          checked={enabled === true}
          disabled={enabled === null}
          aria-describedby="notifications-hint"
          onChange={(event) => void toggle(event.target.checked)}
        />
        {t("settings.notificationsLabel")}
      </label>
      <p id="notifications-hint" className="field-hint">
        {t("settings.notificationsHint")}
      </p>
      {error !== null && <ErrorNotice error={error} />}
    </section>
  );
}

/** The demo's personas, in the order the picker lists them. */
const PERSONAS: readonly Persona[] = ["household", "student", "ev_driver"];

/** Each language by its own name, the same in every UI language. */
const LANGUAGE_NAMES: Record<Language, string> = {
  "zh-CN": "简体中文",
  en: "English",
};

interface SettingsScreenProps {
  status: AppStatus;
  /** Starts the demo afresh as a persona; without it the persona cannot be switched. */
  onResetDemo?: (persona: Persona) => void;
}

export function SettingsScreen({ status, onResetDemo }: SettingsScreenProps) {
  const { t } = useTranslation();
  const [language, setLanguage] = useState<LanguageChoice>(storedLanguageChoice);
  const shown = status.demo_persona ?? "household";
  const [persona, setPersona] = useState<Persona>(shown);
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

      <NotificationSetting />

      <section className="card" aria-labelledby="settings-about">
        <h2 id="settings-about">{t("settings.about")}</h2>
        <dl className="facts about-facts">
          <div>
            <dt>{t("settings.version")}</dt>
            <dd data-testid="app-version">{status.version}</dd>
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
        {status.mode === "demo" && onResetDemo !== undefined && (
          <div className="persona-pick">
            <div className="form-field">
              <label htmlFor="demo-persona">{t("settings.persona")}</label>
              <select
                id="demo-persona"
                data-testid="demo-persona"
                value={persona}
                aria-describedby="demo-persona-hint"
                onChange={(event) => {
                  const value = PERSONAS.find((p) => p === event.target.value);
                  if (value !== undefined) setPersona(value);
                }}
              >
                {PERSONAS.map((name) => (
                  <option key={name} value={name}>
                    {t(`demo.persona.${name}`)}
                  </option>
                ))}
              </select>
              <span id="demo-persona-hint" className="field-hint">
                {t("settings.personaHint")}
              </span>
            </div>
            <button
              type="button"
              className="button"
              data-testid="demo-persona-show"
              disabled={persona === shown && status.demo_persona !== null}
              onClick={() => {
                onResetDemo(persona);
              }}
            >
              {t("settings.personaShow")}
            </button>
          </div>
        )}
      </section>
    </div>
  );
}
