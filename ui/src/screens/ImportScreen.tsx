/**
 * Importing payment exports: a button that opens the native file picker (run by the Rust
 * side), a note that files can be dropped anywhere on the window, and the report of the last
 * import, one card per file.
 *
 * The state lives in the shell (`useImports`), because a drop can happen on any screen: the
 * shell brings this screen forward when a report arrives.
 */
import { useTranslation } from "react-i18next";

import { ErrorNotice } from "../components/ErrorNotice";
import { ImportReportView } from "../components/ImportReportView";
import type { ImportState } from "../imports";

interface ImportScreenProps {
  imports: ImportState;
  onPick: () => void;
}

export function ImportScreen({ imports, onPick }: ImportScreenProps) {
  const { t } = useTranslation();

  return (
    <div className="import-screen" data-testid="import-screen">
      <h2>{t("import.title")}</h2>
      <p className="muted">{t("import.intro")}</p>
      <div className="toolbar">
        <button
          type="button"
          className="button"
          data-testid="import-pick"
          disabled={imports.running}
          onClick={onPick}
        >
          {imports.running ? t("import.running") : t("import.choose")}
        </button>
        <p className="muted">{t("import.dropHint")}</p>
      </div>

      {imports.error !== null && <ErrorNotice error={imports.error} onRetry={onPick} />}

      {imports.outcomes === null ? (
        <p className="muted">{t("import.none")}</p>
      ) : (
        <div className="import-reports" aria-live="polite">
          {imports.outcomes.map((outcome, index) => (
            <ImportReportView key={`${outcome.file}-${index}`} outcome={outcome} />
          ))}
        </div>
      )}
    </div>
  );
}
