/**
 * The dashboard's card for the next instalment due on a plan the user holds: how much, when
 * (and in how many days), for what, and which payment of the plan it is; or that none is due.
 *
 * Days are counted in the dashboard's time zone, the one its months were taken in, so "today"
 * here is the same day the Rust side took as today.
 */
import { useTranslation } from "react-i18next";

import type { UpcomingPayment } from "../bindings";
import { daysUntil, formatAmount, formatDate, formatDaysAhead } from "../format";
import { useLocale } from "../i18n";

interface NextPaymentCardProps {
  payment: UpcomingPayment | null;
  /** The current time in milliseconds. */
  now: number;
  /** The IANA time zone to count days in. */
  timeZone: string;
}

export function NextPaymentCard({ payment, now, timeZone }: NextPaymentCardProps) {
  const { t } = useTranslation();
  const locale = useLocale();

  if (payment === null) {
    return (
      <div className="card stat">
        <p className="stat-label">{t("dashboard.nextPayment")}</p>
        <p className="stat-empty muted" data-testid="next-payment">
          {t("dashboard.noNextPayment")}
        </p>
      </div>
    );
  }

  const days = daysUntil(payment.due, now, timeZone);
  return (
    <div className="card stat next-payment">
      <p className="stat-label">{t("dashboard.nextPayment")}</p>
      <p className="stat-value" data-testid="next-payment" data-value={payment.amount.minor}>
        {formatAmount(payment.amount, locale)}
      </p>
      <div className="stat-note">
        <p>
          <time dateTime={payment.due}>
            {t("dashboard.nextPaymentDue", {
              date: formatDate(payment.due, locale),
              when: formatDaysAhead(days, locale),
            })}
          </time>
        </p>
        <p className="muted">
          {payment.merchant} · {payment.item}
        </p>
        <p className="muted">
          {t("dashboard.nextPaymentOf", { number: payment.number, months: payment.months })}
        </p>
      </div>
    </div>
  );
}
