/**
 * One bill in the bills list: when (in local time), where, what, its category, amount,
 * certification, carbon saved (or "unknown", with the method that computed it) and status.
 *
 * A refunded bill is struck through and labelled, so it is never read as money spent; on
 * narrow screens each cell shows its column name, as the row becomes a card. A bill imported
 * from a payment export carries a "File" badge naming the export's layout. The row opens the
 * bill's page on a click, or on Enter or Space once focused. The list decides which row is in
 * the tab order and what the arrow keys do (`onNavigate`); the row says where it stands in
 * the whole list (`aria-rowindex`), since a virtual list draws only the rows in view.
 */
import type { KeyboardEvent, Ref } from "react";
import { useTranslation } from "react-i18next";

import type { BillRow } from "../bindings";
import { formatCarbon, formatDateTime, formatMoney } from "../format";
import { useLocale } from "../i18n";
import { importFormatLabel } from "../imports";
import { CertificationBadge } from "./CertificationBadge";

interface BillTableRowProps {
  bill: BillRow;
  onOpen: () => void;
  /** The id of the text telling keyboard users what Enter does. */
  hintId: string;
  /** The row's place in the list, from 0. */
  index?: number;
  /** Whether Tab reaches this row (one row of the list at a time). */
  tabbable?: boolean;
  /** Handles a key that moves through the list; true when it did. */
  onNavigate?: (key: string) => boolean;
  /** For the list to measure the row. */
  rowRef?: Ref<HTMLTableRowElement>;
}

export function BillTableRow({
  bill,
  onOpen,
  hintId,
  index,
  tabbable = true,
  onNavigate,
  rowRef,
}: BillTableRowProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const refunded = bill.status === "refunded";
  const amount = formatMoney(bill.amount.minor, bill.amount.currency, locale);

  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      onOpen();
    } else if (onNavigate?.(event.key) === true) {
      event.preventDefault();
    }
  };

  return (
    <tr
      className={refunded ? "bill-row bill-refunded" : "bill-row"}
      data-testid="bill-row"
      data-bill-id={bill.id}
      data-status={bill.status}
      data-source={bill.source}
      data-index={index}
      ref={rowRef}
      // The header is row 1.
      aria-rowindex={index === undefined ? undefined : index + 2}
      tabIndex={tabbable ? 0 : -1}
      aria-describedby={hintId}
      onClick={onOpen}
      onKeyDown={onKeyDown}
    >
      <td data-label={t("bills.column.date")}>
        <time dateTime={bill.occurred_at}>{formatDateTime(bill.occurred_at, locale)}</time>
      </td>
      <td data-label={t("bills.column.merchant")}>{bill.merchant}</td>
      <td data-label={t("bills.column.item")}>
        {bill.item}
        {bill.source === "file" && (
          <>
            {" "}
            <span
              className="badge source-file"
              data-testid="bill-source"
              title={t("bills.source.fileTitle", {
                format: importFormatLabel(bill.file_format, t),
              })}
            >
              {t("bills.source.file")}
            </span>
          </>
        )}
      </td>
      <td data-label={t("bills.column.category")}>{t(`category.${bill.category}`)}</td>
      <td className="num" data-label={t("bills.column.amount")} data-value={bill.amount.minor}>
        {refunded ? <s>{amount}</s> : amount}
      </td>
      <td data-label={t("bills.column.certification")}>
        <CertificationBadge certification={bill.certification} />
      </td>
      <td
        className="num"
        data-label={t("bills.column.carbon")}
        title={
          bill.carbon_method === null
            ? undefined
            : t("bills.carbonMethod", { method: bill.carbon_method })
        }
      >
        {bill.carbon_g === null ? (
          <span className="unknown">{t("common.unknown")}</span>
        ) : (
          formatCarbon(bill.carbon_g, locale)
        )}
      </td>
      <td data-label={t("bills.column.status")}>
        <span className={`badge status status-${bill.status}`}>{t(`status.${bill.status}`)}</span>
      </td>
    </tr>
  );
}
