/**
 * The only bridge to the Rust side: one typed function per Tauri command and event.
 *
 * No other module imports `@tauri-apps/*` (ESLint enforces it), so tests mock this module and
 * the rest of the UI never sees `invoke`, command names or argument spelling. Every rejection is
 * rethrown as an `AppFailure` holding the `{code, message}` the command sent.
 *
 * | function         | command / event   | arguments     | result              |
 * | ---------------- | ----------------- | ------------- | ------------------- |
 * | `appStatus`      | `app_status`      | none          | `AppStatus`         |
 * | `syncNow`        | `sync_now`        | none          | `SyncReport`        |
 * | `resetDemo`      | `reset_demo`      | `{ persona }` | `SyncReport`        |
 * | `notificationsEnabled` | `notifications_enabled` | none | `boolean`     |
 * | `setNotifications` | `set_notifications` | `{ enabled }` | `boolean`       |
 * | `signIn`         | `sign_in`         | `{ serverUrl, email, password }` | `Account` |
 * | `signOut`        | `sign_out`        | none          | `SignOutReport`     |
 * | `dashboard`      | `dashboard`       | none          | `Dashboard`         |
 * | `bills`          | `bills`           | `{ query }`   | `BillList`          |
 * | `exportBills`    | `export_bills`    | `{ filter }`  | `ExportOutcome \| null` |
 * | `offers`         | `offers`          | none          | `OfferRow[]`        |
 * | `offerDetail`    | `offer_detail`    | `{ id }`      | `OfferDetail`       |
 * | `comparePlans`   | `compare_plans`   | `{ picks }`   | `ComparisonRow[]`   |
 * | `instalmentCalc` | `instalment_calc` | `{ request }` | `PlanDetail`        |
 * | `carbonExplain`  | `carbon_explain`  | `{ billId }`  | `CarbonExplanation` |
 * | `dashboardPainted` | `dashboard_painted` | `{ marks }`   | nothing             |
 * | `onSyncProgress` | `sync://progress` | handler       | unlisten function   |
 *
 * The education channel's commands, which work offline:
 *
 * | function             | command                | arguments                             | result           |
 * | -------------------- | ---------------------- | ------------------------------------- | ---------------- |
 * | `learnLessons`       | `learn_lessons`        | none                                  | `LessonView[]`   |
 * | `learnCheckAnswer`   | `learn_check_answer`   | `{ lessonId, answer }`                | `AnswerFeedback` |
 * | `learnSubmitAttempt` | `learn_submit_attempt` | `{ lessonId, answers, startedAt }`    | `AttemptOutcome` |
 * | `learnProgress`      | `learn_progress`       | none                                  | `Progress`       |
 * | `learnBadges`        | `learn_badges`         | none                                  | `BadgeStatus[]`  |
 * | `learnSaveBadgeCard` | `learn_save_badge_card` | `{ badgeId, lang }`                  | `SavedCard \| null` |
 * | `importFiles`    | `import_files`    | `{ paths }`   | `ImportOutcome[]`   |
 * | `pickImportFiles`| `pick_import_files` | none        | `ImportOutcome[]`   |
 * | `onImportReport` | `import://report` | handler       | unlisten function   |
 */
import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";

import type {
  Account,
  Answer,
  AnswerFeedback,
  AppStatus,
  AttemptOutcome,
  BadgeStatus,
  BillFilter,
  BillList,
  BillQuery,
  CalcRequest,
  CarbonExplanation,
  ComparisonRow,
  Dashboard,
  DesktopDiagnostics,
  ExportOutcome,
  Lang,
  LessonView,
  ImportOutcome,
  OfferDetail,
  OfferRow,
  Persona,
  PlanDetail,
  PlanPick,
  Progress,
  SavedCard,
  SignOutReport,
  SyncProgress,
  SupportBundle,
  SyncReport,
} from "./bindings";
import { AppFailure, toAppError } from "./errors";

/** The event the Rust side emits for each step of a sync run. */
export const SYNC_PROGRESS_EVENT = "sync://progress";

