/**
 * The picked plans side by side, in the order `compare_plans` ranks them (cheapest in total
 * first, then by APR), the cheapest marked: monthly payment, cost of credit, the rates and any
 * subsidy.
 */
import { useCallback, useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";

import type { OfferRow, PlanPick } from "../bindings";
import * as ipc from "../ipc";
import { comparedOffers } from "../offers";
import { useResource } from "../resource";
import { ErrorNotice } from "./ErrorNotice";
import { paymentsVary, usePlanWords } from "./PlanFacts";

interface PlanComparisonProps {
  /** The plans to compare, 2 to 4; a stable array, as it is what the answer is loaded for. */
  picks: readonly PlanPick[];
  /** The offer list, to name each plan in the user's language. */
  offers: readonly OfferRow[];
  /** The data version; a finished sync reloads the comparison. */
  version: number;
  onBack: () => void;
}

export function PlanComparison({ picks, offers, version, onBack }: PlanComparisonProps) {
  const { t } = useTranslation();
  const words = usePlanWords();
  const load = useCallback(() => ipc.comparePlans([...picks]), [picks]);
  const resource = useResource(load, version);
  const rows = resource.value;
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  const sources = rows === undefined ? [] : comparedOffers(rows, picks, offers);
  const cheapest = rows?.[0]?.plan.total_cost.minor;

  return (
    <div className="comparison" data-testid="comparison">
      <div className="toolbar">
        <button type="button" className="button button-quiet" onClick={onBack}>
          ← {t("offers.detail.back")}
        </button>
      </div>
      <h2 tabIndex={-1} ref={headingRef}>
        {t("offers.compare.title")}
      </h2>

      {resource.error !== null && <ErrorNotice error={resource.error} onRetry={resource.retry} />}
      {rows === undefined ? (
        resource.error === null && (
          <p className="muted" role="status">
            {t("common.loading")}
          </p>
        )
      ) : (
        <div className="table-scroll">
          <table className="table comparison-table">
            <caption className="visually-hidden">{t("offers.compare.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("offers.compare.column.plan")}</th>
                <th scope="col" className="num">
                  {t("offers.compare.column.monthly")}
                </th>
                <th scope="col" className="num">
                  {t("offers.compare.column.cost")}
                </th>
                <th scope="col" className="num">
                  {t("offers.compare.column.apr")}
                </th>
                <th scope="col" className="num">
                  {t("offers.compare.column.effective")}
                </th>
                <th scope="col">{t("offers.compare.column.subsidy")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => {
                const { plan } = row;
                const offer = sources[index] ?? null;
                const isCheapest = plan.total_cost.minor === cheapest;
                return (
                  <tr
                    key={index}
                    className={isCheapest ? "comparison-cheapest" : undefined}
                    data-testid="comparison-row"
                    data-cheapest={isCheapest}
                    data-cost={plan.total_cost.minor}
                  >
                    <th scope="row">
                      <span className="comparison-label">
                        {offer === null
                          ? row.label
                          : `${offer.product} · ${words.months(plan.months)}`}
                      </span>
                      <span className="plan-note">
                        {offer === null ? "" : `${offer.merchant} · `}
                        {words.terms(plan)}
                      </span>
                      {isCheapest && (
                        <span className="badge badge-accent">{t("offers.compare.cheapest")}</span>
                      )}
                    </th>
                    <td
                      className="num"
                      data-label={t("offers.compare.column.monthly")}
                      data-value={plan.monthly_payment.minor}
                    >
                      {words.money(plan.monthly_payment)}
                      {paymentsVary(plan) && (
                        <span className="plan-note">
                          {t("offers.figure.firstPayment", {
                            last: words.money(plan.last_payment),
                          })}
                        </span>
                      )}
                    </td>
                    <td
                      className="num"
                      data-label={t("offers.compare.column.cost")}
                      data-value={plan.total_cost.minor}
                    >
                      {words.cost(plan)}
                    </td>
                    <td
                      className="num"
                      data-label={t("offers.compare.column.apr")}
                      data-value={plan.apr_pct}
                    >
                      {words.rate(plan.apr_pct)}
                      {plan.naive_rate_pct !== null && (
                        <span className="plan-note plan-naive">
                          {t("offers.figure.naive", { rate: words.rate(plan.naive_rate_pct) })}
                        </span>
                      )}
                    </td>
                    <td
                      className="num"
                      data-label={t("offers.compare.column.effective")}
                      data-value={plan.effective_annual_rate_pct}
                    >
                      {words.rate(plan.effective_annual_rate_pct)}
                    </td>
                    <td data-label={t("offers.compare.column.subsidy")}>
                      {words.subsidy(plan) ?? t("offers.compare.noSubsidy")}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
