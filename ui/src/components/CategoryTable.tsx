/**
 * Green spend, carbon saved (in total, measured and estimated) and bill counts for each
 * category, with a bar for each category's share of the spend. Unknown carbon is shown as
 * `CarbonCells` shows it: named and counted, never as 0 g.
 */
import { useTranslation } from "react-i18next";

import type { CategoryPoint } from "../bindings";
import { formatCount, formatMoney } from "../format";
import { useLocale } from "../i18n";
import { CarbonCells, CarbonHeaders } from "./CarbonCells";

interface CategoryTableProps {
  rows: readonly CategoryPoint[];
  currency: string;
}

export function CategoryTable({ rows, currency }: CategoryTableProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const maxSpend = Math.max(1, ...rows.map((row) => row.spend_minor));
  const sorted = [...rows].sort((a, b) => b.spend_minor - a.spend_minor);

  return (
    <div className="table-scroll">
      <table className="table category-table">
        <thead>
          <tr>
            <th scope="col">{t("dashboard.column.category")}</th>
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
          {sorted.map((row) => {
            const share = Math.max(0, row.spend_minor) / maxSpend;
            return (
              <tr key={row.category} data-testid="category-row" data-category={row.category}>
                <th scope="row">
                  <span className="category-name">{t(`category.${row.category}`)}</span>
                  <span className="share" aria-hidden="true">
                    <span className="share-bar" style={{ width: `${(share * 100).toFixed(1)}%` }} />
                  </span>
                </th>
                <td className="num" data-label={t("dashboard.column.spend")}>
                  {formatMoney(row.spend_minor, currency, locale)}
                </td>
                <CarbonCells point={row} testIdPrefix="category" />
                <td className="num" data-label={t("dashboard.column.bills")}>
                  {formatCount(row.bills, locale)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
