import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { syncStateFixture } from "../test/fixtures";
import { SyncStatus } from "./SyncStatus";

const NOW = Date.parse("2025-06-15T12:00:00Z");

function area() {
  return screen.getByTestId("sync-status");
}

describe("SyncStatus", () => {
  it("shows when the last sync finished while idle", () => {
    const state = syncStateFixture({ lastSyncedAt: "2025-06-15T11:55:00Z" });
    render(<SyncStatus state={state} now={NOW} onSyncNow={vi.fn()} />);

    expect(area()).toHaveAttribute("data-state", "idle");
    expect(area()).toHaveTextContent("Last synced 5 minutes ago");
    expect(screen.getByRole("button", { name: "Sync now" })).toBeEnabled();
  });

  it("says just now right after a sync", () => {
    const state = syncStateFixture({ lastSyncedAt: "2025-06-15T11:59:50Z" });
    render(<SyncStatus state={state} now={NOW} onSyncNow={vi.fn()} />);

    expect(area()).toHaveTextContent("Last synced just now");
  });

  it("counts changes with a progress bar while syncing", () => {
    const state = syncStateFixture({ phase: "syncing", applied: 1234, collection: "bills" });
    render(<SyncStatus state={state} now={NOW} onSyncNow={vi.fn()} />);

    expect(area()).toHaveAttribute("data-state", "syncing");
    expect(area()).toHaveTextContent("Syncing… 1,234 changes");
    expect(screen.getByRole("progressbar")).toHaveAttribute(
      "aria-valuetext",
      "Syncing… 1,234 changes",
    );
    expect(screen.getByRole("button", { name: "Sync now" })).toBeDisabled();
  });

  it("names the quiz attempts feed in the user's words while it syncs", () => {
    const state = syncStateFixture({ phase: "syncing", applied: 3, collection: "quiz_attempts" });
    render(<SyncStatus state={state} now={NOW} onSyncNow={vi.fn()} />);

    expect(area()).toHaveTextContent("Now syncing: quiz progress");
  });

  it("counts as syncing before the app status is known", () => {
    const state = syncStateFixture({ phase: "starting", status: null });
    render(<SyncStatus state={state} now={NOW} onSyncNow={vi.fn()} />);

    expect(area()).toHaveAttribute("data-state", "syncing");
  });

  it("says offline and keeps the saved data when the server cannot be reached", () => {
    const state = syncStateFixture({
      phase: "error",
      error: { code: "server_unreachable", message: "connection refused" },
      lastSyncedAt: "2025-06-15T09:00:00Z",
    });
    render(<SyncStatus state={state} now={NOW} onSyncNow={vi.fn()} />);

    expect(area()).toHaveAttribute("data-state", "error");
    expect(area()).toHaveTextContent("Offline — showing saved data");
    expect(area()).toHaveTextContent("Saved data from 3 hours ago");
    expect(area()).toHaveTextContent("connection refused");
  });

  it("does not promise saved data before the first sync", () => {
    const state = syncStateFixture({
      phase: "error",
      error: { code: "server_unreachable", message: "connection refused" },
      lastSyncedAt: null,
    });
    render(<SyncStatus state={state} now={NOW} onSyncNow={vi.fn()} />);

    expect(area()).toHaveTextContent("Offline — nothing is saved yet");
  });

  it("says the saved data is unchanged after a bad response", () => {
    const state = syncStateFixture({
      phase: "error",
      error: { code: "bad_response", message: "page 3: missing field `amount`" },
    });
    render(<SyncStatus state={state} now={NOW} onSyncNow={vi.fn()} />);

    expect(area()).toHaveTextContent(
      "The server sent something unexpected, your saved data is unchanged",
    );
    expect(area()).toHaveTextContent("Try again later.");
  });

  it("says the server address or a setting was refused, not the filter, for invalid input", () => {
    const state = syncStateFixture({
      phase: "error",
      error: { code: "invalid_input", message: "server URL must use http or https: ftp://example" },
    });
    render(<SyncStatus state={state} now={NOW} onSyncNow={vi.fn()} />);

    expect(area()).toHaveTextContent("The server address or a sync setting was refused");
    expect(area()).toHaveTextContent("Check the server address and settings GreenMile syncs with");
    expect(area()).not.toHaveTextContent("filter");
    const detail = screen.getByText("server URL must use http or https: ftp://example");
    expect(detail).toBeVisible();
    expect(detail.closest("details")).toHaveAttribute("open");
  });

  it("starts a sync from the button", async () => {
    const onSyncNow = vi.fn();
    const state = syncStateFixture({
      phase: "error",
      error: { code: "server_error", message: "" },
    });
    render(<SyncStatus state={state} now={NOW} onSyncNow={onSyncNow} />);

    await userEvent.click(screen.getByRole("button", { name: "Sync now" }));

    expect(onSyncNow).toHaveBeenCalledOnce();
  });
});
