/**
 * Green spend, carbon saved and bill counts for each category, with a bar for each category's
 * share of the spend.
 *
 * Bills whose carbon is unknown are counted apart and shown as "unknown": a category where no
 * bill has a carbon figure reads "unknown", never "0 g", which would claim a measured zero.
 */
import { useTranslation } from "react-i18next";

import type { CategoryPoint } from "../bindings";
import { formatCarbon, formatCount, formatMoney } from "../format";
import { useLocale } from "../i18n";

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
            <th scope="col" className="num">
              {t("dashboard.column.carbon")}
            </th>
            <th scope="col" className="num">
              {t("dashboard.column.bills")}
            </th>
            <th scope="col" className="num">
              {t("dashboard.column.carbonUnknown")}
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => {
            const allUnknown = row.bills > 0 && row.carbon_unknown >= row.bills;
            const share = Math.max(0, row.spend_minor) / maxSpend;
            return (
              <tr key={row.category} data-testid="category-row" data-category={row.category}>
                <th scope="row">
                  <span className="category-name">{t(`category.${row.category}`)}</span>
                  <span className="share" aria-hidden="true">
                    <span className="share-bar" style={{ width: `${(share * 100).toFixed(1)}%` }} />
                  </span>
                </th>
                <td className="num">{formatMoney(row.spend_minor, currency, locale)}</td>
                <td className="num" data-testid="category-carbon">
                  {allUnknown ? (
                    <span className="unknown">{t("common.unknown")}</span>
                  ) : (
                    formatCarbon(row.carbon_g, locale)
                  )}
                </td>
                <td className="num">{formatCount(row.bills, locale)}</td>
                <td className="num" data-testid="category-unknown" data-value={row.carbon_unknown}>
                  {row.carbon_unknown > 0 ? (
                    <span className="unknown">
                      {t("dashboard.unknownBills", { count: row.carbon_unknown })}
                    </span>
                  ) : (
                    <span aria-label={t("dashboard.column.carbonUnknown")}>–</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
