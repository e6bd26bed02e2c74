/**
 * Green spend by month as bars, and beside each a bar of carbon saved on a second axis,
 * stacked from its measured and estimated grams. A month with bills of unknown carbon says so
 * in its tooltip, and one whose carbon is all unknown reads "unknown", not 0 g.
 *
 * Chart.js paints on a canvas, so the chart reads its colours from the page's CSS variables and
 * is rebuilt when the theme changes. Only the Chart.js parts used here are registered,
 * which keeps the rest out of the bundle. The canvas carries a summary for screen readers; the
 * same figures are in the category table and the cards.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
} from "chart.js";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";

import type { MonthPoint } from "../bindings";
import { carbonUnknown } from "../carbon";
import { formatAxisMoney, formatCarbon, formatMoney, formatMonth, minorToMajor } from "../format";
import { useLocale } from "../i18n";
import { usePrefersReducedMotion, useTheme } from "../theme";

Chart.register(BarController, BarElement, CategoryScale, Legend, LinearScale, Tooltip);

/** The datasets, in drawing and legend order. */
const SPEND = 0;
const MEASURED = 1;
const ESTIMATED = 2;

interface SpendChartProps {
  /** Consecutive months, oldest first. */
  series: readonly MonthPoint[];
  currency: string;
}

export function SpendChart({ series, currency }: SpendChartProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const theme = useTheme();
  const reducedMotion = usePrefersReducedMotion();
  const canvasRef = useRef<HTMLCanvasElement>(null);

  const spendLabel = t("dashboard.spendAxis");
  const measuredLabel = t("dashboard.carbonMeasuredAxis");
  const estimatedLabel = t("dashboard.carbonEstimatedAxis");
  const carbonLabel = t("dashboard.column.carbon");
  const measuredName = t("carbon.measured");
  const estimatedName = t("carbon.estimated");

  useEffect(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext("2d");
    if (canvas == null || context == null) return;

    const css = getComputedStyle(canvas);
    const color = (name: string) => css.getPropertyValue(name).trim() || "#888";
    const text = color("--text-muted");
    const grid = color("--border");
    const unknownText = (count: number, alone: boolean) =>
      t(alone ? "dashboard.unknownBills" : "dashboard.plusUnknown", { count });

    const chart = new Chart<"bar", number[], string>(context, {
      type: "bar",
      data: {
        labels: series.map((point) => formatMonth(point.month, locale, "short")),
        datasets: [
          {
            label: spendLabel,
            data: series.map((point) => minorToMajor(point.spend_minor, currency)),
            backgroundColor: color("--chart-spend"),
            borderRadius: 3,
            yAxisID: "spend",
            stack: "spend",
          },
          {
            label: measuredLabel,
            data: series.map((point) => point.carbon_measured_g / 1000),
            backgroundColor: color("--chart-carbon"),
            yAxisID: "carbon",
            stack: "carbon",
          },
          {
            label: estimatedLabel,
            data: series.map((point) => point.carbon_estimated_g / 1000),
            backgroundColor: color("--chart-carbon-estimated"),
            borderRadius: 3,
            yAxisID: "carbon",
            stack: "carbon",
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reducedMotion ? false : { duration: 300 },
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: {
            labels: { color: text, boxWidth: 12 },
          },
          tooltip: {
            // A month whose carbon is all unknown gets one "unknown (N bills)" line instead
            // of a measured and an estimated 0 g.
            filter: (item) => {
              const point = series[item.dataIndex];
              return !(
                item.datasetIndex === ESTIMATED &&
                point !== undefined &&
                carbonUnknown(point)
              );
            },
            callbacks: {
              label: (item) => {
                const point = series[item.dataIndex];
                if (point === undefined) return "";
                switch (item.datasetIndex) {
                  case SPEND:
                    return `${spendLabel}: ${formatMoney(point.spend_minor, currency, locale)}`;
                  case MEASURED:
                    return carbonUnknown(point)
                      ? `${carbonLabel}: ${unknownText(point.carbon_unknown, true)}`
                      : `${measuredName}: ${formatCarbon(point.carbon_measured_g, locale)}`;
                  default:
                    return `${estimatedName}: ${formatCarbon(point.carbon_estimated_g, locale)}`;
                }
              },
              footer: (items) => {
                const point = series[items[0]?.dataIndex ?? -1];
                if (point === undefined || point.carbon_unknown === 0 || carbonUnknown(point)) {
                  return "";
                }
                return unknownText(point.carbon_unknown, false);
              },
            },
          },
        },
        scales: {
          x: {
            ticks: { color: text, maxRotation: 0, autoSkipPadding: 8 },
            grid: { display: false },
          },
          spend: {
            type: "linear",
            position: "left",
            beginAtZero: true,
            ticks: {
              color: text,
              callback: (value) => formatAxisMoney(Number(value), currency, locale),
            },
            grid: { color: grid },
          },
          carbon: {
            type: "linear",
            position: "right",
            beginAtZero: true,
            stacked: true,
            ticks: { color: text },
            grid: { display: false },
          },
        },
      },
    });

    return () => {
      chart.destroy();
    };
  }, [
    series,
    currency,
    locale,
    theme,
    reducedMotion,
    t,
    spendLabel,
    measuredLabel,
    estimatedLabel,
    carbonLabel,
    measuredName,
    estimatedName,
  ]);

  return (
    <div className="chart-box">
      <canvas
        ref={canvasRef}
        role="img"
        aria-label={t("dashboard.chartSummary", { count: series.length })}
      />
    </div>
  );
}
