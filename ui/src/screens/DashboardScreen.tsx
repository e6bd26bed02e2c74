/**
 * The dashboard: the cards (spend this month against the same days of last month, carbon saved
 * measured and estimated, bill and offer counts, the next instalment due), spend and carbon by
 * month (a chart, and its figures as a table), by category, and how the bills were certified. Reloads whenever a sync finishes (`version` changes).
 */
import { useLayoutEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";

import { monthSeries } from "../charts";
import { CategoryTable } from "../components/CategoryTable";
import { CertificationMix } from "../components/CertificationMix";
import { DashboardStats } from "../components/DashboardStats";
import { ErrorNotice } from "../components/ErrorNotice";
import { MonthTable } from "../components/MonthTable";
import { SpendChart } from "../components/SpendChart";
import * as ipc from "../ipc";
import { useResource } from "../resource";
import { markStartup, useReportFirstPaint } from "../startup";

interface DashboardScreenProps {
  version: number;
  /** The current time in milliseconds. */
  now: number;
}

export function DashboardScreen({ version, now }: DashboardScreenProps) {
  const { t } = useTranslation();
  // The first render asks for the figures (for the start-up timing; later renders add nothing).
  markStartup("dashboard");
  const resource = useResource(ipc.dashboard, version);
  const data = resource.value;
  if (data !== undefined) markStartup("answered");

  // The chart rebuilds when its series changes identity, so it changes only with the data.
  const series = useMemo(
    () => (data === undefined ? [] : monthSeries(data.by_month, data.this_month.month)),
    [data],
  );
  useReportFirstPaint(data !== undefined);
  // The figures are in the page, not yet painted (start-up timing).
  useLayoutEffect(() => {
    if (data !== undefined) markStartup("committed");
  });

  if (data === undefined) {
    return resource.error !== null ? (
      <ErrorNotice error={resource.error} onRetry={resource.retry} />
    ) : (
      <p className="muted" role="status">
        {t("common.loading")}
      </p>
    );
  }

  return (
    <div className="dashboard" data-testid="dashboard">
      {resource.error !== null && <ErrorNotice error={resource.error} onRetry={resource.retry} />}
      <DashboardStats data={data} now={now} />

      <section className="card" aria-labelledby="spend-by-month">
        <h2 id="spend-by-month">{t("dashboard.spendByMonth")}</h2>
        <SpendChart series={series} currency={data.currency} />
        <MonthTable months={data.by_month} currency={data.currency} />
      </section>

      <div className="columns">
        <section className="card" aria-labelledby="by-category">
          <h2 id="by-category">{t("dashboard.byCategory")}</h2>
          {data.by_category.length === 0 ? (
            <p className="muted">{t("dashboard.noBills")}</p>
          ) : (
            <CategoryTable rows={data.by_category} currency={data.currency} />
          )}
        </section>
        <section className="card" aria-labelledby="certification-mix">
          <h2 id="certification-mix">{t("dashboard.certificationMix")}</h2>
          {data.certification_mix.length === 0 ? (
            <p className="muted">{t("dashboard.noBills")}</p>
          ) : (
            <CertificationMix mix={data.certification_mix} />
          )}
        </section>
      </div>
    </div>
  );
}
