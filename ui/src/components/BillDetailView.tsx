/**
 * A bill's page: what was bought, where, when and for how much, where it stands, how far its
 * green claim was checked (with what that level means), and "why this number": the carbon
 * explanation the Rust side recomputes from the cache.
 *
 * The head is drawn at once from the list's row; the explanation loads beside it and reloads
 * after a sync. Focus moves to the heading when the page opens, and the list puts it back on
 * the row when the user returns.
 */
import { useCallback, useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";

import type { BillRow } from "../bindings";
import { formatAmount, formatDateTime } from "../format";
import { useLocale } from "../i18n";
import { importFormatLabel } from "../imports";
import * as ipc from "../ipc";
import { lessonForCategory, localText } from "../learn";
import { useResource } from "../resource";
import { CarbonExplanationView } from "./CarbonExplanationView";
import { CertificationBadge } from "./CertificationBadge";
import { ErrorNotice } from "./ErrorNotice";

interface BillDetailViewProps {
  bill: BillRow;
  /** The data version; a finished sync reloads the explanation. */
  version: number;
  onBack: () => void;
  /** Opens a lesson; without it the page shows no lesson link. */
  onOpenLesson?: (lessonId: string) => void;
}

export function BillDetailView({ bill, version, onBack, onOpenLesson }: BillDetailViewProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const load = useCallback(() => ipc.carbonExplain(bill.id), [bill.id]);
  const resource = useResource(load, version);
  const linksLessons = onOpenLesson !== undefined;
  const loadLessons = useCallback(
    () => (linksLessons ? ipc.learnLessons() : Promise.resolve([])),
    [linksLessons],
  );
  const lessons = useResource(loadLessons, 0);
  const lesson =
    lessons.value === undefined ? undefined : lessonForCategory(lessons.value, bill.category);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const refunded = bill.status === "refunded";
  const amount = formatAmount(bill.amount, locale);

  useEffect(() => {
    headingRef.current?.focus();
  }, [bill.id]);

  return (
    <div className="bill-detail" data-testid="bill-detail" data-bill-id={bill.id}>
      <div className="toolbar">
        <button type="button" className="button button-quiet" onClick={onBack}>
          ← {t("bills.detail.back")}
        </button>
      </div>

      <header className="card bill-detail-head">
        <h2 className="bill-detail-title" tabIndex={-1} ref={headingRef}>
          {bill.item}
        </h2>
        <dl className="facts">
          <div>
            <dt>{t("bills.column.merchant")}</dt>
            <dd>{bill.merchant}</dd>
          </div>
          <div>
            <dt>{t("bills.column.category")}</dt>
            <dd>{t(`category.${bill.category}`)}</dd>
          </div>
          <div>
            <dt>{t("bills.column.date")}</dt>
            <dd>
              <time dateTime={bill.occurred_at}>{formatDateTime(bill.occurred_at, locale)}</time>
            </dd>
          </div>
          <div>
            <dt>{t("bills.column.amount")}</dt>
            <dd data-testid="bill-amount" data-value={bill.amount.minor}>
              {refunded ? <s>{amount}</s> : amount}
            </dd>
          </div>
          <div>
            <dt>{t("bills.column.status")}</dt>
            <dd>
              <span className={`badge status status-${bill.status}`}>
                {t(`status.${bill.status}`)}
              </span>
            </dd>
          </div>
          <div className="facts-wide">
            <dt>{t("bills.detail.source")}</dt>
            <dd data-testid="bill-source-detail" data-source={bill.source}>
              {bill.source === "file"
                ? t("bills.detail.fromFile", { format: importFormatLabel(bill.file_format, t) })
                : t("bills.detail.fromApi")}
            </dd>
          </div>
          <div className="facts-wide">
            <dt>{t("bills.column.certification")}</dt>
            <dd data-testid="bill-certification" data-certification={bill.certification}>
              <CertificationBadge certification={bill.certification} />{" "}
              <span className="muted">{t(`certificationInfo.${bill.certification}`)}</span>
              {bill.green_rule !== null && (
                <span className="muted" data-testid="bill-green-rule">
                  {" "}
                  {t("bills.detail.greenRule", { rule: bill.green_rule })}
                </span>
              )}
            </dd>
          </div>
        </dl>
      </header>

      {lesson !== undefined && onOpenLesson !== undefined && (
        <p className="bill-lesson">
          <button
            type="button"
            className="button button-quiet"
            data-testid="bill-lesson-link"
            data-lesson-id={lesson.id}
            onClick={() => {
              onOpenLesson(lesson.id);
            }}
          >
            {t("bills.detail.lesson", { title: localText(lesson.title, locale) })}
          </button>
        </p>
      )}

      {resource.error !== null && (
        <ErrorNotice
          error={resource.error}
          onRetry={resource.retry}
          action={resource.error.code === "invalid_input" ? t("bills.detail.gone") : undefined}
        />
      )}
      {resource.value === undefined ? (
        resource.error === null && (
          <p className="muted" role="status">
            {t("common.loading")}
          </p>
        )
      ) : (
        <CarbonExplanationView explanation={resource.value} />
      )}
    </div>
  );
}
