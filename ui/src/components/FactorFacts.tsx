/**
 * One emission factor as the factor table publishes it: id, value and unit, the document it
 * was read from, publisher, year, licence, how far to trust it and why it was chosen.
 *
 * Shown as a definition list inside a closed `details`, so the source is one click away from
 * the figure that divides by it without crowding the card. Nothing here links out: the app
 * runs offline and its CSP allows no other origin.
 */
import { useTranslation } from "react-i18next";

import type { Factor } from "../bindings";
import { formatExact } from "../format";
import { useLocale } from "../i18n";
import { FactorAttribution } from "./FactorAttribution";

interface FactorFactsProps {
  factor: Factor;
  testId?: string;
}

export function FactorFacts({ factor, testId }: FactorFactsProps) {
  const { t } = useTranslation();
  const locale = useLocale();

  return (
    <details className="factor-source" data-testid={testId} data-factor-id={factor.id}>
      <summary>{t("carbon.factor.summary")}</summary>
      <dl className="factor-facts">
        <dt>{t("carbon.factor.id")}</dt>
        <dd>
          <code>{factor.id}</code>
        </dd>
        <dt>{t("carbon.factor.value")}</dt>
        <dd>
          {formatExact(factor.value, locale)} {factor.unit}
        </dd>
        <dt>{t("carbon.factor.source")}</dt>
        <dd>{factor.source}</dd>
        <dt>{t("carbon.factor.publisher")}</dt>
        <dd>{factor.publisher}</dd>
        <dt>{t("carbon.factor.year")}</dt>
        <dd>{factor.year}</dd>
        <dt>{t("carbon.factor.licence")}</dt>
        <dd>{factor.licence}</dd>
        <dt>{t("carbon.factor.confidence")}</dt>
        <dd>{t(`carbon.confidence.${factor.confidence}`)}</dd>
        <dt>{t("carbon.factor.note")}</dt>
        <dd>{factor.note}</dd>
      </dl>
      <FactorAttribution licences={[factor.licence]} />
    </details>
  );
}
