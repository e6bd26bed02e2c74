/**
 * One instalment offer: the product, merchant, price, certification and validity, then each
 * plan's term and stated terms with what it really costs (the payment, the cost of credit and
 * the rate by IRR beside the rate the ad implies), so plans are compared by what the user pays.
 *
 * The product name is a button that opens the offer page; a click anywhere else on the card
 * that is not on a control does the same. Each plan has a "Compare" checkbox.
 */
import type { MouseEvent } from "react";
import { useTranslation } from "react-i18next";

import type { OfferRow } from "../bindings";
import { formatAmount, formatDate } from "../format";
import { useLocale } from "../i18n";
import { isExpired } from "../offers";
import { CertificationBadge } from "./CertificationBadge";
import { PlanFacts, usePlanWords } from "./PlanFacts";

interface OfferCardProps {
  offer: OfferRow;
  /** The current time in milliseconds, to mark expired offers. */
  now: number;
  /** The indexes in `offer.plans` of the plans to show (the filters may hide some). */
  plans: readonly number[];
  /** Whether the plan at this index is picked for the comparison. */
  isPicked: (plan: number) => boolean;
  /** Whether another plan may still be picked (fewer than 4 are). */
  canPickMore: boolean;
  onTogglePick: (plan: number) => void;
  onOpen: () => void;
}

/** Controls inside the card keep their own clicks; only the card's plain surface opens it. */
const CONTROLS = "a, button, input, label, select, summary, textarea";

export function OfferCard({
  offer,
  now,
  plans,
  isPicked,
  canPickMore,
  onTogglePick,
  onOpen,
}: OfferCardProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const words = usePlanWords();
  const expired = isExpired(offer.valid_until, now);
  const hidden = offer.plans.length - plans.length;

  const onCardClick = (event: MouseEvent<HTMLElement>) => {
    if (event.target instanceof Element && event.target.closest(CONTROLS) !== null) return;
    onOpen();
  };

  return (
    <article
      className={`card offer${expired ? " offer-expired" : ""}`}
      data-testid="offer-card"
      data-offer-id={offer.id}
      onClick={onCardClick}
    >
      <header className="offer-head">
        <div>
          <h3 className="offer-product">
            <button
              type="button"
              className="link-button"
              data-testid="offer-open"
              aria-label={t("offers.open", { product: offer.product })}
              onClick={onOpen}
            >
              {offer.product}
            </button>
          </h3>
          <p className="offer-merchant">
            {offer.merchant} · {t(`category.${offer.category}`)}
          </p>
        </div>
        <CertificationBadge certification={offer.certification} />
      </header>

      <p className="offer-price" data-value={offer.price.minor}>
        <span className="visually-hidden">{t("offers.price")}: </span>
        {formatAmount(offer.price, locale)}
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
        <ul className="plan-list" aria-label={t("offers.plans")}>
          {plans.map((index) => {
            const plan = offer.plans[index];
            if (plan === undefined) return null;

            const picked = isPicked(index);
            const subsidy = words.subsidy(plan);
            return (
              <li
                key={index}
                className="plan"
                data-testid="plan-row"
                data-kind={plan.kind}
                data-plan={index}
              >
                <div className="plan-head">
                  <p className="plan-terms">
                    <strong>{words.months(plan.months)}</strong>{" "}
                    <span className={plan.kind === "interest_free" ? "plan-free" : undefined}>
                      {words.terms(plan)}
                    </span>
                  </p>
                  <label className="check plan-pick">
                    <input
                      type="checkbox"
                      checked={picked}
                      disabled={!picked && !canPickMore}
                      aria-label={t("offers.compare.pickLabel", {
                        product: offer.product,
                        months: words.months(plan.months),
                      })}
                      onChange={() => {
                        onTogglePick(index);
                      }}
                    />
                    <span aria-hidden="true">{t("offers.compare.pick")}</span>
                  </label>
                </div>
                {subsidy !== null && <p className="plan-note">{subsidy}</p>}
                <PlanFacts plan={plan} layout="compact" />
              </li>
            );
          })}
        </ul>
      )}
      {hidden > 0 && plans.length > 0 && (
        <p className="plan-note">{t("offers.filter.hiddenPlans", { count: hidden })}</p>
      )}
    </article>
  );
}
