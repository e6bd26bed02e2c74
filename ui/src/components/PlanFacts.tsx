/**
 * How a plan is put into words and figures, the same on an offer card, the offer page, the
 * comparison and the calculator.
 *
 * The rate worked out from the cash flows (APR by IRR) always leads; for fee plans the rate the
 * ad implies (the monthly fee × 12) stands beside it, so the gap between the two is what the
 * eye lands on. Money is drawn from minor units by `format.ts`; rates arrive in percent.
 */
import { useTranslation } from "react-i18next";

import type { Money, PlanRow } from "../bindings";
import { formatAmount, formatRate } from "../format";
import { useLocale } from "../i18n";

/** Words for plans in the user's language. */
export function usePlanWords() {
  const { t } = useTranslation();
  const locale = useLocale();

  const money = (amount: Money) => formatAmount(amount, locale);
  const rate = (pct: number) => formatRate(pct, locale);
  const statedRate = (bp: number | null) => (bp === null ? t("common.unknown") : rate(bp / 100));

  /** The plan's kind and stated terms: "Interest-free", "0.60% fee per month", … */
  const terms = (plan: PlanRow): string => {
    switch (plan.kind) {
      case "interest_free":
        return t("offers.kind.interest_free");
      case "fee_per_period":
        return t("offers.kind.fee_per_period", { rate: statedRate(plan.fee_bp) });
      case "fee_up_front": {
        // The one fee is a share of the principal for the whole term; lenders quote it per
        // month, and the ad's annual rate (naive_rate_pct) is that monthly figure × 12.
        const perMonth = plan.fee_bp === null ? null : plan.fee_bp / plan.months;
        return t("offers.kind.fee_up_front", { rate: statedRate(perMonth) });
      }
      case "annual_rate":
        return t("offers.kind.annual_rate", { rate: statedRate(plan.annual_rate_bp) });
      case "equal_principal":
        return t("offers.kind.equal_principal", { rate: statedRate(plan.annual_rate_bp) });
      case "level_payment":
        return t("offers.kind.level_payment", { amount: money(plan.monthly_payment) });
    }
  };

  /** Who pays the interest of a subsidised plan, and how much; `null` when nobody does. */
  const subsidy = (plan: PlanRow): string | null => {
    if (plan.subsidy === null || plan.subsidy.minor === 0) return null;
    const amount = money(plan.subsidy);
    return plan.subsidy_payer === null
      ? t("offers.subsidy", { amount })
      : t(`offers.subsidy_by.${plan.subsidy_payer}`, { amount });
  };

  const months = (count: number) => t("offers.months", { count });

  /** What the credit costs, "Free" when nothing. */
  const cost = (plan: PlanRow) =>
    plan.total_cost.minor === 0 ? t("offers.figure.free") : money(plan.total_cost);

  return { money, rate, terms, subsidy, months, cost };
}

/** Whether the payments change over the term, so the monthly figure is only the first. */
export function paymentsVary(plan: PlanRow): boolean {
  return plan.kind === "equal_principal" || plan.last_payment.minor !== plan.monthly_payment.minor;
}

interface PlanFactsProps {
  plan: PlanRow;
  /** `compact` for a card; `full` adds the amount borrowed, the total and each rate apart. */
  layout: "compact" | "full";
}

/** The figures that tell plans apart: payment, cost of credit, rates, any up-front fee. */
export function PlanFacts({ plan, layout }: PlanFactsProps) {
  const { t } = useTranslation();
  const words = usePlanWords();
  const full = layout === "full";

  return (
    <dl className={`plan-facts plan-facts-${layout}`}>
      {full && (
        <div>
          <dt>{t("offers.figure.principal")}</dt>
          <dd data-testid="plan-principal" data-value={plan.principal.minor}>
            {words.money(plan.principal)}
          </dd>
        </div>
      )}
      <div>
        <dt>{t("offers.figure.monthly")}</dt>
        <dd data-testid="plan-monthly" data-value={plan.monthly_payment.minor}>
          {words.money(plan.monthly_payment)}
          {paymentsVary(plan) && (
            <span className="plan-note">
              {t("offers.figure.firstPayment", { last: words.money(plan.last_payment) })}
            </span>
          )}
        </dd>
      </div>
      <div>
        <dt>{t("offers.figure.cost")}</dt>
        <dd
          className={plan.total_cost.minor === 0 ? "plan-free" : undefined}
          data-testid="plan-cost"
          data-value={plan.total_cost.minor}
        >
          {words.cost(plan)}
        </dd>
      </div>
      {plan.up_front_fee !== null && (
        <div>
          <dt>{t("offers.figure.upFrontFee")}</dt>
          <dd data-testid="plan-up-front-fee" data-value={plan.up_front_fee.minor}>
            {words.money(plan.up_front_fee)}
          </dd>
        </div>
      )}
      {full && (
        <div>
          <dt>{t("offers.figure.totalRepaid")}</dt>
          <dd data-value={plan.total_repaid.minor}>{words.money(plan.total_repaid)}</dd>
        </div>
      )}
      {full ? (
        <>
          <div className="plan-rate">
            <dt>{t("offers.figure.apr")}</dt>
            <dd data-testid="plan-apr" data-value={plan.apr_pct}>
              {t("offers.figure.aprValue", { rate: words.rate(plan.apr_pct) })}
            </dd>
          </div>
          <div className="plan-rate">
            <dt>{t("offers.figure.effectiveRate")}</dt>
            <dd data-testid="plan-effective" data-value={plan.effective_annual_rate_pct}>
              {words.rate(plan.effective_annual_rate_pct)}
            </dd>
          </div>
          {plan.naive_rate_pct !== null && (
            <div className="plan-rate">
              <dt>{t("offers.figure.naiveRate")}</dt>
              <dd className="plan-naive" data-testid="plan-naive" data-value={plan.naive_rate_pct}>
                {words.rate(plan.naive_rate_pct)}
              </dd>
            </div>
          )}
        </>
      ) : (
        <div className="plan-rate">
          <dt>{t("offers.figure.apr")}</dt>
          <dd>
            <span className="plan-apr" data-testid="plan-apr" data-value={plan.apr_pct}>
              {t("offers.figure.aprValue", { rate: words.rate(plan.apr_pct) })}
            </span>
            {plan.naive_rate_pct !== null && (
              <span
                className="plan-naive"
                data-testid="plan-naive"
                data-value={plan.naive_rate_pct}
              >
                {t("offers.figure.naive", { rate: words.rate(plan.naive_rate_pct) })}
              </span>
            )}
            <span className="plan-note" data-testid="plan-effective">
              {t("offers.figure.effective", { rate: words.rate(plan.effective_annual_rate_pct) })}
            </span>
          </dd>
        </div>
      )}
    </dl>
  );
}
