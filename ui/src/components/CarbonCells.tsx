/**
 * The three carbon cells of a table row for a month or a category: carbon saved, and its
 * measured and estimated parts, plus the bills whose carbon is unknown.
 *
 * Where no known figure added anything and some bills have none, the row reads "unknown
 * (4 bills)" and dashes, never "0 g", which would claim a measured zero; where some are known it
 * reads "1.9 kg" with "+ unknown (1 bill)" below. Raw grams go into `data-value`.
 */
import { useTranslation } from "react-i18next";

import type { CategoryPoint, MonthPoint } from "../bindings";
import { carbonUnknown } from "../carbon";
import { formatCarbon } from "../format";
import { useLocale } from "../i18n";

interface CarbonCellsProps {
  point: MonthPoint | CategoryPoint;
  /** Prefix of the cells' test ids: `category` gives `category-carbon`, `category-measured`… */
  testIdPrefix: string;
}

export function CarbonCells({ point, testIdPrefix }: CarbonCellsProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const unknown = carbonUnknown(point);

  /** A part of the total; a dash, read out as "unknown", when every figure is missing. */
  const part = (grams: number) =>
    unknown ? (
      <>
        <span aria-hidden="true">–</span>
        <span className="visually-hidden">{t("common.unknown")}</span>
      </>
    ) : (
      formatCarbon(grams, locale)
    );

  return (
    <>
      <td
        className="num"
        data-label={t("dashboard.column.carbon")}
        data-testid={`${testIdPrefix}-carbon`}
        data-value={point.carbon_g}
      >
        {!unknown && formatCarbon(point.carbon_g, locale)}
        {point.carbon_unknown > 0 && (
          <span
            className="unknown unknown-count"
            data-testid={`${testIdPrefix}-unknown`}
            data-value={point.carbon_unknown}
          >
            {t(unknown ? "dashboard.unknownBills" : "dashboard.plusUnknown", {
              count: point.carbon_unknown,
            })}
          </span>
        )}
      </td>
      <td
        className="num"
        data-label={t("carbon.measured")}
        data-testid={`${testIdPrefix}-measured`}
        data-value={point.carbon_measured_g}
      >
        {part(point.carbon_measured_g)}
      </td>
      <td
        className="num"
        data-label={t("carbon.estimated")}
        data-testid={`${testIdPrefix}-estimated`}
        data-value={point.carbon_estimated_g}
      >
        {part(point.carbon_estimated_g)}
      </td>
    </>
  );
}

/** The header cells that go with `CarbonCells`. */
export function CarbonHeaders() {
  const { t } = useTranslation();

  return (
    <>
      <th scope="col" className="num">
        {t("dashboard.column.carbon")}
      </th>
      <th scope="col" className="num">
        <span className="swatch swatch-measured" aria-hidden="true" />
        {t("carbon.measured")}
      </th>
      <th scope="col" className="num">
        <span className="swatch swatch-estimated" aria-hidden="true" />
        {t("carbon.estimated")}
      </th>
    </>
  );
}
