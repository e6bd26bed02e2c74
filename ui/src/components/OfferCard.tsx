/**
 * One instalment offer: the product, merchant, price, certification and validity, then each
 * plan's term, what it costs (interest-free, a fee per month, or an annual rate), the monthly
 * payment and the total repaid, so plans can be compared by what the user actually pays.
 */
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import type { OfferRow, PlanRow } from "../bindings";
import { formatBasisPoints, formatDate, formatMoney } from "../format";
import { useLocale } from "../i18n";
import { CertificationBadge } from "./CertificationBadge";

interface OfferCardProps {
  offer: OfferRow;
  /** The current time in milliseconds, to mark expired offers. */
  now: number;
}

const DAY_MS = 24 * 3600 * 1000;

/** Whether an offer valid until `validUntil` (a date, inclusive, or an instant) has ended. */
export function isExpired(validUntil: string, now: number): boolean {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(validUntil);
  const end = new Date(dateOnly ? `${validUntil}T00:00:00Z` : validUntil).getTime();
  return (dateOnly ? end + DAY_MS : end) <= now;
}

export function OfferCard({ offer, now }: OfferCardProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const expired = isExpired(offer.valid_until, now);

  const rate = (bp: number | null) =>
    bp === null ? t("common.unknown") : formatBasisPoints(bp, locale);

  const cost = (plan: PlanRow): ReactNode => {
    switch (plan.kind) {
      case "interest_free": {
        const free = <span className="plan-free">{t("offers.kind.interest_free")}</span>;
        if (plan.subsidy === null || plan.subsidy.minor === 0) return free;
        const amount = formatMoney(plan.subsidy.minor, plan.subsidy.currency, locale);
        return (
          <>
            {free}
            <span className="plan-note">
              {plan.subsidy_payer === null
                ? t("offers.subsidy", { amount })
                : t(`offers.subsidy_by.${plan.subsidy_payer}`, { amount })}
            </span>
          </>
        );
      }
      case "fee_per_period":
        return t("offers.kind.fee_per_period", { rate: rate(plan.fee_bp) });
      case "annual_rate":
        return t("offers.kind.annual_rate", { rate: rate(plan.annual_rate_bp) });
    }
  };

  return (
    <article
      className={`card offer${expired ? " offer-expired" : ""}`}
      data-testid="offer-card"
      data-offer-id={offer.id}
    >
      <header className="offer-head">
        <div>
          <h3 className="offer-product">{offer.product}</h3>
          <p className="offer-merchant">
            {offer.merchant} · {t(`category.${offer.category}`)}
          </p>
        </div>
        <CertificationBadge certification={offer.certification} />
      </header>

      <p className="offer-price" data-value={offer.price.minor}>
        <span className="visually-hidden">{t("offers.price")}: </span>
        {formatMoney(offer.price.minor, offer.price.currency, locale)}
      </p>
      <p className="offer-validity">
        {t("offers.validity", {
          from: formatDate(offer.valid_from, locale),
          until: formatDate(offer.valid_until, locale),
        })}
        {expired && <span className="badge badge-muted">{t("offers.expired")}</span>}
      </p>

      {offer.plans.length === 0 ? (
        <p className="muted">{t("offers.noPlans")}</p>
      ) : (
        <table className="table plan-table">
          <caption className="visually-hidden">{t("offers.plans")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("offers.column.term")}</th>
              <th scope="col">{t("offers.column.kind")}</th>
              <th scope="col" className="num">
                {t("offers.column.monthly")}
              </th>
              <th scope="col" className="num">
                {t("offers.column.total")}
              </th>
            </tr>
          </thead>
          <tbody>
            {offer.plans.map((plan) => (
              <tr key={`${plan.months}-${plan.kind}`} data-testid="plan-row" data-kind={plan.kind}>
                <th scope="row">{t("offers.months", { count: plan.months })}</th>
                <td>{cost(plan)}</td>
                <td className="num">
                  {formatMoney(plan.monthly_payment.minor, plan.monthly_payment.currency, locale)}
                </td>
                <td className="num">
                  {formatMoney(plan.total_repaid.minor, plan.total_repaid.currency, locale)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
