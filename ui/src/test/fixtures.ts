/**
 * Values shaped like the Rust side's answers, for tests. Each builder takes overrides so a
 * test states only what it is about.
 */
import type { AppStatus, BillRow, Dashboard, OfferRow } from "../bindings";
import type { SyncState } from "../sync";
import { initialSyncState } from "../sync";

export function dashboardFixture(overrides: Partial<Dashboard> = {}): Dashboard {
  return {
    currency: "CNY",
    this_month: { month: "2025-06", spend_minor: 129900, carbon_g: 4250, bills: 12 },
    last_month: { month: "2025-05", spend_minor: 100000, carbon_g: 800, bills: 9 },
    by_month: [
      { month: "2025-05", spend_minor: 100000, carbon_g: 800, bills: 9 },
      { month: "2025-06", spend_minor: 129900, carbon_g: 4250, bills: 12 },
    ],
    by_category: [
      {
        category: "public_transport",
        spend_minor: 52000,
        carbon_g: 3100,
        bills: 15,
        carbon_unknown: 0,
      },
      { category: "second_hand", spend_minor: 99000, carbon_g: 0, bills: 4, carbon_unknown: 4 },
      { category: "green_food", spend_minor: 78900, carbon_g: 1940, bills: 2, carbon_unknown: 1 },
    ],
    certification_mix: [
      { certification: "finance_certified", bills: 10 },
      { certification: "unverified", bills: 11 },
    ],
    carbon_total_g: 5040,
    carbon_unknown_bills: 5,
    bill_count: 21,
    offer_count: 3,
    time_zone: "Asia/Shanghai",
    ...overrides,
  };
}

export function billFixture(index: number, overrides: Partial<BillRow> = {}): BillRow {
  return {
    id: `bill-${index}`,
    occurred_at: "2025-06-01T08:30:00Z",
    merchant: `Merchant ${index}`,
    item: `Item ${index}`,
    category: "public_transport",
    amount: { minor: 300 + index, currency: "CNY" },
    certification: "platform_reviewed",
    carbon_g: 120,
    carbon_method: "transit-v1",
    status: "posted",
    ...overrides,
  };
}

export function offerFixture(overrides: Partial<OfferRow> = {}): OfferRow {
  return {
    id: "offer-1",
    merchant: "Haier",
    product: "Heat-pump dryer",
    category: "energy_efficient_appliance",
    certification: "finance_certified",
    price: { minor: 359900, currency: "CNY" },
    valid_from: "2025-01-01",
    valid_until: "2099-12-31",
    plans: [
      {
        months: 12,
        kind: "interest_free",
        fee_bp: null,
        annual_rate_bp: null,
        subsidy: { minor: 21600, currency: "CNY" },
        subsidy_payer: "merchant",
        monthly_payment: { minor: 29992, currency: "CNY" },
        total_repaid: { minor: 359900, currency: "CNY" },
      },
      {
        months: 24,
        kind: "fee_per_period",
        fee_bp: 60,
        annual_rate_bp: null,
        subsidy: null,
        subsidy_payer: null,
        monthly_payment: { minor: 17155, currency: "CNY" },
        total_repaid: { minor: 411720, currency: "CNY" },
      },
      {
        months: 36,
        kind: "annual_rate",
        fee_bp: null,
        annual_rate_bp: 1200,
        subsidy: null,
        subsidy_payer: null,
        monthly_payment: { minor: 11954, currency: "CNY" },
        total_repaid: { minor: 430344, currency: "CNY" },
      },
    ],
    ...overrides,
  };
}

export function statusFixture(overrides: Partial<AppStatus> = {}): AppStatus {
  return {
    mode: "demo",
    server_url: "http://127.0.0.1:40123",
    data_dir: "/tmp/greenmile",
    last_synced_at: "2025-06-15T10:00:00Z",
    syncing: false,
    last_error: null,
    bill_count: 21,
    ...overrides,
  };
}

export function syncStateFixture(overrides: Partial<SyncState> = {}): SyncState {
  return { ...initialSyncState, status: statusFixture(), phase: "idle", ...overrides };
}
