/**
 * The badge wall: every badge with its artwork. An earned badge shows when it was earned; a
 * locked one shows its published criteria, so no badge is a mystery. Badges are awarded on
 * the Rust side from quiz results and reviewed or certified bills only.
 */
import { useTranslation } from "react-i18next";

import { ErrorNotice } from "../components/ErrorNotice";
import { formatDate } from "../format";
import { useLocale } from "../i18n";
import * as ipc from "../ipc";
import { localText, svgDataUrl } from "../learn";
import { useResource } from "../resource";

export function BadgesScreen({ version }: { version: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const wall = useResource(ipc.learnBadges, version);

  if (wall.value === undefined) {
    return wall.error !== null ? (
      <ErrorNotice error={wall.error} onRetry={wall.retry} />
    ) : (
      <p className="muted" role="status">
        {t("common.loading")}
      </p>
    );
  }

  const earned = wall.value.filter((b) => b.earned_at !== null).length;
  return (
    <div className="badges-screen" data-testid="badges">
      <p className="muted">{t("badges.count", { n: earned, total: wall.value.length })}</p>
      <ul className="badge-wall">
        {wall.value.map(({ badge, earned_at, art_svg }) => (
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
              <span>{t("badges.earned", { date: formatDate(earned_at, locale) })}</span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
