/**
 * The dashboard's cards: green spend this month with the change from the same days of last
 * month (and last month's whole spend for context), carbon saved this month, carbon saved in
 * total (measured and estimated, bills left out for unknown carbon, the same as car km), the
 * bill and offer counts, and the next instalment due. Each value carries its raw number for
 * end-to-end tests.
 */
import { useTranslation } from "react-i18next";

import type { Dashboard } from "../bindings";
import { carbonUnknown } from "../carbon";
import { formatCarbon, formatCount, formatMoney, formatPercent } from "../format";
import { useLocale } from "../i18n";
import { CarbonTotalCard } from "./CarbonTotalCard";
import { NextPaymentCard } from "./NextPaymentCard";
import { StatCard } from "./StatCard";

interface DashboardStatsProps {
  data: Dashboard;
  /** The current time in milliseconds, to say how soon the next instalment is due. */
  now: number;
}

export function DashboardStats({ data, now }: DashboardStatsProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { currency, this_month: thisMonth, last_month: lastMonth } = data;

  // A month a few days old is compared with as many days of the month before, never with all
  // of it; the whole of last month stays beside it as context.
  const sameDays = data.last_month_to_date_spend_minor;
  const change = thisMonth.spend_minor - sameDays;
  const signedChange = formatMoney(change, currency, locale, true);
  let changeText: string;
  if (change === 0) {
    changeText = t("dashboard.sameAsSameDays");
  } else if (sameDays > 0) {
    const percent = formatPercent(change / sameDays, locale, true);
    changeText = t("dashboard.changeVsSameDays", { change: signedChange, percent });
  } else {
    changeText = t("dashboard.changeVsSameDaysNoPercent", { change: signedChange });
  }

  // Spending less on green goods is not a fault, so a drop is not coloured as a warning.
  const spendNote = (
    <>
      <span
        className={change > 0 ? "up" : undefined}
        data-testid="spend-change"
        data-value={change}
        data-baseline={sameDays}
      >
        {changeText}
      </span>
      <br />
      <span className="muted">
        {t("dashboard.lastMonth", {
          amount: formatMoney(lastMonth.spend_minor, currency, locale),
        })}
      </span>
    </>
  );

  // A month whose bills all lack a figure reads "unknown", never a measured-looking 0 g.
  const monthUnknown = carbonUnknown(thisMonth);
  const monthNote =
    thisMonth.carbon_unknown > 0 ? (
      <span
        className="unknown"
        data-testid="carbon-this-month-unknown"
        data-value={thisMonth.carbon_unknown}
      >
        {t(monthUnknown ? "dashboard.unknownBills" : "dashboard.plusUnknown", {
          count: thisMonth.carbon_unknown,
        })}
      </span>
    ) : undefined;

  return (
    <div className="stats">
      <StatCard
        label={t("dashboard.spendThisMonth")}
        value={formatMoney(thisMonth.spend_minor, currency, locale)}
        raw={thisMonth.spend_minor}
        testId="spend-this-month"
        note={spendNote}
      />
      <NextPaymentCard payment={data.next_payment} now={now} timeZone={data.time_zone} />
      <StatCard
        label={t("dashboard.carbonThisMonth")}
        value={monthUnknown ? t("common.unknown") : formatCarbon(thisMonth.carbon_g, locale)}
        raw={thisMonth.carbon_g}
        testId="carbon-this-month"
        note={monthNote}
      />
      <CarbonTotalCard data={data} />
      <StatCard
        label={t("dashboard.billCount")}
        value={formatCount(data.bill_count, locale)}
        raw={data.bill_count}
        testId="bill-count"
      />
      <StatCard
        label={t("dashboard.offerCount")}
        value={formatCount(data.offer_count, locale)}
        raw={data.offer_count}
        testId="offer-count"
      />
    </div>
  );
}
