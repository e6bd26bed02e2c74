/**
 * The dashboard's carbon card: the total saved over the whole ledger, split into measured and
 * estimated grams, how many bills were left out for unknown carbon, and the total as the same
 * distance in an average car, with the factor it divides by one click away.
 *
 * The comparison is worded here rather than taken from the Rust side's English `text`, so it
 * reads in the user's language; the amount and the factor are the Rust side's.
 */
import { useTranslation } from "react-i18next";

import type { Dashboard, Equivalent } from "../bindings";
import { formatCarbon, formatCount } from "../format";
import { useLocale } from "../i18n";
import { CarbonSplit } from "./CarbonSplit";
import { FactorFacts } from "./FactorFacts";

export function CarbonTotalCard({ data }: { data: Dashboard }) {
  const { t } = useTranslation();
  const locale = useLocale();

  return (
    <div className="card stat carbon-total-card">
      <p className="stat-label">{t("dashboard.carbonTotal")}</p>
      <p className="stat-value" data-testid="carbon-total" data-value={data.carbon_total_g}>
        {formatCarbon(data.carbon_total_g, locale)}
      </p>
      <div className="stat-note">
        <CarbonSplit
          measured={data.carbon_measured_g}
          estimated={data.carbon_estimated_g}
          testIds={{ measured: "carbon-measured", estimated: "carbon-estimated" }}
        />
        {data.carbon_unknown_bills > 0 && (
          <p
            className="unknown"
            data-testid="carbon-unknown"
            data-value={data.carbon_unknown_bills}
          >
            {t("dashboard.carbonUnknownNote", { count: data.carbon_unknown_bills })}
          </p>
        )}
        {data.carbon_car_km !== null && <EquivalentLine equivalent={data.carbon_car_km} />}
      </div>
    </div>
  );
}

function EquivalentLine({ equivalent }: { equivalent: Equivalent }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const amount = formatCount(equivalent.amount, locale);

  return (
    <div className="equivalent">
      <p data-testid="carbon-equivalent" data-kind={equivalent.kind} data-value={equivalent.amount}>
        {t(`dashboard.equivalent.${equivalent.kind}`, { amount, unit: equivalent.unit })}
      </p>
      <FactorFacts factor={equivalent.factor} testId="equivalent-factor" />
    </div>
  );
}
