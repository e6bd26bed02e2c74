/**
 * Values shaped like the Rust side's answers, for tests. Each builder takes overrides so a
 * test states only what it is about.
 */
import type {
  AppStatus,
  AttemptOutcome,
  BadgeStatus,
  BillRow,
  CarbonExplanation,
  Dashboard,
  Factor,
  FileReport,
  LessonView,
  Money,
  OfferDetail,
  OfferRow,
  PlanDetail,
  PlanRow,
  Progress,
  ScheduleRow,
} from "../bindings";
import { addMonths } from "../format";
import type { SyncState } from "../sync";
import { initialSyncState } from "../sync";

/** The average-car factor the dashboard divides carbon by, as the factor table publishes it. */
export function carFactorFixture(overrides: Partial<Factor> = {}): Factor {
  return {
    id: "uk-car-average-2024",
    value: 0.16691,
    unit: "kg CO2e/km",
    source: "DESNZ 2024, sheet Passenger vehicles, row 150 (Average car, unknown fuel), column km",
    publisher: "UK Department for Energy Security and Net Zero (DESNZ) / DEFRA",
    year: 2024,
    licence: "Open Government Licence v3.0",
    confidence: "medium",
    note: "An average UK car of unknown fuel; China's fleet differs, so the comparison is rough.",
    ...overrides,
  };
}

/**
 * A June 2025 dashboard whose figures add up: 21 bills in May and June; carbon 5,040 g in
 * total, 3,100 g measured and 1,940 g estimated, 5 bills unknown; 30 km by car at 166.91 g/km. Spend: ¥1,299.00 this month
 * against ¥600.00 over the same days of May and ¥1,000.00 for the whole of May.
 */
export function dashboardFixture(overrides: Partial<Dashboard> = {}): Dashboard {
  const may = {
    month: "2025-05",
    spend_minor: 100000,
    carbon_g: 790,
    carbon_measured_g: 790,
    carbon_estimated_g: 0,
    carbon_unknown: 3,
    bills: 9,
  };
  const june = {
    month: "2025-06",
    spend_minor: 129900,
    carbon_g: 4250,
    carbon_measured_g: 2310,
    carbon_estimated_g: 1940,
    carbon_unknown: 2,
    bills: 12,
  };

  return {
    currency: "CNY",
    this_month: june,
    last_month: may,
    last_month_to_date_spend_minor: 60000,
    by_month: [may, june],
    by_category: [
      {
        category: "public_transport",
        spend_minor: 52000,
        carbon_g: 3100,
        carbon_measured_g: 3100,
        carbon_estimated_g: 0,
        bills: 15,
        carbon_unknown: 0,
      },
      {
        category: "second_hand",
        spend_minor: 99000,
        carbon_g: 0,
        carbon_measured_g: 0,
        carbon_estimated_g: 0,
        bills: 4,
        carbon_unknown: 4,
      },
      {
        category: "green_food",
        spend_minor: 78900,
        carbon_g: 1940,
        carbon_measured_g: 0,
        carbon_estimated_g: 1940,
        bills: 2,
        carbon_unknown: 1,
      },
    ],
    certification_mix: [
      { certification: "finance_certified", bills: 10 },
      { certification: "unverified", bills: 11 },
    ],
    carbon_total_g: 5040,
    carbon_measured_g: 3100,
    carbon_estimated_g: 1940,
    carbon_unknown_bills: 5,
    carbon_car_km: {
      kind: "car_km",
      amount: 30,
      unit: "km",
      text: "the same as driving 30 km in an average car",
      factor: carFactorFixture(),
    },
    bill_count: 21,
    offer_count: 3,
    time_zone: "Asia/Shanghai",
    next_payment: {
      bill_id: "bill-7",
      merchant: "Gree",
      item: "Inverter air conditioner",
      due: "2025-06-20",
      amount: { minor: 33325, currency: "CNY" },
      number: 3,
      months: 12,
    },
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
    carbon_method: "transit-distance@1",
    local_carbon_g: null,
    local_carbon_method: null,
    status: "posted",
    source: "api",
    file_format: null,
    green_rule: null,
    ...overrides,
  };
}

const cny = (minor: number): Money => ({ minor, currency: "CNY" });

/**
 * The explanation of a second-hand phone bought for ¥3,199.40: ÷ 7.7355 CNY/EUR = €413.599638,
 * × 0.4222054752 kg CO2e/EUR (Memo Bank, MCC 5732, a CC BY-SA factor) = 174,624 g, estimated.
 */
