/**
 * Says what went wrong and what to do, in the user's language, chosen by the error's code; the
 * English message from the Rust side is kept as a detail for support.
 */
import { useTranslation } from "react-i18next";

import type { AppError } from "../bindings";
import { detailIsTheAnswer, errorActionKey, errorTitleKey, type ErrorSource } from "../errors";

interface ErrorNoticeProps {
  error: AppError;
  /** False before the first sync finished, when there is no saved data to fall back on. */
  hasSavedData?: boolean;
  /** Shown as a "Try again" button when given. */
  onRetry?: () => void;
  /** What to do, where the code's usual advice does not fit the screen. */
  action?: string;
  /** Shows the English detail open, where it is the only thing saying what to fix. */
  detailsOpen?: boolean;
  /** Where the failure was met: a screen's own request, or a sync. */
  source?: ErrorSource;
}

export function ErrorNotice({
  error,
  hasSavedData = true,
  onRetry,
  action,
  detailsOpen = false,
  source = "screen",
}: ErrorNoticeProps) {
  const { t } = useTranslation();

  return (
    <div className="notice notice-error" role="alert" data-code={error.code}>
      <p className="notice-title">{t(errorTitleKey(error.code, hasSavedData, source))}</p>
      <p>{action ?? t(errorActionKey(error.code, source))}</p>
      {error.message !== "" && (
        <details
          className="notice-details"
          open={detailsOpen || detailIsTheAnswer(error.code, source)}
        >
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
