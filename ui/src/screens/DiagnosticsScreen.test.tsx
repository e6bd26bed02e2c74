import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import type { DesktopDiagnostics } from "../bindings";
import { AppFailure } from "../errors";
import * as ipc from "../ipc";
import { DiagnosticsScreen } from "./DiagnosticsScreen";

vi.mock("../ipc");

function report(overrides: Partial<DesktopDiagnostics["checks"]> = {}): DesktopDiagnostics {
  return {
    checks: {
      version: "0.1.0",
      platform: "linux x86_64",
      data_dir: "/data",
      demo: false,
      cache: {
        path: "/data/greenmile.sqlite",
        exists: true,
        size_bytes: 4096,
        integrity: "ok",
        schema_version: 10,
        bills: 12,
        offers: 3,
        imported_bills: 4,
      },
      last_sync: [{ collection: "bills", synced_at: "2026-12-04T08:00:00.000Z" }],
      server: {
        base_url: "https://green.example.com/",
        reachable: false,
        same_server: false,
        latency_ms: null,
        error: "cannot reach the Green API",
      },
      keychain: { store: "Secret Service", available: true, error: null },
      healthy: false,
      ...overrides,
    },
    webview_version: "2.48.0",
    tauri_version: "2.11.0",
    log_dir: "/logs",
    webkit_dmabuf_workaround: true,
  };
}

describe("DiagnosticsScreen", () => {
  it("marks each check and says what failed", async () => {
    vi.mocked(ipc.diagnostics).mockResolvedValue(report());
    render(<DiagnosticsScreen version={1} />);

    const summary = await screen.findByTestId("diagnostics-summary");
    expect(summary).toHaveAttribute("data-healthy", "false");
    expect(summary).toHaveTextContent("Some checks failed");
    const rows = screen.getAllByTestId("diagnostics-check");
    const marks = rows.map((row) => row.getAttribute("data-ok"));
    // version, data folder, cache, one last sync, server, keychain, logs
    expect(marks).toEqual(["skipped", "skipped", "true", "skipped", "false", "true", "skipped"]);
    expect(rows[2]).toHaveTextContent("4096 bytes, integrity ok; 12 bills, 3 offers, 4 imported");
    expect(rows[4]).toHaveTextContent("cannot reach the Green API");
  });

  it("saves a support bundle and says where, or why not", async () => {
    vi.mocked(ipc.diagnostics).mockResolvedValue(report({ healthy: true }));
    vi.mocked(ipc.saveSupportBundle)
      .mockResolvedValueOnce({ path: "/dl/greenmile-support.zip", files: ["a", "b", "c"] })
      .mockRejectedValueOnce(new AppFailure({ code: "disk_full", message: "no space left" }));
    render(<DiagnosticsScreen version={1} />);

    await userEvent.click(await screen.findByTestId("support-bundle"));
    expect(await screen.findByTestId("support-bundle-saved")).toHaveTextContent(
      "Saved /dl/greenmile-support.zip (3 files).",
    );
    await userEvent.click(screen.getByTestId("support-bundle"));
    expect(await screen.findByText("no space left")).toBeInTheDocument();
  });
});
