/**
 * The offer page: the offer's head, then each plan in full with its schedule (the first
 * instalment due a month from today), and a way back to the list.
 *
 * Focus moves to the heading when the page opens, so keyboard and screen reader users land
 * on what they opened; the list puts it back on the offer when they return.
 */
import { useCallback, useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";

import { formatAmount, formatDate } from "../format";
import { useLocale } from "../i18n";
import * as ipc from "../ipc";
import { isExpired } from "../offers";
import { useResource } from "../resource";
import { CertificationBadge } from "./CertificationBadge";
import { ErrorNotice } from "./ErrorNotice";
import { PlanBreakdown } from "./PlanBreakdown";

interface OfferDetailViewProps {
  id: string;
  /** The data version; a finished sync reloads the page. */
  version: number;
  /** The current time in milliseconds, to mark an expired offer. */
  now: number;
  onBack: () => void;
}

export function OfferDetailView({ id, version, now, onBack }: OfferDetailViewProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const load = useCallback(() => ipc.offerDetail(id), [id]);
  const resource = useResource(load, version);
  const detail = resource.value;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const loaded = detail !== undefined;

  useEffect(() => {
    if (loaded) headingRef.current?.focus();
  }, [loaded]);

  return (
    <div className="offer-detail" data-testid="offer-detail" data-offer-id={id}>
      <div className="toolbar">
        <button type="button" className="button button-quiet" onClick={onBack}>
          ← {t("offers.detail.back")}
        </button>
      </div>

      {resource.error !== null && <ErrorNotice error={resource.error} onRetry={resource.retry} />}
      {detail === undefined ? (
        resource.error === null && (
          <p className="muted" role="status">
            {t("common.loading")}
          </p>
        )
      ) : (
        <>
          <header className="card offer-detail-head">
            <div className="offer-head">
              <div>
                <h2 className="offer-product" tabIndex={-1} ref={headingRef}>
                  {detail.offer.product}
                </h2>
                <p className="offer-merchant">
                  {detail.offer.merchant} · {t(`category.${detail.offer.category}`)}
                </p>
              </div>
              <CertificationBadge certification={detail.offer.certification} />
            </div>
            <p className="offer-price" data-value={detail.offer.price.minor}>
              <span className="visually-hidden">{t("offers.price")}: </span>
              {formatAmount(detail.offer.price, locale)}
            </p>
            <p className="offer-validity">
              {t("offers.validity", {
                from: formatDate(detail.offer.valid_from, locale),
                until: formatDate(detail.offer.valid_until, locale),
              })}
              {isExpired(detail.offer.valid_until, now) && (
                <span className="badge badge-muted">{t("offers.expired")}</span>
              )}
            </p>
            <p className="muted">{t("offers.detail.firstDue")}</p>
          </header>

          {detail.plans.length === 0 ? (
            <p className="muted">{t("offers.noPlans")}</p>
          ) : (
            detail.plans.map((plan, index) => (
              <PlanBreakdown
                key={index}
                detail={plan}
                headingId={`offer-plan-${index}`}
                testId="offer-plan"
              />
            ))
          )}
        </>
      )}
    </div>
  );
}
