import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.hoisted(() => vi.fn());
const listen = vi.hoisted(() => vi.fn());
vi.mock("@tauri-apps/api/core", () => ({ invoke }));
vi.mock("@tauri-apps/api/event", () => ({ listen }));

import { AppFailure } from "./errors";
import * as ipc from "./ipc";

describe("ipc", () => {
  beforeEach(() => {
    invoke.mockReset();
    listen.mockReset();
  });

  it("calls each command by its Rust name with camelCase argument keys", async () => {
    invoke.mockResolvedValue("answer");
    const query = {
      filter: { month: "2025-06", source: "file", search: "地铁" },
      limit: 100,
      after: "2025-06-03T08:00:00.000Z|b-00017",
    } as const;
    const filter = { certification: "finance_certified", min_amount_minor: 500 } as const;
    const picks = [
      { offer_id: "offer-1", plan: 0 },
      { offer_id: "offer-2", plan: 1 },
    ];
    const request = {
      principal: "12,000",
      currency: "CNY",
      months: 12,
      method: "fee_per_period",
      rate: "0.6",
      payment: null,
      first_due: null,
    } as const;

    await ipc.appStatus();
    await ipc.syncNow();
    await ipc.resetDemo("student");
    await ipc.notificationsEnabled();
    await ipc.setNotifications(true);
    await ipc.dashboard();
    await ipc.bills(query);
    await ipc.exportBills(filter);
    await ipc.offers();
    await ipc.offerDetail("offer-1");
    await ipc.comparePlans(picks);
    await ipc.instalmentCalc(request);
    await ipc.carbonExplain("b-00001");
    await ipc.importFiles(["/tmp/bills.csv"]);
    await ipc.pickImportFiles();

    expect(invoke.mock.calls).toEqual([
      ["app_status", undefined],
      ["sync_now", undefined],
      ["reset_demo", { persona: "student" }],
      ["notifications_enabled", undefined],
      ["set_notifications", { enabled: true }],
      ["dashboard", undefined],
      ["bills", { query }],
      ["export_bills", { filter }],
      ["offers", undefined],
      ["offer_detail", { id: "offer-1" }],
      ["compare_plans", { picks }],
      ["instalment_calc", { request }],
      ["carbon_explain", { billId: "b-00001" }],
      ["import_files", { paths: ["/tmp/bills.csv"] }],
      ["pick_import_files", undefined],
    ]);
  });

  it("rejects with the typed error the command sent", async () => {
    invoke.mockRejectedValue({ code: "server_unreachable", message: "connection refused" });

    const failure: unknown = await ipc.dashboard().catch((reason: unknown) => reason);

    expect(failure).toBeInstanceOf(AppFailure);
    expect((failure as AppFailure).error).toEqual({
      code: "server_unreachable",
      message: "connection refused",
    });
  });

  it("hands sync progress payloads to the handler", async () => {
    const unlisten = vi.fn();
    listen.mockResolvedValue(unlisten);
    const handler = vi.fn();

    const stop = await ipc.onSyncProgress(handler);
    const [event, callback] = listen.mock.calls[0] as [string, (e: { payload: unknown }) => void];
    callback({ payload: { phase: "started" } });
    stop();

    expect(event).toBe("sync://progress");
    expect(handler).toHaveBeenCalledWith({ phase: "started" });
    expect(unlisten).toHaveBeenCalled();
  });

  it("hands import reports to the handler", async () => {
    listen.mockResolvedValue(vi.fn());
    const handler = vi.fn();

    await ipc.onImportReport(handler);
    const [event, callback] = listen.mock.calls[0] as [string, (e: { payload: unknown }) => void];
    callback({ payload: [{ file: "a.csv", report: null, error: null }] });

    expect(event).toBe("import://report");
    expect(handler).toHaveBeenCalledWith([{ file: "a.csv", report: null, error: null }]);
  });
});
