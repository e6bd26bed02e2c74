/**
 * "Why this number": one bill's carbon figure traced back to its parts, so it can be checked by
 * hand. The figure (or why there is none), the server's and this app's figures when they
 * differ, the method with its version and formula, the inputs, the baseline, whether the
 * figure is measured or estimated and how far to trust it, the arithmetic line by line, and
 * every factor with its published source and licence.
 *
 * A bill refunded in full saved nothing and reads "none"; a bill without a figure for any other
 * reason reads "unknown", never 0 g. The method's formula, the baseline, the arithmetic and the
 * factors' sources are the Rust side's English text, shown as they are so they match the
 * factor table and the CLI word for word.
 */
import { useTranslation } from "react-i18next";

import type { CarbonActivity, CarbonExplanation, FigureSource } from "../bindings";
import { formatAmount, formatCarbon, formatCount, formatExact } from "../format";
import { useLocale } from "../i18n";
import { FactorTable } from "./FactorTable";

/** What the figure says: a number of grams, unknown, or none at all (refunded in full). */
type FigureState = "known" | "unknown" | "none";

export function CarbonExplanationView({ explanation }: { explanation: CarbonExplanation }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { grams, method } = explanation;

  let state: FigureState;
  let figure: string;
  let reason: string | null = null;
  if (grams !== null) {
    state = "known";
    figure = formatCarbon(grams, locale);
  } else if (explanation.no_figure === "refunded") {
    state = "none";
    figure = t("carbon.explain.none");
    reason = t("carbon.explain.noneReason");
  } else {
    state = "unknown";
    figure = t("common.unknown");
    reason = t(`carbon.explain.unknownReason.${explanation.no_figure ?? "not_provided"}`);
  }

  return (
    <section
      className="card carbon-explanation"
      aria-labelledby="why-this-number"
      data-testid="carbon-explanation"
      data-figure={state}
      data-grams={grams ?? undefined}
    >
      <h3 id="why-this-number">{t("carbon.explain.title")}</h3>

      <p className="explain-figure">
        <span className={state === "known" ? "explain-grams" : "explain-grams unknown"}>
          {figure}
        </span>
        {grams !== null && Math.abs(grams) >= 1000 && (
          <span className="muted">
            {" "}
            ({t("carbon.explain.grams", { grams: formatCount(grams, locale) })})
          </span>
        )}
      </p>
      {reason !== null && (
        <p className="explain-reason" data-testid="no-figure" data-reason={explanation.no_figure}>
          {reason}
          {explanation.no_figure_reason !== null && (
            <span className="muted explain-detail">{explanation.no_figure_reason}</span>
          )}
        </p>
      )}

      {explanation.differs && (
        <div className="explain-differs" data-testid="figures-differ">
          <dl className="facts">
            {explanation.api !== null && (
              <FigureFact
                label={
                  explanation.source === "file"
                    ? t("carbon.explain.importFigure")
                    : t("carbon.explain.apiFigure")
                }
                figure={explanation.api}
                testId="figure-api"
              />
            )}
            {explanation.local !== null && (
              <FigureFact
                label={t("carbon.explain.localFigure")}
                figure={explanation.local}
                testId="figure-local"
              />
            )}
          </dl>
          <p className="muted">{t("carbon.explain.differs")}</p>
        </div>
      )}
      {explanation.not_recomputed !== null && (
        <p className="muted" data-testid="not-recomputed" data-reason={explanation.not_recomputed}>
          {t(`carbon.explain.notRecomputed.${explanation.not_recomputed}`)}
        </p>
      )}

      {method !== null && (
        <div className="explain-part" data-testid="carbon-method" data-method={method.id}>
          <h4>{t("carbon.explain.method")}</h4>
          <p>
            <code>{method.name}</code> {t("carbon.explain.version", { version: method.version })}
          </p>
          <p className="formula">{method.formula}</p>
        </div>
      )}

      {(explanation.basis !== null ||
        explanation.confidence !== null ||
        explanation.baseline !== null) && (
        <dl className="facts explain-part">
          {explanation.basis !== null && (
            <div data-testid="carbon-basis" data-basis={explanation.basis}>
              <dt>{t("carbon.explain.basis")}</dt>
              <dd>{t(`carbon.explain.basisValue.${explanation.basis}`)}</dd>
            </div>
          )}
          {explanation.confidence !== null && (
            <div>
              <dt>{t("carbon.factor.confidence")}</dt>
              <dd>{t(`carbon.confidence.${explanation.confidence}`)}</dd>
            </div>
          )}
          {explanation.baseline !== null && (
            <div className="facts-wide">
              <dt>{t("carbon.explain.baseline")}</dt>
              <dd>{explanation.baseline}</dd>
            </div>
          )}
        </dl>
      )}

      {explanation.activity !== null && (
        <div className="explain-part">
          <h4>{t("carbon.explain.inputs")}</h4>
          <ActivityFacts activity={explanation.activity} />
        </div>
      )}

      {explanation.arithmetic.length > 0 && (
        <div className="explain-part">
          <h4>{t("carbon.explain.arithmetic")}</h4>
          <ol className="arithmetic" data-testid="carbon-arithmetic">
            {explanation.arithmetic.map((line, index) => (
              <li key={index}>{line}</li>
            ))}
          </ol>
        </div>
      )}

      {explanation.factors.length > 0 && (
        <div className="explain-part">
          <h4>{t("carbon.explain.factors")}</h4>
          <FactorTable factors={explanation.factors} />
        </div>
      )}
    </section>
  );
}

