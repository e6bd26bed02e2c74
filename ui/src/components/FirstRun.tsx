/**
 * What a user sees before the first sync has finished: a friendly "Preparing your demo data…"
 * with the sync's progress, instead of empty charts; or what went wrong, with a retry.
 */
import { useTranslation } from "react-i18next";

import type { Mode } from "../bindings";
import type { SyncState } from "../sync";
import { ErrorNotice } from "./ErrorNotice";
import { ProgressBar } from "./ProgressBar";

interface FirstRunProps {
  mode: Mode;
  sync: SyncState;
  onRetry: () => void;
}

export function FirstRun({ mode, sync, onRetry }: FirstRunProps) {
  const { t } = useTranslation();
  const title = mode === "demo" ? t("firstRun.demo") : t("firstRun.connected");

  if (sync.phase === "error" && sync.error !== null) {
    return (
      <section className="first-run" data-testid="first-run" data-state="error">
        <h2>{t("firstRun.failed")}</h2>
        <ErrorNotice error={sync.error} hasSavedData={false} onRetry={onRetry} source="sync" />
      </section>
    );
  }

  const progress = t("sync.syncing", { count: sync.applied });
  return (
    <section className="first-run" data-testid="first-run" data-state="syncing">
      <span className="first-run-mark" aria-hidden="true" />
      <h2>{title}</h2>
      <p>{t("firstRun.body")}</p>
      <ProgressBar label={t("sync.progress")} valueText={progress} />
      <p className="first-run-count" aria-live="polite">
        {progress}
      </p>
    </section>
  );
}
