/**
 * A stand-in for `src/ipc.ts` that answers every command from the test fixtures, for the
 * accessibility check, which renders the UI in a plain browser with no Tauri behind it.
 *
 * Only `vite build --mode a11y` puts it in place of the real bridge (see vite.config.ts); each
 * function is typed as its real counterpart, so the two cannot drift apart. The marker below
 * lets a11y/run.js prove that the production bundle does not contain this module.
 */
import type {
  BillFilter,
  BillRow,
  ComparisonRow,
  GreenCategory,
  OfferRow,
  PlanDetail,
  PlanPick,
  SyncReport,
} from "../bindings";
import { AppFailure } from "../errors";
import type * as real from "../ipc";
import {
  billFixture,
  calcDetailFixture,
  dashboardFixture,
  explanationFixture,
  feeUpFrontPlan,
  equalPrincipalPlan,
  offerDetailFixture,
  offerFixture,
  badgeWallFixture,
  importReportFixture,
  lessonFixture,
  outcomeFixture,
  progressFixture,
  statusFixture,
  unknownExplanationFixture,
} from "./fixtures";

/** Found in a bundle only if this module is in it. */
export const STAND_IN_MARKER = "greenmile-ipc-stand-in:fixtures";

export const SYNC_PROGRESS_EVENT = "sync://progress";

const categories: GreenCategory[] = [
  "public_transport",
  "shared_bike",
  "ev_charging",
  "second_hand",
  "energy_efficient_appliance",
  "green_food",
  "recycling",
];

/** 30 bills over June 2025, a few refunded or without a carbon figure. */
const allBills: BillRow[] = Array.from({ length: 30 }, (_, index) => {
  const category = categories[index % categories.length] ?? "public_transport";
  const unknown = category === "green_food" || category === "recycling";
  const day = String(30 - index).padStart(2, "0");
  return billFixture(index, {
    occurred_at: `2025-06-${day}T08:30:00Z`,
    category,
    carbon_g: unknown ? null : 120 + index * 35,
    carbon_method: unknown ? null : "transit-distance@1",
    certification: index % 3 === 0 ? "finance_certified" : "platform_reviewed",
    status: index === 4 ? "refunded" : index === 9 ? "partially_refunded" : "posted",
  });
});

const allOffers: OfferRow[] = [
  offerFixture(),
  offerFixture({
    id: "offer-2",
    merchant: "Midea",
    product: "Heat-pump water heater",
    certification: "platform_reviewed",
    plans: [feeUpFrontPlan(), equalPrincipalPlan()],
  }),
];

function offerById(id: string): OfferRow {
  const offer = allOffers.find((row) => row.id === id);
  if (offer === undefined) {
    throw new AppFailure({ code: "invalid_input", message: `no offer ${id}` });
  }
  return offer;
}

export const appStatus: typeof real.appStatus = () => {
  document.documentElement.dataset.ipc = STAND_IN_MARKER;
  return Promise.resolve(statusFixture());
};

export const signIn: typeof real.signIn = (serverUrl, email) =>
  Promise.resolve({ server: serverUrl, user_id: 1, email });

export const signOut: typeof real.signOut = () =>
  Promise.resolve({
    account: null,
    revoked: false,
    keychain_entry_deleted: false,
    files_removed: [],
  });

export const syncNow: typeof real.syncNow = () => {
  const report: SyncReport = {
    collections: [],
    finished_at: "2025-06-15T10:00:00Z",
    catalog: "unchanged",
    outbox: { applied: 0, duplicates: 0, refused: 0 },
  };
  return Promise.resolve(report);
};

/** A reset seeds nothing here; it answers as a sync of the demo household would. */
export const resetDemo: typeof real.resetDemo = () => {
  const report: SyncReport = {
    collections: [],
    catalog: "unchanged",
    finished_at: "2025-06-15T10:05:00Z",
    outbox: { applied: 0, duplicates: 0, refused: 0 },
  };
  return Promise.resolve(report);
};

/** Notifications start off, as in the app; turning them on is remembered for the page. */
let notifying = false;
export const notificationsEnabled: typeof real.notificationsEnabled = () =>
  Promise.resolve(notifying);
export const setNotifications: typeof real.setNotifications = (enabled) => {
  notifying = enabled;
  return Promise.resolve(enabled);
};

export const dashboard: typeof real.dashboard = () => Promise.resolve(dashboardFixture());

function matches(bill: BillRow, filter: BillFilter): boolean {
  const day = bill.occurred_at.slice(0, 10);
  const words = (filter.search ?? "")
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== "");
  const text = `${bill.merchant} ${bill.item}`.toLowerCase();
  return (
    (filter.category === undefined || bill.category === filter.category) &&
    (filter.certification === undefined || bill.certification === filter.certification) &&
    (filter.source === undefined || bill.source === filter.source) &&
    (filter.month === undefined || bill.occurred_at.startsWith(filter.month)) &&
    (filter.from === undefined || day >= filter.from) &&
    (filter.to === undefined || day <= filter.to) &&
    (filter.min_amount_minor === undefined || bill.amount.minor >= filter.min_amount_minor) &&
    (filter.max_amount_minor === undefined || bill.amount.minor <= filter.max_amount_minor) &&
    words.every((word) => text.includes(word))
  );
}

