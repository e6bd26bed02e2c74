/**
 * Says what went wrong and what to do, in the user's language, chosen by the error's code; the
 * English message from the Rust side is kept as a detail for support.
 */
import { useTranslation } from "react-i18next";

import type { AppError } from "../bindings";
import { errorTitleKey } from "../errors";

interface ErrorNoticeProps {
  error: AppError;
  /** False before the first sync finished, when there is no saved data to fall back on. */
  hasSavedData?: boolean;
  /** Shown as a "Try again" button when given. */
  onRetry?: () => void;
}

export function ErrorNotice({ error, hasSavedData = true, onRetry }: ErrorNoticeProps) {
  const { t } = useTranslation();

  return (
    <div className="notice notice-error" role="alert" data-code={error.code}>
      <p className="notice-title">{t(errorTitleKey(error.code, hasSavedData))}</p>
      <p>{t(`errors.${error.code}.action`)}</p>
      {error.message !== "" && (
        <details className="notice-details">
          <summary>{t("sync.details")}</summary>
          <code>{error.message}</code>
        </details>
      )}
      {onRetry !== undefined && (
        <button type="button" className="button" onClick={onRetry}>
          {t("common.retry")}
        </button>
      )}
    </div>
  );
}
