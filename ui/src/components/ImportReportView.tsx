/**
 * What became of one imported file, the same report the CLI prints: the layout recognised,
 * rows read and where each ended (imported, already imported, neutral, skipped with its line
 * and reason), the net spend and the green net spend per currency, and the green bills by
 * category with their carbon saved (or unknown, never 0). A file that could not be read says
 * why, and that nothing of it was saved.
 *
 * The reasons for skipped rows are the Rust side's English text, shown as they are: they quote
 * the file's own cells.
 */
import { useTranslation } from "react-i18next";

import type { CategoryReport, FileReport, ImportOutcome } from "../bindings";
import { formatCarbon, formatCount, formatMoney } from "../format";
import { useLocale } from "../i18n";

/** The file's name without its folder, which the report's title does not need. */
function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

function Money({ totals, testId }: { totals: Record<string, number>; testId: string }) {
  const locale = useLocale();
  const entries = Object.entries(totals);
  const cny = totals.CNY ?? 0;
  return (
    <span data-testid={testId} data-value={cny}>
      {entries.length === 0
        ? formatMoney(0, "CNY", locale)
        : entries.map(([currency, minor]) => formatMoney(minor, currency, locale)).join(" · ")}
    </span>
  );
}

function Count({ label, value, testId }: { label: string; value: number; testId: string }) {
  const locale = useLocale();
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId} data-value={value}>
        {formatCount(value, locale)}
      </dd>
    </div>
  );
}

function CategoryRow({ row }: { row: CategoryReport }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const known = row.carbon_g !== 0 || row.carbon_unknown === 0;
  return (
    <tr data-testid="import-category" data-category={row.category} data-bills={row.bills}>
      <th scope="row">{t(`category.${row.category}`)}</th>
      <td className="num">{formatCount(row.bills, locale)}</td>
      <td className="num">
        <Money totals={row.net_spend} testId="import-category-spend" />
      </td>
      <td className="num" data-value={row.carbon_g}>
        {known ? (
          formatCarbon(row.carbon_g, locale)
        ) : (
          <span className="unknown">{t("common.unknown")}</span>
        )}
        {known && row.carbon_unknown > 0 && (
          <span className="muted">
            {" "}
            {t("dashboard.plusUnknown", { count: row.carbon_unknown })}
          </span>
        )}
      </td>
    </tr>
  );
}

function Report({ report }: { report: FileReport }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const notes = [
    report.paid_by_relatives > 0 &&
      t("import.paidByRelatives", { count: report.paid_by_relatives }),
    report.ambiguous > 0 && t("import.ambiguous", { count: report.ambiguous }),
    report.refunds_updated > 0 && t("import.refundsUpdated", { count: report.refunds_updated }),
    report.refunds_unmatched > 0 &&
      t("import.refundsUnmatched", { count: report.refunds_unmatched }),
  ].filter((note): note is string => typeof note === "string");

  return (
    <>
      <dl className="facts">
        <div>
          <dt>{t("import.format")}</dt>
          <dd data-testid="import-format" data-format={report.format}>
            {t(`importFormat.${report.format}`)}
          </dd>
        </div>
        <Count label={t("import.rows")} value={report.rows} testId="import-rows" />
        <Count label={t("import.imported")} value={report.imported} testId="import-imported" />
        <Count
          label={t("import.duplicates")}
          value={report.duplicates}
          testId="import-duplicates"
        />
        <Count label={t("import.neutral")} value={report.neutral} testId="import-neutral" />
        <Count label={t("import.skipped")} value={report.skipped.length} testId="import-skipped" />
        <div>
          <dt>{t("import.netSpend")}</dt>
          <dd>
            <Money totals={report.net_spend} testId="import-net-spend" />
          </dd>
        </div>
        <div>
          <dt>{t("import.greenNetSpend")}</dt>
          <dd>
            <Money totals={report.green_net_spend} testId="import-green-net-spend" />
          </dd>
        </div>
      </dl>

      <h4>{t("import.greenByCategory")}</h4>
      {report.green.length === 0 ? (
        <p className="muted">{t("import.noGreen")}</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("dashboard.column.category")}</th>
                <th scope="col" className="num">
                  {t("dashboard.column.bills")}
                </th>
                <th scope="col" className="num">
                  {t("dashboard.column.spend")}
                </th>
                <th scope="col" className="num">
                  {t("dashboard.column.carbon")}
                </th>
              </tr>
            </thead>
            <tbody>
              {report.green.map((row) => (
                <CategoryRow key={row.category} row={row} />
              ))}
            </tbody>
          </table>
        </div>
      )}

      {notes.length > 0 && (
        <ul className="import-notes">
          {notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}

      {report.skipped.length > 0 && (
        <>
          <h4>{t("import.skippedRows")}</h4>
          <ul className="import-skipped" data-testid="import-skipped-rows">
            {report.skipped.map((row) => (
              <li key={row.line} data-line={row.line}>
                <strong>{t("import.line", { line: formatCount(row.line, locale) })}</strong>{" "}
                <span lang="en">{row.reason}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

export function ImportReportView({ outcome }: { outcome: ImportOutcome }) {
  const { t } = useTranslation();
  const name = baseName(outcome.file);

  return (
    <article
      className="card import-report"
      data-testid="import-report"
      data-file={name}
      data-state={outcome.report === null ? "failed" : "imported"}
    >
      <h3 title={outcome.file}>{name}</h3>
      {outcome.report !== null && <Report report={outcome.report} />}
      {outcome.error !== null && (
        <div className="notice notice-error" role="alert" data-code={outcome.error.code}>
          <p className="notice-title">{t("import.failed")}</p>
          <p lang="en">{outcome.error.message}</p>
          <p>{t("import.failedNote")}</p>
        </div>
      )}
    </article>
  );
}
