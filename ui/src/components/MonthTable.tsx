/**
 * The monthly chart's figures as a table, newest month first, behind a "Figures by month"
 * disclosure: the canvas cannot be read by a screen reader or copied, and a month's unknown
 * bills are easier to name in a cell than in a tooltip.
 */
import { useTranslation } from "react-i18next";

import type { MonthPoint } from "../bindings";
import { formatCount, formatMoney, formatMonth } from "../format";
import { useLocale } from "../i18n";
import { CarbonCells, CarbonHeaders } from "./CarbonCells";

interface MonthTableProps {
  /** The months that had bills, in any order. */
  months: readonly MonthPoint[];
  currency: string;
}

export function MonthTable({ months, currency }: MonthTableProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const newestFirst = [...months].sort((a, b) => b.month.localeCompare(a.month));

  if (newestFirst.length === 0) return null;
  return (
    <details className="month-figures">
      <summary>{t("dashboard.monthFigures")}</summary>
      <div className="table-scroll">
        <table className="table month-table">
          <thead>
            <tr>
              <th scope="col">{t("dashboard.column.month")}</th>
              <th scope="col" className="num">
                {t("dashboard.column.spend")}
              </th>
              <CarbonHeaders />
              <th scope="col" className="num">
                {t("dashboard.column.bills")}
              </th>
            </tr>
          </thead>
          <tbody>
            {newestFirst.map((point) => (
              <tr key={point.month} data-testid="month-row" data-month={point.month}>
                <th scope="row">{formatMonth(point.month, locale, "long")}</th>
                <td className="num" data-label={t("dashboard.column.spend")}>
                  {formatMoney(point.spend_minor, currency, locale)}
                </td>
                <CarbonCells point={point} testIdPrefix="month" />
                <td className="num" data-label={t("dashboard.column.bills")}>
                  {formatCount(point.bills, locale)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