/** The event the Rust side emits when an import ends, whether picked, dropped or named. */
export const IMPORT_REPORT_EVENT = "import://report";

async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw new AppFailure(toAppError(reason));
  }
}

/** The app's mode, server, data folder and whether a sync is running. */
export function appStatus(): Promise<AppStatus> {
  return call<AppStatus>("app_status");
}

/** Runs a sync to the end; progress arrives meanwhile through `onSyncProgress`. */
export function syncNow(): Promise<SyncReport> {
  return call<SyncReport>("sync_now");
}

/**
 * Starts the demo afresh for the next visitor: seeded again as `persona` (null keeps the one
 * shown), the cache emptied, then synced; progress arrives through `onSyncProgress`. Refused
 * as `invalid_input` when the app is connected to a real server.
 */
export function resetDemo(persona: Persona | null): Promise<SyncReport> {
  return call<SyncReport>("reset_demo", { persona });
}

/** Whether native notifications (badges, instalments due) are on; they are off by default. */
export function notificationsEnabled(): Promise<boolean> {
  return call<boolean>("notifications_enabled");
}

/** Turns native notifications on or off; answers with the new state. */
export function setNotifications(enabled: boolean): Promise<boolean> {
  return call<boolean>("set_notifications", { enabled });
}

/**
 * Signs in to a Green API server. The password goes to the Rust side once; no token ever comes
 * back, only who is signed in.
 */
export function signIn(serverUrl: string, email: string, password: string): Promise<Account> {
  return call<Account>("sign_in", { serverUrl, email, password });
}

/** Signs out and removes everything of the account from this device. */
export function signOut(): Promise<SignOutReport> {
  return call<SignOutReport>("sign_out");
}

/** The dashboard's figures, computed from the local cache. */
export function dashboard(): Promise<Dashboard> {
  return call<Dashboard>("dashboard");
}

/**
 * Tells the shell the dashboard has painted its first figures (it times the start-up when
 * asked to). Fire and forget: nothing on screen depends on it.
 */
export function dashboardPainted(marks: StartupMarks): void {
  invoke("dashboard_painted", { marks }).catch(() => undefined);
}

/**
 * The moments of a start-up: `origin_ms` when the page began loading (ms since the Unix
 * epoch), then each moment's name and ms after it, in the order they came.
 */
export interface StartupMarks {
  origin_ms: number;
  moments: [string, number][];
}

/**
 * One page of bills, newest first, narrowed by `query.filter`; pass the page's `next` as
 * `after` for the page that follows. Only the first page (no `after`) carries the total.
 */
export function bills(query: BillQuery): Promise<BillList> {
  return call<BillList>("bills", { query });
}

/**
 * Opens the native save dialog on the Rust side and writes every bill `filter` takes there,
 * as CSV or JSON by the file's extension; `null` when the dialog is cancelled.
 */
export function exportBills(filter: BillFilter): Promise<ExportOutcome | null> {
  return call<ExportOutcome | null>("export_bills", { filter });
}

/** The instalment offers in the cache, each with its plans. */
export function offers(): Promise<OfferRow[]> {
  return call<OfferRow[]>("offers");
}

/** One offer with every plan's full schedule, the first instalment due a month from today. */
export function offerDetail(id: string): Promise<OfferDetail> {
  return call<OfferDetail>("offer_detail", { id });
}

/**
 * 2 to 4 plans side by side, cheapest in total first (then by APR); `plan` in each pick is the
 * plan's index in its offer's `plans`. Any other number of picks is refused as `invalid_input`.
 */
export function comparePlans(picks: PlanPick[]): Promise<ComparisonRow[]> {
  return call<ComparisonRow[]>("compare_plans", { picks });
}

/**
 * Any plan worked out from what the user typed: amounts and rates travel as the text typed and
 * are read exactly on the Rust side, which answers `invalid_input` for text it cannot read.
 */
export function instalmentCalc(request: CalcRequest): Promise<PlanDetail> {
  return call<PlanDetail>("instalment_calc", { request });
}

