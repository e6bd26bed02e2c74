/**
 * Imports of payment exports, as the shell and the import screen share them.
 *
 * Every import ends with an `import://report` event from the Rust side, whether the files were
 * picked in the native dialog, dropped on the window or named by path, so `useImports` listens
 * to that one event: it keeps the last outcomes for the import screen, bumps `version` (the
 * cache changed, screens reload) and calls `onReport`, with which the shell brings the import
 * screen forward. `pick` opens the picker; its only other result is a failure of the command
 * itself (the cache could not be opened), kept in `error`.
 */
import { useCallback, useEffect, useRef, useState } from "react";

import type { AppError, ImportFormat, ImportOutcome } from "./bindings";
import { toAppError } from "./errors";
import * as ipc from "./ipc";

/** A record keyed by the generated type, so a layout added in Rust fails the type check here. */
const KNOWN_FORMATS: Record<ImportFormat, true> = {
  alipay_csv: true,
  alipay_csv_pre2023: true,
  alipay_pc_web: true,
  wechat_csv: true,
  wechat_xlsx: true,
  jd_csv: true,
  meituan_csv: true,
};

/** Every export layout the importers read. */
export const IMPORT_FORMATS = Object.keys(KNOWN_FORMATS) as readonly ImportFormat[];

/** Whether `value` names an export layout this build of the UI knows. */
export function isImportFormat(value: string): value is ImportFormat {
  return (IMPORT_FORMATS as readonly string[]).includes(value);
}

export interface ImportState {
  /** The outcome of each file of the last import, or null before any. */
  outcomes: ImportOutcome[] | null;
  /** Whether the picker is open or its files are being read. */
  running: boolean;
  /** Why the last import could not run at all. */
  error: AppError | null;
  /** Bumped after each import: the cache may have changed. */
  version: number;
}

export function useImports(onReport: () => void): {
  imports: ImportState;
  pick: () => void;
} {
  const [imports, setImports] = useState<ImportState>({
    outcomes: null,
    running: false,
    error: null,
    version: 0,
  });
  const report = useRef(onReport);
  useEffect(() => {
    report.current = onReport;
  });

  useEffect(() => {
    let live = true;
    let unlisten: (() => void) | null = null;
    ipc
      .onImportReport((outcomes) => {
        setImports((prev) => ({ ...prev, outcomes, error: null, version: prev.version + 1 }));
        report.current();
      })
      .then(
        (stop) => {
          if (live) unlisten = stop;
          else stop();
        },
        () => {
          // Without the event, the picker's own answer still shows its reports.
        },
      );
    return () => {
      live = false;
      unlisten?.();
    };
  }, []);

  const pick = useCallback(() => {
    setImports((prev) => ({ ...prev, running: true, error: null }));
    ipc.pickImportFiles().then(
      (outcomes) => {
        // The event brought the same outcomes already; a cancelled picker brings none.
        setImports((prev) => ({
          ...prev,
          running: false,
          outcomes: outcomes.length > 0 ? outcomes : prev.outcomes,
        }));
      },
      (reason: unknown) => {
        setImports((prev) => ({ ...prev, running: false, error: toAppError(reason) }));
      },
    );
  }, []);

  return { imports, pick };
}

/** A layout's name in the user's language; a layout this build does not know, as it is sent. */
export function importFormatLabel(
  format: string | null,
  t: (key: `importFormat.${ImportFormat}`) => string,
): string {
  if (format === null) return "";
  return isImportFormat(format) ? t(`importFormat.${format}`) : format;
}
