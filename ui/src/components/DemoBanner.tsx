/**
 * The banner that marks the demo on every page: whose sample data is shown, and "Reset demo",
 * which starts the demo afresh for the next visitor after a confirmation in place (it removes
 * what this visitor did: imports, quiz answers, settings).
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { Persona } from "../bindings";

interface DemoBannerProps {
  persona: Persona | null;
  /** While a sync or reset runs, the demo cannot be reset again. */
  busy: boolean;
  onReset: () => void;
}

export function DemoBanner({ persona, busy, onReset }: DemoBannerProps) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const who = t(`demo.persona.${persona ?? "household"}`);

  return (
    <aside className="demo-banner" data-testid="demo-banner" aria-label={t("demo.label")}>
      <p>
        <strong>{t("demo.title", { who })}</strong> {t("demo.note")}
      </p>
      {confirming ? (
        <div className="demo-confirm" role="group" aria-label={t("demo.confirmLabel")}>
          <span>{t("demo.confirm")}</span>
          <button
            type="button"
            className="button"
            data-testid="demo-reset-confirm"
            onClick={() => {
              setConfirming(false);
              onReset();
            }}
          >
            {t("demo.resetNow")}
          </button>
          <button
            type="button"
            className="button button-quiet"
            onClick={() => {
              setConfirming(false);
            }}
          >
            {t("common.cancel")}
          </button>
        </div>
      ) : (
        <button
          type="button"
          className="button button-quiet"
          data-testid="demo-reset"
          disabled={busy}
          onClick={() => {
            setConfirming(true);
          }}
        >
          {busy ? t("demo.resetting") : t("demo.reset")}
        </button>
      )}
    </aside>
  );
}
