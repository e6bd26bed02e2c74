/**
 * The sync state the header and screens share, and the hook that drives it.
 *
 * The Rust side starts a sync by itself at launch and reports each step as a `sync://progress`
 * event. `useSync` listens first, then reads `app_status`, so no event can fall in between; if
 * no sync is running and none ever finished, it starts one. Each finished sync bumps
 * `dataVersion`, which the screens use as the signal to reload from the cache.
 *
 * The state changes only through `syncReducer`, a pure function tested on its own; the time a
 * sync finished is passed in with the action.
 */
import { useCallback, useEffect, useReducer, type Dispatch } from "react";

import type { AppError, AppStatus, Persona, SyncProgress, SyncReport } from "./bindings";
import { toAppError } from "./errors";
import * as ipc from "./ipc";
import { markStartup } from "./startup";

/** What the sync is doing; `starting` is before the first `app_status` answer. */
export type SyncPhaseView = "starting" | "idle" | "syncing" | "error";

export interface SyncState {
  /** The last `app_status` answer, or null before the first one. */
  status: AppStatus | null;
  phase: SyncPhaseView;
  /** The collection the running sync is on, when it said. */
  collection: string | null;
  /** Changes applied so far by the running sync. */
  applied: number;
  /** Why the last sync failed, while `phase` is `error`. */
  error: AppError | null;
  /** When a sync last finished (RFC 3339), or null if never. */
  lastSyncedAt: string | null;
  /** Bumped each time a sync finishes: the cache changed, screens reload. */
  dataVersion: number;
}

export type SyncAction =
  | { type: "status"; status: AppStatus }
  | { type: "progress"; progress: SyncProgress; at: string }
  | { type: "requested" }
  | { type: "completed"; report: SyncReport }
  | { type: "failed"; error: AppError };

export const initialSyncState: SyncState = {
  status: null,
  phase: "starting",
  collection: null,
  applied: 0,
  error: null,
  lastSyncedAt: null,
  dataVersion: 0,
};

function syncing(state: SyncState): SyncState {
  return { ...state, phase: "syncing", collection: null, applied: 0, error: null };
}

function finished(state: SyncState, at: string): SyncState {
  return {
    ...state,
    phase: "idle",
    collection: null,
    error: null,
    lastSyncedAt: at,
    dataVersion: state.dataVersion + 1,
  };
}

/** The next sync state after `action`. */
export function syncReducer(state: SyncState, action: SyncAction): SyncState {
  switch (action.type) {
    case "status": {
      const { status } = action;
      const next = {
        ...state,
        status,
        lastSyncedAt: status.last_synced_at ?? state.lastSyncedAt,
      };
      if (status.syncing && state.phase !== "syncing") {
        return syncing(next);
      }
      if (state.phase !== "starting" || status.syncing) {
        return next;
      }
      // At launch, a sync the app ran before the UI listened may already have failed.
      return status.last_error === null
        ? { ...next, phase: "idle" }
        : { ...next, phase: "error", error: status.last_error };
    }

    case "progress": {
      const { progress } = action;
      switch (progress.phase) {
        case "started":
          return syncing(state);
        case "page":
          return {
            ...state,
            phase: "syncing",
            error: null,
            collection: progress.collection ?? state.collection,
            applied: progress.total_applied,
          };
        case "finished":
          return finished(state, action.at);
        case "failed":
          return {
            ...state,
            phase: "error",
            error: progress.error ?? { code: "internal", message: "the sync failed" },
          };
      }
      break;
    }

    case "requested":
      return syncing(state);

    case "completed":
      // The `finished` event usually arrives first; then only the time is news.
      if (state.phase === "syncing") {
        return finished(state, action.report.finished_at);
      }
      return { ...state, lastSyncedAt: action.report.finished_at };

    case "failed":
      // `busy` means the sync the app started by itself is still running: wait for its events.
      if (action.error.code === "busy") {
        return state.phase === "syncing" ? state : syncing(state);
      }
      return { ...state, phase: "error", error: action.error };
  }
  return state;
}

async function refreshStatus(dispatch: Dispatch<SyncAction>): Promise<void> {
  try {
    dispatch({ type: "status", status: await ipc.appStatus() });
  } catch {
    // The next sync or launch tries again; the header keeps what it knew.
  }
}

async function runSync(
  dispatch: Dispatch<SyncAction>,
  run: () => Promise<SyncReport> = ipc.syncNow,
): Promise<void> {
  dispatch({ type: "requested" });
  try {
    dispatch({ type: "completed", report: await run() });
  } catch (reason) {
    dispatch({ type: "failed", error: toAppError(reason) });
  }
  await refreshStatus(dispatch);
}

/**
 * The shared sync state, a function that starts a sync now, and one that starts the demo
 * afresh (as a persona, or the one shown): a reset ends with a sync, so it is shown as one.
 */
export function useSync(): {
  state: SyncState;
  syncNow: () => void;
  resetDemo: (persona: Persona | null) => void;
} {
  const [state, dispatch] = useReducer(syncReducer, initialSyncState);

  useEffect(() => {
    let live = true;
    let unlisten: (() => void) | null = null;

    const start = async () => {
      try {
        const stop = await ipc.onSyncProgress((progress) => {
          dispatch({ type: "progress", progress, at: new Date().toISOString() });
          if (progress.phase === "finished") {
            void refreshStatus(dispatch);
          }
        });
        if (!live) {
          stop();
          return;
        }
        unlisten = stop;
      } catch (reason) {
        if (live) dispatch({ type: "failed", error: toAppError(reason) });
      }

      let status: AppStatus;
      try {
        status = await ipc.appStatus();
        markStartup("status");
      } catch (reason) {
        if (live) dispatch({ type: "failed", error: toAppError(reason) });
        return;
      }
      if (!live) return;

      dispatch({ type: "status", status });
      if (!status.syncing && status.last_synced_at === null) {
        await runSync(dispatch);
      }
    };

    void start();
    return () => {
      live = false;
      unlisten?.();
    };
  }, []);

  const syncNow = useCallback(() => {
    void runSync(dispatch);
  }, []);

  const resetDemo = useCallback((persona: Persona | null) => {
    void runSync(dispatch, () => ipc.resetDemo(persona));
  }, []);

  return { state, syncNow, resetDemo };
}

/** The `data-state` the status area shows: `starting` counts as syncing, it is about to. */
export function statusAreaState(phase: SyncPhaseView): "idle" | "syncing" | "error" {
  return phase === "starting" ? "syncing" : phase;
}