/**
 * How one bill's carbon figure was reached, recomputed from the cache: method, inputs, factors
 * with their sources, baseline, arithmetic, and both figures when the API's and this app's
 * differ. A bill id the cache does not hold is refused as `invalid_input`.
 */
export function carbonExplain(billId: string): Promise<CarbonExplanation> {
  return call<CarbonExplanation>("carbon_explain", { billId });
}

/** Every lesson with its quiz; the questions come without their answers. */
export function learnLessons(): Promise<LessonView[]> {
  return call<LessonView[]>("learn_lessons");
}

/** Whether one answer is right, with its explanation and source, shown right after it. */
export function learnCheckAnswer(lessonId: string, answer: Answer): Promise<AnswerFeedback> {
  return call<AnswerFeedback>("learn_check_answer", { lessonId, answer });
}

/**
 * Saves a finished quiz (delivered to the server later) and answers with its score, the XP it
 * added, the streak and any badges it earned. Answers that do not fit the quiz are refused as
 * `invalid_input`.
 */
export function learnSubmitAttempt(
  lessonId: string,
  answers: Answer[],
  startedAt: string,
): Promise<AttemptOutcome> {
  return call<AttemptOutcome>("learn_submit_attempt", { lessonId, answers, startedAt });
}

/** XP, the streak and every lesson's progress. */
export function learnProgress(): Promise<Progress> {
  return call<Progress>("learn_progress");
}

/** Every badge: earned with its date, or locked with its criteria. */
export function learnBadges(): Promise<BadgeStatus[]> {
  return call<BadgeStatus[]>("learn_badges");
}

/**
 * Draws an earned badge's share card in `lang` and saves it as PNG where the user picks in the
 * native save dialog, opened from Rust; `null` when the dialog is cancelled. A locked badge is
 * refused with `invalid_input`.
 */
export function learnSaveBadgeCard(badgeId: string, lang: Lang): Promise<SavedCard | null> {
  return call<SavedCard | null>("learn_save_badge_card", { badgeId, lang });
}

/**
 * Calls `handler` with each sync progress event until the returned function is called.
 *
 * Resolves once the listener is registered, so a caller that awaits it before asking for the
 * app status cannot miss an event in between.
 */
export async function onSyncProgress(
  handler: (progress: SyncProgress) => void,
): Promise<() => void> {
  try {
    return await listen<SyncProgress>(SYNC_PROGRESS_EVENT, (event) => {
      handler(event.payload);
    });
  } catch (reason) {
    throw new AppFailure(toAppError(reason));
  }
}

/** The installation's checks: the same as `greenmile doctor`, plus the webview and logs. */
export function diagnostics(): Promise<DesktopDiagnostics> {
  return call<DesktopDiagnostics>("diagnostics");
}

/** Saves the checks and the newest logs, redacted, as a zip, and says where. */
export function saveSupportBundle(): Promise<SupportBundle> {
  return call<SupportBundle>("save_support_bundle");
}

/**
 * Imports the payment exports at `paths`; the outcomes also arrive through `onImportReport`.
 * A file that cannot be read is an outcome with an error; the command itself fails only when
 * the cache does.
 */
export function importFiles(paths: string[]): Promise<ImportOutcome[]> {
  return call<ImportOutcome[]>("import_files", { paths });
}

/**
 * Opens the native file picker on the Rust side and imports the files chosen; an empty list
 * when the picker is cancelled. The UI holds no dialog or file permission of its own.
 */
export function pickImportFiles(): Promise<ImportOutcome[]> {
  return call<ImportOutcome[]>("pick_import_files");
}

/**
 * Calls `handler` with the outcomes of each import (files dropped on the window included)
 * until the returned function is called.
 */
export async function onImportReport(
  handler: (outcomes: ImportOutcome[]) => void,
): Promise<() => void> {
  try {
    return await listen<ImportOutcome[]>(IMPORT_REPORT_EVENT, (event) => {
      handler(event.payload);
    });
  } catch (reason) {
    throw new AppFailure(toAppError(reason));
  }
}
