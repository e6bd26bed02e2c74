import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { App } from "./App";
import type { ImportOutcome, SyncProgress } from "./bindings";
import * as ipc from "./ipc";
import { stubMatchMedia } from "./test/media";
import { billFixture, dashboardFixture, importReportFixture, statusFixture } from "./test/fixtures";

vi.mock("./ipc");
vi.mock("./components/SpendChart", () => ({ SpendChart: () => null }));

describe("App", () => {
  let emit: (progress: SyncProgress) => void = () => undefined;
  let report: (outcomes: ImportOutcome[]) => void = () => undefined;

  beforeEach(() => {
    vi.mocked(ipc.onSyncProgress).mockImplementation((handler) => {
      emit = handler;
      return Promise.resolve(() => undefined);
    });
    vi.mocked(ipc.dashboard).mockResolvedValue(dashboardFixture());
    vi.mocked(ipc.bills).mockResolvedValue({ total: 1, items: [billFixture(0)], next: null });
    vi.mocked(ipc.offers).mockResolvedValue([]);
    vi.mocked(ipc.notificationsEnabled).mockResolvedValue(false);
    vi.mocked(ipc.onImportReport).mockImplementation((handler) => {
      report = handler;
      return Promise.resolve(() => undefined);
    });
  });

  it("brings the import report forward when files were dropped, and reloads the bills", async () => {
    vi.mocked(ipc.appStatus).mockResolvedValue(statusFixture());
    render(<App />);
    await userEvent.click(await screen.findByRole("tab", { name: "Bills" }));
    await screen.findByTestId("bills-shown");
    const calls = vi.mocked(ipc.bills).mock.calls.length;

    act(() => {
      report([{ file: "/tmp/w.csv", report: importReportFixture(), error: null }]);
    });

    expect(screen.getByRole("tab", { name: "Import" })).toHaveAttribute("aria-selected", "true");
    expect(await screen.findByTestId("import-report")).toHaveAttribute("data-file", "w.csv");
    expect(vi.mocked(ipc.bills).mock.calls.length).toBeGreaterThan(calls);
  });

  it("shows the demo being prepared, then the dashboard once the first sync finished", async () => {
    vi.mocked(ipc.appStatus).mockResolvedValue(
      statusFixture({ syncing: true, last_synced_at: null }),
    );
    render(<App />);

    expect(await screen.findByText("Preparing your demo data…")).toBeInTheDocument();
    expect(screen.getByTestId("demo-badge")).toHaveTextContent("Demo");
    expect(screen.queryByTestId("dashboard")).not.toBeInTheDocument();

    act(() => {
      emit({ phase: "page", collection: "bills", applied: 21, total_applied: 21, error: null });
    });
    expect(screen.getByTestId("first-run")).toHaveTextContent("Syncing… 21 changes");

    vi.mocked(ipc.appStatus).mockResolvedValue(statusFixture());
    act(() => {
      emit({ phase: "finished", collection: null, applied: 0, total_applied: 21, error: null });
    });

    expect(await screen.findByTestId("dashboard")).toBeInTheDocument();
    expect(screen.getByTestId("sync-status")).toHaveAttribute("data-state", "idle");
    expect(screen.getByTestId("demo-banner")).toHaveTextContent("a household in Beijing");
  });

  it("moves between sections with the tabs and the arrow keys", async () => {
    vi.mocked(ipc.appStatus).mockResolvedValue(statusFixture({ mode: "connected" }));
    render(<App />);
    await screen.findByTestId("dashboard");
    expect(screen.queryByTestId("demo-badge")).not.toBeInTheDocument();
    expect(screen.queryByTestId("demo-banner")).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole("tab", { name: "Bills" }));
    expect(await screen.findByTestId("bills-shown")).toBeVisible();
    expect(screen.getByRole("tab", { name: "Bills" })).toHaveAttribute("aria-selected", "true");

    await userEvent.keyboard("{ArrowRight}");
    expect(screen.getByRole("tab", { name: "Offers" })).toHaveFocus();
    expect(screen.getByRole("tab", { name: "Offers" })).toHaveAttribute("aria-selected", "true");
    expect(await screen.findByText("No instalment offers right now.")).toBeVisible();
  });

  it("lists the sections in order, with Settings last, and opens Settings", async () => {
    vi.mocked(ipc.appStatus).mockResolvedValue(statusFixture());
    render(<App />);
    await screen.findByTestId("dashboard");

    const nav = screen.getByRole("navigation", { name: "Sections" });
    const tabs = screen.getAllByRole("tab");
    expect(tabs.map((tab) => tab.textContent)).toEqual([
      "Dashboard",
      "Bills",
      "Offers",
      "Learn",
      "Badges",
      "Import",
      "Diagnostics",
      "Settings",
    ]);
    expect(nav).toContainElement(tabs[0] ?? null);

    await userEvent.click(screen.getByRole("tab", { name: "Settings" }));
    expect(screen.getByTestId("settings")).toBeVisible();
    expect(screen.getByTestId("dashboard")).not.toBeVisible();
  });

  it("starts the tab order with a skip link that moves focus to the main area", async () => {
    vi.mocked(ipc.appStatus).mockResolvedValue(statusFixture());
    render(<App />);
    await screen.findByTestId("dashboard");

    await userEvent.tab();
    const skip = screen.getByText("Skip to main content");
    expect(skip).toHaveFocus();
    expect(skip).toHaveAttribute("href", "#main");

    await userEvent.keyboard("{Enter}");
    expect(screen.getByRole("main")).toHaveFocus();

    // The next stops are the demo banner's reset and the open section's panel, not the
    // header or the navigation again.
    await userEvent.tab();
    expect(screen.getByRole("button", { name: "Reset demo" })).toHaveFocus();
    await userEvent.tab();
    expect(document.activeElement?.closest("#panel-dashboard")).not.toBeNull();
  });

  it("stands the navigation down the side when wide and along the bottom when phone-width", async () => {
    const media = stubMatchMedia();
    vi.mocked(ipc.appStatus).mockResolvedValue(statusFixture());
    render(<App />);
    await screen.findByTestId("dashboard");

    const list = screen.getByRole("tablist", { name: "Sections" });
    expect(list).toHaveAttribute("aria-orientation", "vertical");

    screen.getByRole("tab", { name: "Dashboard" }).focus();
    await userEvent.keyboard("{ArrowDown}");
    expect(screen.getByRole("tab", { name: "Bills" })).toHaveFocus();
    expect(screen.getByRole("tab", { name: "Bills" })).toHaveAttribute("aria-selected", "true");

    act(() => {
      media.set("(width <= 720px)");
    });
    expect(list).toHaveAttribute("aria-orientation", "horizontal");

    await userEvent.keyboard("{End}");
    expect(screen.getByRole("tab", { name: "Settings" })).toHaveFocus();
    await userEvent.keyboard("{ArrowRight}");
    expect(screen.getByRole("tab", { name: "Dashboard" })).toHaveFocus();
  });
});
