/**
 * A plan's instalments, first to last: due date, the principal repaid, the interest or fee,
 * the payment and what is still owed after it, with the sums in the footer.
 *
 * The sums are added here in integer minor units; the footer's payment total plus any
 * up-front fee is the plan's total repaid.
 */
import { useId } from "react";
import { useTranslation } from "react-i18next";

import type { ScheduleRow } from "../bindings";
import { formatDate } from "../format";
import { useLocale } from "../i18n";
import { usePlanWords } from "./PlanFacts";

interface ScheduleTableProps {
  schedule: readonly ScheduleRow[];
  /** Names the table, e.g. "Repayment schedule, 12 months". */
  caption: string;
  /** The heading of the plan, which tells apart two schedules with the same caption. */
  planHeadingId?: string;
}

export function ScheduleTable({ schedule, caption, planHeadingId }: ScheduleTableProps) {
  const { t } = useTranslation();
  const captionId = useId();
  const locale = useLocale();
  const { money } = usePlanWords();

  const first = schedule[0];
  if (first === undefined) return null;

  const { currency } = first.payment;
  const sum = (pick: (row: ScheduleRow) => number) => ({
    minor: schedule.reduce((total, row) => total + pick(row), 0),
    currency,
  });

  return (
    // Wider than a phone: the region scrolls sideways, and takes focus so keys can scroll it.
    <div
      className="table-scroll"
      role="region"
      aria-labelledby={planHeadingId === undefined ? captionId : `${planHeadingId} ${captionId}`}
      tabIndex={0}
    >
      <table className="table schedule-table">
        <caption id={captionId} className="schedule-caption">
          {caption}
        </caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              {t("offers.detail.column.number")}
            </th>
            <th scope="col">{t("offers.detail.column.due")}</th>
            <th scope="col" className="num">
              {t("offers.detail.column.principal")}
            </th>
            <th scope="col" className="num">
              {t("offers.detail.column.charge")}
            </th>
            <th scope="col" className="num">
              {t("offers.detail.column.payment")}
            </th>
            <th scope="col" className="num">
              {t("offers.detail.column.remaining")}
            </th>
          </tr>
        </thead>
        <tbody>
          {schedule.map((row) => (
            <tr key={row.number} data-testid="schedule-row" data-number={row.number}>
              <th scope="row" className="num">
                {row.number}
              </th>
              <td>
                <time dateTime={row.due}>{formatDate(row.due, locale)}</time>
              </td>
              <td className="num">{money(row.principal)}</td>
              <td className="num">{money(row.charge)}</td>
              <td className="num" data-value={row.payment.minor}>
                {money(row.payment)}
              </td>
              <td className="num">{money(row.remaining)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>
              {t("offers.detail.total")}
            </th>
            <td className="num">{money(sum((row) => row.principal.minor))}</td>
            <td className="num">{money(sum((row) => row.charge.minor))}</td>
            <td className="num">{money(sum((row) => row.payment.minor))}</td>
            <td />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
