/**
 * Green spend by month as bars, with carbon saved as a line on a second axis.
 *
 * Chart.js paints on a canvas, so the chart reads its colours from the page's CSS variables and
 * is rebuilt when the colour scheme changes. Only the Chart.js parts used here are registered,
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
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";

import type { MonthPoint } from "../bindings";
import { formatAxisMoney, formatCarbon, formatMoney, formatMonth, minorToMajor } from "../format";
import { useLocale } from "../i18n";
import { usePrefersDark, usePrefersReducedMotion } from "../theme";

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);

interface SpendChartProps {
  /** Consecutive months, oldest first. */
  series: readonly MonthPoint[];
  currency: string;
}

export function SpendChart({ series, currency }: SpendChartProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const dark = usePrefersDark();
  const reducedMotion = usePrefersReducedMotion();
  const canvasRef = useRef<HTMLCanvasElement>(null);

  const spendLabel = t("dashboard.spendAxis");
  const carbonLabel = t("dashboard.carbonAxis");

  useEffect(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext("2d");
    if (canvas == null || context == null) return;

    const css = getComputedStyle(canvas);
    const color = (name: string) => css.getPropertyValue(name).trim() || "#888";
    const text = color("--text-muted");
    const grid = color("--border");

    const chart = new Chart<"bar" | "line", number[], string>(context, {
      type: "bar",
      data: {
        labels: series.map((point) => formatMonth(point.month, locale, "short")),
        datasets: [
          {
            type: "bar",
            label: spendLabel,
            data: series.map((point) => minorToMajor(point.spend_minor, currency)),
            backgroundColor: color("--chart-spend"),
            borderRadius: 3,
            yAxisID: "spend",
            order: 2,
          },
          {
            type: "line",
            label: carbonLabel,
            data: series.map((point) => point.carbon_g / 1000),
            borderColor: color("--chart-carbon"),
            backgroundColor: color("--chart-carbon"),
            pointRadius: 2,
            cubicInterpolationMode: "monotone",
            yAxisID: "carbon",
            order: 1,
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
            labels: {
              color: text,
              boxWidth: 12,
              sort: (a, b) => (a.datasetIndex ?? 0) - (b.datasetIndex ?? 0),
            },
          },
          tooltip: {
            callbacks: {
              label: (item) => {
                const point = series[item.dataIndex];
                if (point === undefined) return "";
                return item.datasetIndex === 0
                  ? `${spendLabel}: ${formatMoney(point.spend_minor, currency, locale)}`
                  : `${carbonLabel}: ${formatCarbon(point.carbon_g, locale)}`;
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
            ticks: { color: text },
            grid: { display: false },
          },
        },
      },
    });

    return () => {
      chart.destroy();
    };
  }, [series, currency, locale, dark, reducedMotion, spendLabel, carbonLabel]);

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