export function explanationFixture(overrides: Partial<CarbonExplanation> = {}): CarbonExplanation {
  return {
    bill_id: "bill-1",
    source: "api",
    file_format: null,
    occurred_at: "2025-06-01T08:30:00Z",
    merchant: "Xianyu",
    item: "Second-hand phone",
    category: "second_hand",
    status: "posted",
    amount: cny(319940),
    grams: 174624,
    no_figure: null,
    no_figure_reason: null,
    api: { grams: 174624, method: "second-hand-spend@1" },
    local: { grams: 174624, method: "second-hand-spend@1" },
    not_recomputed: null,
    differs: false,
    method: {
      id: "second-hand-spend@1",
      name: "second-hand-spend",
      version: 1,
      formula: "CNY ÷ CNY/EUR (2019) × kg/EUR of the same goods bought new",
    },
    activity: { kind: "second_hand", spend: cny(319940), goods: "electronics" },
    factors: [
      {
        id: "fx-eur-cny-2019",
        unit: "CNY/EUR",
        local_value: 7.7355,
        api_value: 7.7355,
        published: {
          id: "fx-eur-cny-2019",
          value: 7.7355,
          unit: "CNY/EUR",
          source: "ECB euro reference rates, CNY, annual average 2019",
          publisher: "European Central Bank",
          year: 2019,
          licence: "ECB statistics, reusable with the source acknowledged",
          confidence: "medium",
          note: "Turns yuan into the 2019 euros the spend factors count.",
        },
      },
      {
        id: "cn-mcc5732-electronics-2019",
        unit: "kg CO2e/EUR",
        local_value: 0.4222054752,
        api_value: 0.4222054752,
        published: {
          id: "cn-mcc5732-electronics-2019",
          value: 0.4222054752,
          unit: "kg CO2e/EUR",
          source: "Memo Bank MCC × EXIOBASE 2019, MCC 5732, column CN",
          publisher: "Memo Bank (memobank/carbon-footprint), from EXIOBASE 3",
          year: 2019,
          licence: "CC BY-SA 4.0",
          confidence: "low",
          note: "New electronics that a second-hand purchase replaces.",
        },
      },
    ],
    baseline: "buying the same goods new, for the same money",
    basis: "estimated",
    confidence: "low",
    arithmetic: [
      "¥3199.40 ÷ 7.7355 CNY/EUR = €413.599638 (2019 euros)",
      "€413.599638 × 0.4222054752 kg CO2e/EUR = 174.624032 kg",
      "174.624032 kg = 174624 g, rounded once to the nearest gram",
    ],
    ...overrides,
  };
}

/** The explanation of a green food bill, which no method covers: unknown, not zero. */
export function unknownExplanationFixture(): CarbonExplanation {
  return explanationFixture({
    item: "Organic vegetables",
    category: "green_food",
    amount: cny(8800),
    grams: null,
    no_figure: "no_method",
    no_figure_reason: "no carbon method covers green_food: no published factor fits",
    api: null,
    local: null,
    method: null,
    activity: null,
    factors: [],
    baseline: null,
    basis: null,
    confidence: null,
    arithmetic: [],
  });
}

/** The parts of a plan row every kind shares, for an item of 3,599.00. */
function planBase(months: number, payment: number, last: number, cost: number) {
  return {
    months,
    fee_bp: null,
    annual_rate_bp: null,
    subsidy: null,
    subsidy_payer: null,
    principal: cny(359900),
    monthly_payment: cny(payment),
    last_payment: cny(last),
    up_front_fee: null,
    total_repaid: cny(359900 + cost),
    total_cost: cny(cost),
    naive_rate_pct: null,
  };
}

/** 3,599.00 in 12, interest-free, the merchant paying the 216.00 of interest. */
export function interestFreePlan(overrides: Partial<PlanRow> = {}): PlanRow {
  return {
    ...planBase(12, 29991, 29999, 0),
    kind: "interest_free",
    subsidy: cny(21600),
    subsidy_payer: "merchant",
    apr_pct: 0,
    effective_annual_rate_pct: 0,
    ...overrides,
  };
}

/** 3,599.00 in 12 at a fee of 0.60 % a month: the ad implies 7.20 %, the IRR says 13.03 %. */
export function feePlan(overrides: Partial<PlanRow> = {}): PlanRow {
  return {
    ...planBase(12, 32150, 32158, 25908),
    kind: "fee_per_period",
    fee_bp: 60,
    apr_pct: 13.03162529228925,
    effective_annual_rate_pct: 13.838858157645117,
    naive_rate_pct: 7.2,
    ...overrides,
  };
}

