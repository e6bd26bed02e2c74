/**
 * The factors behind one carbon figure, in formula order: id, the value each side used with its
 * unit, and where the value was published (source, publisher, year, licence, confidence, why it
 * was chosen), followed by the attribution the licences ask for.
 *
 * When the server's figure used a value this app's table does not (an older factor), both are
 * shown. On narrow screens each row becomes a card whose cells name their column.
 */
import { useTranslation } from "react-i18next";

import type { FactorDetail } from "../bindings";
import { formatExact } from "../format";
import { useLocale } from "../i18n";
import { FactorAttribution } from "./FactorAttribution";

export function FactorTable({ factors }: { factors: readonly FactorDetail[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const licences = factors.flatMap((factor) =>
    factor.published === null ? [] : [factor.published.licence],
  );

  const value = (factor: FactorDetail): string => {
    const { local_value: local, api_value: api, unit } = factor;
    if (local !== null && api !== null && local !== api) {
      return t("carbon.explain.factorValueBoth", {
        local: formatExact(local, locale),
        api: formatExact(api, locale),
        unit,
      });
    }
    const shown = local ?? api;
    return shown === null ? unit : `${formatExact(shown, locale)} ${unit}`;
  };

  return (
    <>
      <div className="table-scroll">
        <table className="table factor-table">
          <thead>
            <tr>
              <th scope="col">{t("carbon.factor.id")}</th>
              <th scope="col">{t("carbon.factor.value")}</th>
              <th scope="col">{t("carbon.factor.source")}</th>
              <th scope="col">{t("carbon.factor.publisher")}</th>
              <th scope="col">{t("carbon.factor.year")}</th>
              <th scope="col">{t("carbon.factor.licence")}</th>
              <th scope="col">{t("carbon.factor.confidence")}</th>
              <th scope="col">{t("carbon.factor.note")}</th>
            </tr>
          </thead>
          <tbody>
            {factors.map((factor) => {
              const published = factor.published;
              return (
                <tr key={factor.id} data-testid="factor-row" data-factor-id={factor.id}>
                  <th scope="row">
                    <code>{factor.id}</code>
                  </th>
                  <td className="factor-value" data-label={t("carbon.factor.value")}>
                    {value(factor)}
                  </td>
                  {published === null ? (
                    <td colSpan={6} className="muted" data-label={t("carbon.factor.source")}>
                      {t("carbon.explain.notPublished")}
                    </td>
                  ) : (
                    <>
                      <td data-label={t("carbon.factor.source")}>{published.source}</td>
                      <td data-label={t("carbon.factor.publisher")}>{published.publisher}</td>
                      <td data-label={t("carbon.factor.year")}>{published.year}</td>
                      <td data-label={t("carbon.factor.licence")}>{published.licence}</td>
                      <td data-label={t("carbon.factor.confidence")}>
                        {t(`carbon.confidence.${published.confidence}`)}
                      </td>
                      <td className="factor-note" data-label={t("carbon.factor.note")}>
                        {published.note}
                      </td>
                    </>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <FactorAttribution licences={licences} />
    </>
  );
}
