/**
 * `useResource`: loads one command's answer, reloads it when the data version changes, and
 * keeps showing the last good answer while a reload runs or after it fails.
 *
 * Loading is derived from which key the held answer belongs to, not kept in a flag, so an
 * answer that arrives for an old key is never mistaken for the current one.
 */
import { useCallback, useEffect, useState } from "react";

import type { AppError } from "./bindings";
import { toAppError } from "./errors";

export interface Resource<T> {
  /** The last answer, possibly from an earlier version while a reload runs. */
  value: T | undefined;
  /** Why the latest load failed, if it did. */
  error: AppError | null;
  /** Whether the answer for the current version is still on its way. */
  loading: boolean;
  /** Loads again, after a failure. */
  retry: () => void;
}

interface Held<T> {
  key: string;
  value: T | undefined;
  error: AppError | null;
}

/** Calls `load` now and again whenever `version` changes; `load` must be a stable function. */
export function useResource<T>(load: () => Promise<T>, version: number): Resource<T> {
  const [attempt, setAttempt] = useState(0);
  const [held, setHeld] = useState<Held<T>>({ key: "", value: undefined, error: null });
  const key = `${version}:${attempt}`;

  useEffect(() => {
    let live = true;
    load().then(
      (value) => {
        if (live) setHeld({ key, value, error: null });
      },
      (reason: unknown) => {
        if (live) setHeld((prev) => ({ key, value: prev.value, error: toAppError(reason) }));
      },
    );
    return () => {
      live = false;
    };
  }, [load, key]);

  const retry = useCallback(() => {
    setAttempt((n) => n + 1);
  }, []);

  return { value: held.value, error: held.error, loading: held.key !== key, retry };
}