/** Pages by position as the real command does: `next` is the last bill's id here. */
export const bills: typeof real.bills = (query) => {
  const matching = allBills.filter((bill) => matches(bill, query.filter));
  const start =
    query.after === undefined ? 0 : matching.findIndex((bill) => bill.id === query.after) + 1;
  const items = matching.slice(start, start + query.limit);
  const last = items.at(-1);
  const next = last !== undefined && start + query.limit < matching.length ? last.id : null;
  return Promise.resolve({
    total: query.after === undefined ? matching.length : null,
    items,
    next,
  });
};

/** As if the user saved to bills.csv in their Documents folder. */
export const exportBills: typeof real.exportBills = (filter) =>
  Promise.resolve({
    file: "/home/demo/Documents/greenmile-bills.csv",
    format: "csv",
    rows: allBills.filter((bill) => matches(bill, filter)).length,
  });

export const offers: typeof real.offers = () => Promise.resolve(allOffers);

export const offerDetail: typeof real.offerDetail = (id) =>
  Promise.resolve(id).then((known) => offerDetailFixture(offerById(known)));

// A refusal arrives as a rejected promise, as from the real bridge, never as a throw.
export const comparePlans: typeof real.comparePlans = (picks) =>
  Promise.resolve(picks).then(compare);

function compare(picks: readonly PlanPick[]): ComparisonRow[] {
  const rows: ComparisonRow[] = picks.map((pick) => {
    const plan = offerById(pick.offer_id).plans[pick.plan];
    if (plan === undefined) {
      throw new AppFailure({ code: "invalid_input", message: `no plan ${pick.plan}` });
    }
    return { label: `${pick.offer_id} #${pick.plan + 1}`, plan };
  });
  rows.sort((a, b) => a.plan.total_cost.minor - b.plan.total_cost.minor);
  return rows;
}

export const instalmentCalc: typeof real.instalmentCalc = () => {
  const detail: PlanDetail = calcDetailFixture();
  return Promise.resolve(detail);
};

export const carbonExplain: typeof real.carbonExplain = (billId) => {
  const bill = allBills.find((row) => row.id === billId);
  const explanation =
    bill?.carbon_g === null ? unknownExplanationFixture() : explanationFixture({ bill_id: billId });
  return Promise.resolve(explanation);
};

/** No sync runs here, so no progress ever arrives. */
export const onSyncProgress: typeof real.onSyncProgress = () => Promise.resolve(() => undefined);

export const IMPORT_REPORT_EVENT = "import://report";

export const dashboardPainted: typeof real.dashboardPainted = () => undefined;

export const learnLessons: typeof real.learnLessons = () => Promise.resolve([lessonFixture()]);

export const learnCheckAnswer: typeof real.learnCheckAnswer = (_lessonId, answer) =>
  Promise.resolve({
    correct: answer.choices.length === 1 && answer.choices[0] === "a",
    answer: ["a"],
    explanation: { "zh-CN": "1级能效最高。", en: "Grade 1 is the most efficient." },
    source: "GB 21455-2019",
  });

export const learnSubmitAttempt: typeof real.learnSubmitAttempt = () =>
  Promise.resolve(outcomeFixture());

export const learnProgress: typeof real.learnProgress = () => Promise.resolve(progressFixture());

export const learnBadges: typeof real.learnBadges = () => Promise.resolve(badgeWallFixture());

export const learnSaveBadgeCard: typeof real.learnSaveBadgeCard = (badgeId) =>
  Promise.resolve({ path: `/home/demo/Pictures/greenmile-${badgeId}.png`, text_drawn: true });

export const importFiles: typeof real.importFiles = (paths) =>
  Promise.resolve(paths.map((file) => ({ file, report: importReportFixture(), error: null })));

export const pickImportFiles: typeof real.pickImportFiles = () => Promise.resolve([]);

export const onImportReport: typeof real.onImportReport = () => Promise.resolve(() => undefined);

export const diagnostics: typeof real.diagnostics = () =>
  Promise.resolve({
    checks: {
      version: "0.1.0",
      platform: "linux x86_64",
      data_dir: "/home/demo/.local/share/greenmile",
      demo: true,
      cache: {
        path: "/home/demo/.local/share/greenmile/greenmile.sqlite",
        exists: true,
        size_bytes: 1586016,
        integrity: "ok",
        schema_version: 10,
        bills: 1817,
        offers: 24,
        imported_bills: 0,
      },
      last_sync: [{ collection: "bills", synced_at: "2025-06-15T10:00:00.000Z" }],
      server: null,
      keychain: { store: "Secret Service", available: true, error: null },
      healthy: true,
    },
    webview_version: "2.48.0",
    tauri_version: "2.11.0",
    log_dir: "/home/demo/.local/share/app.greenmile.desktop/logs",
    webkit_dmabuf_workaround: false,
  });

export const saveSupportBundle: typeof real.saveSupportBundle = () =>
  Promise.resolve({
    path: "/home/demo/Downloads/greenmile-support.zip",
    files: ["diagnostics.json"],
  });
