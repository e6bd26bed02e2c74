/**
 * The badge wall: every badge with its artwork. An earned badge shows when it was earned and
 * offers its share card (drawn on the Rust side in the UI's language and saved through the
 * native save dialog); a locked one shows its published criteria, so no badge is a mystery.
 * Badges are awarded on the Rust side from quiz results and reviewed or certified bills only.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { AppError, Lang, SavedCard } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { toAppError } from "../errors";
import { formatDate } from "../format";
import { useLocale } from "../i18n";
import * as ipc from "../ipc";
import { localText, svgDataUrl } from "../learn";
import { useResource } from "../resource";

/** What became of the last share card asked for, by badge. */
type CardState =
  | { badgeId: string; kind: "saving" }
  | { badgeId: string; kind: "saved"; card: SavedCard }
  | { badgeId: string; kind: "failed"; error: AppError };

export function BadgesScreen({ version }: { version: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const wall = useResource(ipc.learnBadges, version);
  const [card, setCard] = useState<CardState | null>(null);

  if (wall.value === undefined) {
    return wall.error !== null ? (
      <ErrorNotice error={wall.error} onRetry={wall.retry} />
    ) : (
      <p className="muted" role="status">
        {t("common.loading")}
      </p>
    );
  }

  const lang: Lang = locale.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
  const saveCard = (badgeId: string) => {
    setCard({ badgeId, kind: "saving" });
    ipc.learnSaveBadgeCard(badgeId, lang).then(
      (saved) => {
        setCard(saved === null ? null : { badgeId, kind: "saved", card: saved });
      },
      (reason: unknown) => {
        setCard({ badgeId, kind: "failed", error: toAppError(reason) });
      },
    );
  };

  const earned = wall.value.filter((b) => b.earned_at !== null).length;
  return (
    <div className="badges-screen" data-testid="badges">
      <p className="muted">{t("badges.count", { n: earned, total: wall.value.length })}</p>
      <ul className="badge-wall">
        {wall.value.map(({ badge, earned_at, art_svg }) => {
          const mine = card !== null && card.badgeId === badge.id ? card : null;
          return (
            <li
              key={badge.id}
              className={`card badge-card ${earned_at === null ? "locked" : "earned"}`}
              data-testid="badge"
              data-badge-id={badge.id}
              data-earned={earned_at !== null}
            >
              <img src={svgDataUrl(art_svg)} alt="" width={64} height={64} />
              <strong>{localText(badge.title, locale)}</strong>
              {earned_at === null ? (
                <span>
                  <span className="muted">{t("badges.locked")} </span>
                  {localText(badge.criteria, locale)}
                </span>
              ) : (
                <>
                  <span>{t("badges.earned", { date: formatDate(earned_at, locale) })}</span>
                  <button
                    type="button"
                    className="button button-quiet"
                    data-testid="badge-save-card"
                    disabled={mine?.kind === "saving"}
                    onClick={() => {
                      saveCard(badge.id);
                    }}
                  >
                    {mine?.kind === "saving" ? t("badges.savingCard") : t("badges.saveCard")}
                  </button>
                </>
              )}
              {mine?.kind === "saved" && (
                <p role="status" data-testid="badge-card-saved">
                  {mine.card.text_drawn
                    ? t("badges.cardSaved", { path: mine.card.path })
                    : t("badges.cardNoText", { path: mine.card.path })}
                </p>
              )}
              {mine?.kind === "failed" && <ErrorNotice error={mine.error} />}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
