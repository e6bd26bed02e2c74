/**
 * The attribution lines the licences of the factors shown ask for, once each: CC BY-SA for the
 * Memo Bank spend factors, the Open Government Licence for the UK conversion factors.
 */
import { useTranslation } from "react-i18next";

import { attributionFor, type Attribution } from "../carbon";

export function FactorAttribution({ licences }: { licences: readonly string[] }) {
  const { t } = useTranslation();
  const kinds = new Set<Attribution>();
  for (const licence of licences) {
    const kind = attributionFor(licence);
    if (kind !== null) kinds.add(kind);
  }

  if (kinds.size === 0) return null;
  return (
    <div className="attribution">
      {[...kinds].sort().map((kind) => (
        <p key={kind} data-testid="attribution" data-attribution={kind}>
          {t(`carbon.attribution.${kind}`)}
        </p>
      ))}
    </div>
  );
}
