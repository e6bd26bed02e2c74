/**
 * Carbon saved in two parts: grams from measured figures (a recorded km or kWh times published
 * factors) and grams from estimates (spend-based, or projected over a service life), as a bar
 * split in proportion and a legend with both figures.
 *
 * Each figure carries its raw grams in `data-value` beside its test id, so end-to-end tests
 * compare numbers, never localized text.
 */
import { useTranslation } from "react-i18next";

import { formatCarbon } from "../format";
import { useLocale } from "../i18n";

interface CarbonSplitProps {
  measured: number;
  estimated: number;
  /** Test ids for the two figures; none when several splits share a page. */
  testIds?: { measured: string; estimated: string };
}

export function CarbonSplit({ measured, estimated, testIds }: CarbonSplitProps) {
  const { t } = useTranslation();
  const locale = useLocale();

  return (
    <div className="carbon-split">
      {measured + estimated > 0 && (
        <span className="split-bar" aria-hidden="true">
          <span className="split-measured" style={{ flexGrow: measured }} />
          <span className="split-estimated" style={{ flexGrow: estimated }} />
        </span>
      )}
      <span className="split-legend">
        <span className="split-item">
          <span className="swatch swatch-measured" aria-hidden="true" />
          {t("carbon.measured")}{" "}
          <span data-testid={testIds?.measured} data-value={measured}>
            {formatCarbon(measured, locale)}
          </span>
        </span>
        <span className="split-item">
          <span className="swatch swatch-estimated" aria-hidden="true" />
          {t("carbon.estimated")}{" "}
          <span data-testid={testIds?.estimated} data-value={estimated}>
            {formatCarbon(estimated, locale)}
          </span>
        </span>
      </span>
    </div>
  );
}
