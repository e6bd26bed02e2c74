/**
 * One plan worked out in full, for the offer page and the calculator: its terms, the figures
 * and rates side by side, then every instalment.
 */
import { useTranslation } from "react-i18next";

import type { PlanDetail } from "../bindings";
import { PlanFacts, usePlanWords } from "./PlanFacts";
import { ScheduleTable } from "./ScheduleTable";

interface PlanBreakdownProps {
  detail: PlanDetail;
  /** Tells apart the headings of several plans on one page. */
  headingId: string;
  testId?: string;
}

export function PlanBreakdown({ detail, headingId, testId }: PlanBreakdownProps) {
  const { t } = useTranslation();
  const words = usePlanWords();
  const plan = detail.row;
  const subsidy = words.subsidy(plan);

  return (
    <section
      className="card plan-breakdown"
      aria-labelledby={headingId}
      data-testid={testId}
      data-kind={plan.kind}
    >
      <h3 id={headingId} className="plan-breakdown-title">
        {words.months(plan.months)} · {words.terms(plan)}
      </h3>
      {subsidy !== null && <p className="plan-note">{subsidy}</p>}
      <PlanFacts plan={plan} layout="full" />
      <ScheduleTable
        schedule={detail.schedule}
        caption={t("offers.detail.schedule", { months: words.months(plan.months) })}
        planHeadingId={headingId}
      />
    </section>
  );
}
