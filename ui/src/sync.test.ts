import { act, renderHook, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { SyncProgress } from "./bindings";
import * as ipc from "./ipc";
import { initialSyncState, syncReducer, useSync } from "./sync";
import { statusFixture } from "./test/fixtures";

vi.mock("./ipc");

const AT = "2025-06-15T12:00:00Z";

function progress(overrides: Partial<SyncProgress>): SyncProgress {
  return {
    phase: "page",
    collection: "bills",
    applied: 0,
    total_applied: 0,
    error: null,
    ...overrides,
  };
}

describe("syncReducer", () => {
  it("counts changes while syncing and bumps the data version when finished", () => {
    let state = syncReducer(initialSyncState, { type: "status", status: statusFixture() });
    expect(state.phase).toBe("idle");

    state = syncReducer(state, {
      type: "progress",
      progress: progress({ phase: "started" }),
      at: AT,
    });
    state = syncReducer(state, {
      type: "progress",
      progress: progress({ applied: 50, total_applied: 150 }),
      at: AT,
    });
    expect(state).toMatchObject({ phase: "syncing", applied: 150, collection: "bills" });

    state = syncReducer(state, {
      type: "progress",
      progress: progress({ phase: "finished" }),
      at: AT,
    });
    expect(state).toMatchObject({ phase: "idle", lastSyncedAt: AT, dataVersion: 1 });
  });

  it("reloads once when the command answers after the finished event", () => {
    let state = syncReducer(initialSyncState, { type: "requested" });
    state = syncReducer(state, {
      type: "progress",
      progress: progress({ phase: "finished" }),
      at: AT,
    });
    state = syncReducer(state, {
      type: "completed",
      report: {
        outbox: { applied: 0, duplicates: 0, refused: 0 },
        collections: [],
        catalog: "unchanged",
        finished_at: "2025-06-15T12:00:01Z",
      },
    });

    expect(state.dataVersion).toBe(1);
    expect(state.lastSyncedAt).toBe("2025-06-15T12:00:01Z");
  });

  it("keeps the last sync time when a sync fails", () => {
    const synced = syncReducer(initialSyncState, { type: "status", status: statusFixture() });
    const error = { code: "server_unreachable", message: "refused" } as const;
    const state = syncReducer(synced, {
      type: "progress",
      progress: progress({ phase: "failed", error }),
      at: AT,
    });

    expect(state).toMatchObject({ phase: "error", error, lastSyncedAt: "2025-06-15T10:00:00Z" });
    expect(state.dataVersion).toBe(0);
  });

  it("shows a failure of the launch sync that ended before the UI listened", () => {
    const error = { code: "bad_response", message: "page 2: bad JSON" } as const;
    const state = syncReducer(initialSyncState, {
      type: "status",
      status: statusFixture({ last_error: error }),
    });

    expect(state).toMatchObject({ phase: "error", error });
  });

  it("waits for the running sync when asked to start another", () => {
    const state = syncReducer(initialSyncState, {
      type: "failed",
      error: { code: "busy", message: "a sync is running" },
    });

    expect(state.phase).toBe("syncing");
  });
});

describe("useSync", () => {
  let emit: (progress: SyncProgress) => void = () => undefined;

  beforeEach(() => {
    vi.mocked(ipc.onSyncProgress).mockImplementation((handler) => {
      emit = handler;
      return Promise.resolve(() => undefined);
    });
    vi.mocked(ipc.syncNow).mockResolvedValue({
      outbox: { applied: 0, duplicates: 0, refused: 0 },
      collections: [],
      catalog: "unchanged",
      finished_at: AT,
    });
  });

  it("starts a sync itself when none runs and none ever finished", async () => {
    vi.mocked(ipc.appStatus).mockResolvedValue(
      statusFixture({ syncing: false, last_synced_at: null }),
    );

    const { result } = renderHook(() => useSync());

    await waitFor(() => {
      expect(result.current.state.dataVersion).toBe(1);
    });
    expect(ipc.syncNow).toHaveBeenCalledOnce();
    expect(vi.mocked(ipc.onSyncProgress).mock.invocationCallOrder[0]).toBeLessThan(
      vi.mocked(ipc.appStatus).mock.invocationCallOrder[0] ?? 0,
    );
  });

  it("follows the sync the app started by itself, without starting another", async () => {
    vi.mocked(ipc.appStatus).mockResolvedValue(
      statusFixture({ syncing: true, last_synced_at: null }),
    );
    const { result } = renderHook(() => useSync());
    await waitFor(() => {
      expect(result.current.state.phase).toBe("syncing");
    });

    act(() => {
      emit(progress({ applied: 40, total_applied: 40 }));
    });
    expect(result.current.state.applied).toBe(40);

    vi.mocked(ipc.appStatus).mockResolvedValue(statusFixture({ last_synced_at: AT }));
    act(() => {
      emit(progress({ phase: "finished", total_applied: 40 }));
    });

    await waitFor(() => {
      expect(result.current.state.lastSyncedAt).toBe(AT);
    });
    expect(result.current.state).toMatchObject({ phase: "idle", dataVersion: 1 });
    expect(ipc.syncNow).not.toHaveBeenCalled();
  });

  it("stays idle with saved data and syncs on request", async () => {
    vi.mocked(ipc.appStatus).mockResolvedValue(statusFixture());
    const { result } = renderHook(() => useSync());
    await waitFor(() => {
      expect(result.current.state.phase).toBe("idle");
    });
    expect(ipc.syncNow).not.toHaveBeenCalled();

    vi.mocked(ipc.syncNow).mockRejectedValue({ code: "server_unreachable", message: "refused" });
    act(() => {
      result.current.syncNow();
    });

    await waitFor(() => {
      expect(result.current.state.phase).toBe("error");
    });
    expect(result.current.state.error?.code).toBe("server_unreachable");
  });
});