interface FigureFactProps {
  label: string;
  figure: FigureSource;
  testId: string;
}

function FigureFact({ label, figure, testId }: FigureFactProps) {
  const locale = useLocale();

  return (
    <div data-testid={testId} data-grams={figure.grams} data-method={figure.method}>
      <dt>{label}</dt>
      <dd>
        <strong>{formatCarbon(figure.grams, locale)}</strong> <code>{figure.method}</code>
      </dd>
    </div>
  );
}

/** The method's inputs, each with its name and unit. */
function ActivityFacts({ activity }: { activity: CarbonActivity }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const number = (value: number) => formatExact(value, locale);

  let facts: [string, string][];
  switch (activity.kind) {
    case "appliance":
      facts = [
        [
          t("carbon.explain.input.baselineKwh"),
          t("carbon.explain.input.kwhPerYear", { value: number(activity.baseline_kwh_per_year) }),
        ],
        [
          t("carbon.explain.input.certifiedKwh"),
          t("carbon.explain.input.kwhPerYear", { value: number(activity.certified_kwh_per_year) }),
        ],
        [
          t("carbon.explain.input.serviceYears"),
          t("carbon.explain.input.years", {
            count: activity.service_years,
            value: number(activity.service_years),
          }),
        ],
      ];
      break;
    case "transit":
      facts = [
        [t("carbon.explain.input.mode"), t(`carbon.explain.mode.${activity.mode}`)],
        [
          t("carbon.explain.input.distance"),
          t("carbon.explain.input.km", { value: number(activity.km) }),
        ],
      ];
      break;
    case "shared_bike":
      facts = [
        [
          t("carbon.explain.input.distance"),
          t("carbon.explain.input.km", { value: number(activity.km) }),
        ],
      ];
      break;
    case "ev_charging":
      facts = [
        [
          t("carbon.explain.input.energy"),
          t("carbon.explain.input.kwh", { value: number(activity.kwh) }),
        ],
      ];
      break;
    case "second_hand":
      facts = [
        [t("carbon.explain.input.spend"), formatAmount(activity.spend, locale)],
        [t("carbon.explain.input.goods"), t(`carbon.explain.goods.${activity.goods}`)],
      ];
      break;
  }

  return (
    <dl className="facts" data-testid="carbon-inputs" data-kind={activity.kind}>
      {facts.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
