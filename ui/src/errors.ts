/**
 * The UI's view of failures: every rejected command becomes an `AppError` with a code from the
 * closed `ErrorCode` enum generated from Rust, so screens branch on the code and never on text.
 *
 * `ipc.ts` wraps each rejection in `AppFailure` (an `Error`, so promise rejections stay Errors);
 * screens turn whatever they caught back into an `AppError` with `toAppError`.
 */
import type { AppError, ErrorCode } from "./bindings";

/** Every code the Rust side can send; a new code in the bindings fails the type check here. */
const KNOWN_CODES: Record<ErrorCode, true> = {
  server_unreachable: true,
  bad_response: true,
  server_error: true,
  cache: true,
  disk_full: true,
  invalid_input: true,
  busy: true,
  internal: true,
  keychain_unavailable: true,
  sign_in_required: true,
  invalid_credentials: true,
  rate_limited: true,
  certificate_refused: true,
};

/** A rejected command, carrying the typed error that Rust sent. */
export class AppFailure extends Error {
  readonly error: AppError;

  constructor(error: AppError) {
    super(error.message);
    this.name = "AppFailure";
    this.error = error;
  }
}

/** Whether `value` names an error code this build of the UI knows. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(KNOWN_CODES, value);
}

/**
 * Turns anything a command or event handler rejected with into an `AppError`.
 *
 * Tauri rejects with the serialized Rust error (`{code, message}`); a missing command or a broken
 * bridge rejects with a string or an `Error`, which count as `internal`.
 */
export function toAppError(reason: unknown): AppError {
  if (reason instanceof AppFailure) {
    return reason.error;
  }

  if (typeof reason === "object" && reason !== null && "code" in reason) {
    const { code, message } = reason as { code: unknown; message?: unknown };
    if (isErrorCode(code)) {
      return { code, message: typeof message === "string" ? message : "" };
    }
  }

  if (reason instanceof Error) {
    return { code: "internal", message: reason.message };
  }
  return { code: "internal", message: typeof reason === "string" ? reason : "unknown failure" };
}

/**
 * Where a failure was met. The same code can need different advice: `invalid_input` from a
 * screen means the user's filter or figures were refused, from a sync it means the server
 * address or a sync setting was, and a filter has nothing to do with it.
 */
export type ErrorSource = "screen" | "sync";

/**
 * The message key for what went wrong. Being offline reads differently before anything was
 * saved: there is no saved data to show.
 */
export function errorTitleKey(code: ErrorCode, hasSavedData: boolean, source: ErrorSource) {
  if (code === "server_unreachable" && !hasSavedData) {
    return "errors.server_unreachable.titleNoData" as const;
  }
  if (code === "invalid_input" && source === "sync") {
    return "errors.invalid_input.syncTitle" as const;
  }
  return `errors.${code}.title` as const;
}

/** The message key for what to do about it. */
export function errorActionKey(code: ErrorCode, source: ErrorSource) {
  return code === "invalid_input" && source === "sync"
    ? ("errors.invalid_input.syncAction" as const)
    : (`errors.${code}.action` as const);
}

/**
 * Whether the English detail should be shown open: when the advice cannot say what to fix and
 * only the detail names it (which address or setting a sync was refused for).
 */
export function detailIsTheAnswer(code: ErrorCode, source: ErrorSource): boolean {
  return code === "invalid_input" && source === "sync";
}