/** 3,599.00 in 36 at 12 % a year, equal instalments. */
export function annualRatePlan(overrides: Partial<PlanRow> = {}): PlanRow {
  return {
    ...planBase(36, 11954, 11942, 70432),
    kind: "annual_rate",
    annual_rate_bp: 1200,
    apr_pct: 11.999367776015779,
    effective_annual_rate_pct: 12.681797662933292,
    ...overrides,
  };
}

/** 3,599.00 in 6 with a 3 % fee taken at the start: 0.50 % a month, 6.00 % a year by the ad. */
export function feeUpFrontPlan(overrides: Partial<PlanRow> = {}): PlanRow {
  return {
    ...planBase(6, 59983, 59985, 10797),
    kind: "fee_up_front",
    fee_bp: 300,
    up_front_fee: cny(10797),
    apr_pct: 10.527166540606858,
    effective_annual_rate_pct: 11.050247508817911,
    naive_rate_pct: 6,
    ...overrides,
  };
}

/** 3,599.00 in 24 at 4.80 % a year on equal parts of principal: payments fall. */
export function equalPrincipalPlan(overrides: Partial<PlanRow> = {}): PlanRow {
  return {
    ...planBase(24, 16435, 15075, 18000),
    kind: "equal_principal",
    annual_rate_bp: 480,
    apr_pct: 4.8010959676650256,
    effective_annual_rate_pct: 4.9081659255702625,
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
    price: cny(359900),
    valid_from: "2025-01-01",
    valid_until: "2099-12-31",
    plans: [interestFreePlan(), feePlan(), annualRatePlan()],
    ...overrides,
  };
}

/**
 * The schedule of a plan that repays equal parts of principal with an even charge each month
 * (interest-free, fee per month, fee up front), the first due on `firstDue` (`YYYY-MM-DD`).
 */
export function evenSchedule(plan: PlanRow, firstDue: string): ScheduleRow[] {
  const { currency } = plan.principal;
  const money = (minor: number): Money => ({ minor, currency });
  const part = Math.floor(plan.principal.minor / plan.months);
  const charge = (plan.total_cost.minor - (plan.up_front_fee?.minor ?? 0)) / plan.months;
  const day = firstDue.slice(8);
  let owed = plan.principal.minor;

  const rows: ScheduleRow[] = [];
  for (let number = 1; number <= plan.months; number += 1) {
    const principal = number === plan.months ? owed : part;
    owed -= principal;
    rows.push({
      number,
      due: `${addMonths(firstDue.slice(0, 7), number - 1)}-${day}`,
      principal: money(principal),
      charge: money(charge),
      payment: money(principal + charge),
      remaining: money(owed),
    });
  }
  return rows;
}

/** An offer with an interest-free and a fee plan, each with its schedule from 15 July 2025. */
export function offerDetailFixture(offer: OfferRow = offerFixture()): OfferDetail {
  return {
    offer,
    plans: offer.plans.map((row) => ({ row, schedule: evenSchedule(row, "2025-07-15") })),
  };
}

/** What the calculator answers for 12,000 in 12 at a fee of 0.6 % a month. */
export function calcDetailFixture(): PlanDetail {
  const row: PlanRow = {
    months: 12,
    kind: "fee_per_period",
    fee_bp: 60,
    annual_rate_bp: null,
    subsidy: null,
    subsidy_payer: null,
    principal: cny(1200000),
    monthly_payment: cny(107200),
    last_payment: cny(107200),
    up_front_fee: null,
    total_repaid: cny(1286400),
    total_cost: cny(86400),
    apr_pct: 13.034224281108076,
    effective_annual_rate_pct: 13.841785066390354,
    naive_rate_pct: 7.2,
  };
  return { row, schedule: evenSchedule(row, "2025-07-15") };
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
    version: "0.1.0",
    demo_persona: "household",
    account_email: null,
    ...overrides,
  };
}

export function syncStateFixture(overrides: Partial<SyncState> = {}): SyncState {
  return { ...initialSyncState, status: statusFixture(), phase: "idle", ...overrides };
}

