/**
 * The always-visible sync status in the header: progress while syncing, the time of the last
 * sync when idle, what went wrong and what to do when the last sync failed, and "Sync now".
 *
 * It draws a `SyncState` and nothing else, so each state is tested by handing it one.
 */
import { useTranslation } from "react-i18next";

import { detailIsTheAnswer, errorActionKey, errorTitleKey } from "../errors";
import { formatRelativeTime, JUST_NOW_SECONDS } from "../format";
import { useLocale } from "../i18n";
import { statusAreaState, type SyncState } from "../sync";
import { ProgressBar } from "./ProgressBar";

interface SyncStatusProps {
  state: SyncState;
  /** The current time in milliseconds, for "5 minutes ago". */
  now: number;
  onSyncNow: () => void;
}

/** The locale key of each collection with a name; any other is shown as the sync names it. */
const COLLECTION_KEYS = {
  bills: "collection.bills",
  offers: "collection.offers",
  carbon: "collection.carbon",
  quiz_attempts: "collection.quiz_attempts",
} as const;

function collectionKey(collection: string) {
  return Object.hasOwn(COLLECTION_KEYS, collection)
    ? COLLECTION_KEYS[collection as keyof typeof COLLECTION_KEYS]
    : undefined;
}

export function SyncStatus({ state, now, onSyncNow }: SyncStatusProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const areaState = statusAreaState(state.phase);

  const collectionName = (collection: string): string => {
    const key = collectionKey(collection);
    return key === undefined ? collection : t(key);
  };

  const ago = (at: string): string => {
    const ageSeconds = (now - new Date(at).getTime()) / 1000;
    return ageSeconds < JUST_NOW_SECONDS ? t("sync.justNow") : formatRelativeTime(at, now, locale);
  };

  const lastSynced = (): string =>
    state.lastSyncedAt === null
      ? t("sync.never")
      : t("sync.lastSynced", { when: ago(state.lastSyncedAt) });

  let body;
  if (state.phase === "starting") {
    body = (
      <>
        <p className="sync-text">{t("sync.checking")}</p>
        <ProgressBar label={t("sync.progress")} valueText={t("sync.checking")} />
      </>
    );
  } else if (state.phase === "syncing") {
    const text = t("sync.syncing", { count: state.applied });
    body = (
      <>
        <p className="sync-text" aria-live="polite">
          {text}
        </p>
        <ProgressBar label={t("sync.progress")} valueText={text} />
        {state.collection !== null && (
          <p className="sync-hint">
            {t("sync.collection", { collection: collectionName(state.collection) })}
          </p>
        )}
      </>
    );
  } else if (state.phase === "error" && state.error !== null) {
    const { error } = state;
    body = (
      <div role="alert" data-code={error.code}>
        <p className="sync-text sync-error">
          {t(errorTitleKey(error.code, state.lastSyncedAt !== null, "sync"))}
        </p>
        <p className="sync-hint">
          {t(errorActionKey(error.code, "sync"))}{" "}
          {state.lastSyncedAt !== null && t("sync.savedFrom", { when: ago(state.lastSyncedAt) })}
        </p>
        {error.message !== "" && (
          <details className="sync-details" open={detailIsTheAnswer(error.code, "sync")}>
            <summary>{t("sync.details")}</summary>
            <code>{error.message}</code>
          </details>
        )}
      </div>
    );
  } else {
    body = (
      <p className="sync-text">
        <time dateTime={state.lastSyncedAt ?? undefined}>{lastSynced()}</time>
      </p>
    );
  }

  return (
    <section
      className={`sync-status sync-${areaState}`}
      data-testid="sync-status"
      data-state={areaState}
      aria-label={t("sync.area")}
    >
      <div className="sync-body">{body}</div>
      <button
        type="button"
        className="button"
        onClick={onSyncNow}
        disabled={areaState === "syncing"}
      >
        {t("sync.syncNow")}
      </button>
    </section>
  );
}
