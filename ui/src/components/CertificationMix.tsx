/**
 * How the user's bills were certified: a stacked bar and a legend with each level's count and
 * share, ordered from the weakest claim to the strongest.
 */
import { useTranslation } from "react-i18next";

import type { Certification, CertificationCount } from "../bindings";
import { formatCount, formatPercent } from "../format";
import { useLocale } from "../i18n";
import { CertificationBadge } from "./CertificationBadge";

const ORDER: readonly Certification[] = [
  "finance_certified",
  "platform_reviewed",
  "self_declared",
  "unverified",
];

export function CertificationMix({ mix }: { mix: readonly CertificationCount[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const total = mix.reduce((sum, entry) => sum + entry.bills, 0);
  const entries = ORDER.map((certification) => ({
    certification,
    bills: mix.find((entry) => entry.certification === certification)?.bills ?? 0,
  })).filter((entry) => entry.bills > 0);

  return (
    <div className="cert-mix">
      <div className="cert-bar" aria-hidden="true">
        {entries.map((entry) => (
          <span
            key={entry.certification}
            className={`cert-segment cert-${entry.certification}`}
            style={{ flexGrow: entry.bills }}
          />
        ))}
      </div>
      <ul className="cert-legend">
        {entries.map((entry) => (
          <li
            key={entry.certification}
            data-testid="certification-count"
            data-certification={entry.certification}
            data-value={entry.bills}
          >
            <CertificationBadge certification={entry.certification} />
            <span className="cert-count">
              {t("dashboard.column.bills")}: {formatCount(entry.bills, locale)}
            </span>
            <span className="cert-share">{formatPercent(entry.bills / total, locale)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