/** A two-question lesson: a single-choice question and a multiple-choice one. */
export function lessonFixture(overrides: Partial<LessonView> = {}): LessonView {
  return {
    id: "energy-labels",
    categories: ["energy_efficient_appliance"],
    title: { "zh-CN": "能效标识", en: "Energy labels" },
    summary: { "zh-CN": "看懂能效等级。", en: "Read the grade." },
    body: { "zh-CN": ["1级能效最高。"], en: ["Grade 1 is the most efficient."] },
    questions: [
      {
        id: "grade-best",
        kind: "single",
        prompt: { "zh-CN": "哪个等级能效最高？", en: "Which grade is the most efficient?" },
        choices: [
          { id: "a", text: { "zh-CN": "1级", en: "Grade 1" } },
          { id: "b", text: { "zh-CN": "5级", en: "Grade 5" } },
        ],
      },
      {
        id: "label-shows",
        kind: "multiple",
        prompt: { "zh-CN": "标识上有什么？", en: "What does the label show?" },
        choices: [
          { id: "a", text: { "zh-CN": "等级", en: "The grade" } },
          { id: "b", text: { "zh-CN": "价格", en: "The price" } },
          { id: "c", text: { "zh-CN": "耗电量", en: "The consumption" } },
        ],
      },
    ],
    ...overrides,
  };
}

/** Progress with nothing taken yet, over `lessonFixture`. */
export function progressFixture(overrides: Partial<Progress> = {}): Progress {
  return {
    xp: 0,
    streak: { current: 0, longest: 0, today_done: false, grace_days: [] },
    lessons: [
      {
        lesson_id: "energy-labels",
        attempts: 0,
        best_correct: 0,
        total: 2,
        passed: false,
        mastered: false,
      },
    ],
    mastered: 0,
    ...overrides,
  };
}

/** What saving a fully right attempt of `lessonFixture` answers. */
export function outcomeFixture(overrides: Partial<AttemptOutcome> = {}): AttemptOutcome {
  return {
    attempt_id: "3f1c2a9e-0000-4000-8000-000000000001",
    lesson_id: "energy-labels",
    new: true,
    score: {
      correct: 2,
      total: 2,
      passed: true,
      mastered: true,
      results: [
        { question_id: "grade-best", correct: true },
        { question_id: "label-shows", correct: true },
      ],
    },
    xp_gained: 70,
    badges_earned: ["first-quiz-passed"],
    streak: { current: 3, longest: 5, today_done: true, grace_days: [] },
    ...overrides,
  };
}

/** The first-quiz badge, earned, and the 7-day streak badge, locked. */
export function badgeWallFixture(): BadgeStatus[] {
  const art = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"></svg>';
  return [
    {
      badge: {
        id: "first-quiz-passed",
        rule: { kind: "quizzes_passed", count: 1 },
        colour: "#2e7d32",
        art: "first-quiz-passed.svg",
        title: { "zh-CN": "初次过关", en: "First quiz passed" },
        criteria: { "zh-CN": "通过任意一课的测验。", en: "Pass any lesson's quiz." },
      },
      earned_at: "2026-03-02T04:00:00Z",
      art_svg: art,
    },
    {
      badge: {
        id: "streak-7",
        rule: { kind: "streak_days", days: 7 },
        colour: "#ef6c00",
        art: "streak-7.svg",
        title: { "zh-CN": "连续7天", en: "7-day streak" },
        criteria: { "zh-CN": "连续7天每天测验。", en: "Take a quiz a day for 7 days in a row." },
      },
      earned_at: null,
      art_svg: art,
    },
  ];
}

/**
 * The report of a small WeChat Pay export: 6 rows, of which 4 imported and 2 neutral; ¥35.50
 * spent net, all of it green (metro ¥4.00, a bike ride with ¥1.50 kept, a refunded desk, a
 * ¥30.00 charge); one row skipped on line 23.
 */
export function importReportFixture(overrides: Partial<FileReport> = {}): FileReport {
  return {
    file: "/home/user/Downloads/微信支付账单.csv",
    format: "wechat_csv",
    rows: 7,
    imported: 4,
    duplicates: 0,
    neutral: 2,
    neutral_rows: [{ line: 21, reason: "a refund row: counted on its purchase" }],
    skipped: [{ line: 23, reason: "交易时间: 25:00 is not a time" }],
    paid_by_relatives: 0,
    refunds_updated: 0,
    refunds_unmatched: 0,
    ambiguous: 1,
    net_spend: { CNY: 3550 },
    green_net_spend: { CNY: 3550 },
    green: [
      {
        category: "public_transport",
        bills: 1,
        net_spend: { CNY: 400 },
        carbon_g: 390,
        carbon_unknown: 0,
      },
      { category: "second_hand", bills: 1, net_spend: { CNY: 0 }, carbon_g: 0, carbon_unknown: 0 },
      {
        category: "green_food",
        bills: 2,
        net_spend: { CNY: 3150 },
        carbon_g: 0,
        carbon_unknown: 2,
      },
    ],
    ...overrides,
  };
}
