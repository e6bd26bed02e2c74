// Generated from the Rust types by `cargo test -p greenmile-desktop --test bindings`.
// Do not edit: change the Rust type and set GREENMILE_UPDATE_BINDINGS=1.

export type GreenCategory = "energy_efficient_appliance" | "public_transport" | "shared_bike" | "ev_charging" | "second_hand" | "recycling" | "green_food";

export type Certification = "unverified" | "self_declared" | "platform_reviewed" | "finance_certified";

export type BillStatus = "posted" | "partially_refunded" | "refunded";

export type Money = { 
/**
 * Minor units; negative only where a field says so.
 */
minor: number, 
/**
 * ISO 4217 alphabetic code, upper case.
 */
currency: string, };

export type MonthPoint = { 
/**
 * The month, `YYYY-MM`.
 */
month: string, 
/**
 * Green spend in the dashboard's currency, minor units.
 */
spend_minor: number, 
/**
 * Grams of CO2e saved: `carbon_measured_g + carbon_estimated_g`.
 */
carbon_g: number, 
/**
 * Grams from figures that multiply a recorded quantity (km, kWh) by published factors.
 */
carbon_measured_g: number, 
/**
 * Grams from estimates: spend-based figures and savings projected over a service life.
 */
carbon_estimated_g: number, 
/**
 * Bills (not refunded) whose carbon no method can tell, left out of `carbon_g`.
 */
carbon_unknown: number, 
/**
 * Number of green bills.
 */
bills: number, };

export type CategoryPoint = { 
/**
 * The category.
 */
category: GreenCategory, 
/**
 * Green spend in the dashboard's currency, minor units.
 */
spend_minor: number, 
/**
 * Grams of CO2e saved by the category's bills whose carbon is known.
 */
carbon_g: number, 
/**
 * Of `carbon_g`, grams from measured figures.
 */
carbon_measured_g: number, 
/**
 * Of `carbon_g`, grams from estimates.
 */
carbon_estimated_g: number, 
/**
 * Number of bills.
 */
bills: number, 
/**
 * Bills (not refunded) whose carbon no method can tell.
 */
carbon_unknown: number, };

export type CertificationCount = { 
/**
 * The level.
 */
certification: Certification, 
/**
 * Number of bills.
 */
bills: number, };

export type EquivalentKind = "car_km" | "grid_kwh";

export type Equivalent = { 
/**
 * Which comparison.
 */
kind: EquivalentKind, 
/**
 * How much of it, rounded to a whole unit: grams ÷ (the factor's kg × 1000).
 */
amount: number, 
/**
 * The unit of `amount`: `km` or `kWh`.
 */
unit: string, 
/**
 * The comparison in English words.
 */
text: string, 
/**
 * The factor, with its source, publisher, year and licence.
 */
factor: Factor, };

export type Dashboard = { 
/**
 * The currency of every spend figure here (ISO 4217).
 */
currency: string, 
/**
 * The current month so far.
 */
this_month: MonthPoint, 
/**
 * The month before.
 */
last_month: MonthPoint, 
/**
 * Green spend in the month before over as much of it as has passed of this one (to the
 * same day and time), so a month four days old is not compared with a whole month.
 */
last_month_to_date_spend_minor: number, 
/**
 * The last [`MONTHS_SHOWN`] months, oldest first.
 */
by_month: Array<MonthPoint>, 
/**
 * Every category that has bills.
 */
by_category: Array<CategoryPoint>, 
/**
 * Bills per certification level.
 */
certification_mix: Array<CertificationCount>, 
/**
 * Grams of CO2e saved, over the whole ledger (bills refunded in full left out).
 */
carbon_total_g: number, 
/**
 * Of `carbon_total_g`, grams from measured figures.
 */
carbon_measured_g: number, 
/**
 * Of `carbon_total_g`, grams from estimates.
 */
carbon_estimated_g: number, 
/**
 * Bills (not refunded) whose carbon is unknown, left out of the totals.
 */
carbon_unknown_bills: number, 
/**
 * `carbon_total_g` as the same distance driven in an average car, with the factor (id,
 * value, source, licence) it divides by; null only if the factor table lacks it.
 */
carbon_car_km: Equivalent | null, 
/**
 * Green bills in the cache, synced and imported from files.
 */
bill_count: number, 
/**
 * Offers in the cache.
 */
offer_count: number, 
/**
 * The IANA time zone the months were taken in.
 */
time_zone: string, 
/**
 * The next instalment due on a plan the user holds, if any is still running.
 */
next_payment: UpcomingPayment | null, };

export type UpcomingPayment = { 
/**
 * The bill whose purchase the plan pays off.
 */
bill_id: string, 
/**
 * Who was paid.
 */
merchant: string, 
/**
 * What was bought.
 */
item: string, 
/**
 * When it is due, `YYYY-MM-DD`.
 */
due: string, 
/**
 * What is due.
 */
amount: Money, 
/**
 * Which instalment it is, from 1.
 */
number: number, 
/**
 * How many instalments the plan has.
 */
months: number, };

export type BillSource = "api" | "file";

export type BillRow = { 
/**
 * The bill's id.
 */
id: string, 
/**
 * When it was paid.
 */
occurred_at: string, 
/**
 * Who was paid.
 */
merchant: string, 
/**
 * What was bought.
 */
item: string, 
/**
 * Why it is green.
 */
category: GreenCategory, 
/**
 * What was finally paid.
 */
amount: Money, 
/**
 * How far the green claim was checked.
 */
certification: Certification, 
/**
 * The recognition rule that found it green, for bills read from payment exports.
 */
green_rule: string | null, 
/**
 * Grams of CO2e saved, or `None` when unknown.
 */
carbon_g: number | null, 
/**
 * The method behind `carbon_g`.
 */
carbon_method: string | null, 
/**
 * This app's figure for the same inputs, where its version of the method is newer than
 * the API's; `carbon_g` stays the figure shown, this one can be shown beside it.
 */
local_carbon_g: number | null, 
/**
 * The method behind `local_carbon_g`.
 */
local_carbon_method: string | null, 
/**
 * Where the bill stands.
 */
status: BillStatus, 
/**
 * Synced from the Green API or imported from a file.
 */
source: BillSource, 
/**
 * For an imported bill, the export layout it was read from, such as `alipay_csv`.
 */
file_format: string | null, };

export type BillFilter = { 
/**
 * Only this category.
 */
category?: GreenCategory, 
/**
 * Only bills whose green claim was checked this far.
 */
certification?: Certification, 
/**
 * Only bills synced from the API, or only bills imported from files.
 */
source?: BillSource, 
/**
 * Only this calendar month, `YYYY-MM`.
 */
month?: string, 
/**
 * Only bills paid on this day or later, `YYYY-MM-DD`.
 */
from?: string, 
/**
 * Only bills paid on this day or earlier, `YYYY-MM-DD`.
 */
to?: string, 
/**
 * Only bills of at least this many minor units (whatever their currency).
 */
min_amount_minor?: number, 
/**
 * Only bills of at most this many minor units.
 */
max_amount_minor?: number, 
/**
 * Only bills whose merchant or item contains every whitespace-separated term of this
 * text, ignoring ASCII case (see [`SearchTerms`]).
 */
search?: string, };

export type BillQuery = { 
/**
 * Which bills.
 */
filter: BillFilter, 
/**
 * How many to return (1 to [`MAX_LIST_LIMIT`]).
 */
limit: number, 
/**
 * The `next` of the page before, or `None` for the first page.
 */
after?: string, };

export type BillList = { 
/**
 * How many bills match the filter in all; counted for the first page only (a query
 * without `after`), since counting costs a walk over every match.
 */
total: number | null, 
/**
 * This page of them, newest first.
 */
items: Array<BillRow>, 
/**
 * Where the next page starts (pass it as `after`), or `None` when this is the last.
 */
next: string | null, };

export type ExportFormat = "csv" | "json";

export type ExportOutcome = { 
/**
 * The file, as the user chose it.
 */
file: string, 
/**
 * CSV or JSON, from the file's extension.
 */
format: ExportFormat, 
/**
 * Bills written.
 */
rows: number, };

export type CarbonBasis = "measured" | "estimated";

export type CarbonConfidence = "low" | "medium" | "high";

export type TransitMode = "metro" | "bus";

export type SecondHandGoods = "furniture" | "electronics" | "clothing" | "books" | "bicycle";

export type CarbonActivity = { "kind": "appliance", 
/**
 * Label consumption of the grade-3 appliance it is compared with, kWh a year.
 */
baseline_kwh_per_year: number, 
/**
 * Label consumption of the appliance bought, kWh a year.
 */
certified_kwh_per_year: number, 
/**
 * Years the appliance is expected to serve.
 */
service_years: number, } | { "kind": "transit", 
/**
 * How the trip was made.
 */
mode: TransitMode, 
/**
 * Distance travelled, km.
 */
km: number, } | { "kind": "shared_bike", 
/**
 * Distance ridden, km.
 */
km: number, } | { "kind": "ev_charging", 
/**
 * Energy delivered to the car, kWh.
 */
kwh: number, } | { "kind": "second_hand", 
/**
 * What was paid, after any partial refund.
 */
spend: Money, 
/**
 * What was bought.
 */
goods: SecondHandGoods, };

export type Factor = { 
/**
 * Stable id, referenced by the methods, e.g. `cn-grid-2022`.
 */
id: string, 
/**
 * The value, in `unit`.
 */
value: number, 
/**
 * What the value counts, e.g. `kg CO2e/passenger.km`.
 */
unit: string, 
/**
 * The document, and the sheet, row and column the value was read from.
 */
source: string, 
/**
 * Who published the document.
 */
publisher: string, 
/**
 * The year the value describes.
 */
year: number, 
/**
 * The licence the value is used under.
 */
licence: string, 
/**
 * How far the value can be trusted for GreenMile's use of it.
 */
confidence: CarbonConfidence, 
/**
 * Why this value was chosen, and its known weaknesses.
 */
note: string, };

export type FactorDetail = { 
/**
 * The factor's id.
 */
id: string, 
/**
 * What its value counts.
 */
unit: string, 
/**
 * The value this app's method read; null when only the API's figure used the factor.
 */
local_value: number | null, 
/**
 * The value the API's figure was computed with; null when its trace does not name it.
 */
api_value: number | null, 
/**
 * The factor as this app's table publishes it (source document, publisher, year,
 * licence, confidence, why it was chosen); null when the table does not have it.
 */
published: Factor | null, };

export type FigureSource = { 
/**
 * Grams of CO2e saved.
 */
grams: number, 
/**
 * The method, `name@version`.
 */
method: string, };

export type MethodInfo = { 
/**
 * `name@version`.
 */
id: string, 
/**
 * The name, stable across versions.
 */
name: string, 
/**
 * The version; it rises whenever the formula or a factor value it reads changes.
 */
version: number, 
/**
 * The formula in words and symbols.
 */
formula: string, };

export type NoFigure = "refunded" | "no_method" | "not_in_file" | "not_provided";

export type NotRecomputed = "no_inputs" | "inputs_refused";

export type CarbonExplanation = { 
/**
 * The bill's id.
 */
bill_id: string, 
/**
 * Synced from the Green API (`api` is the server's figure) or imported from a file (the
 * figure is this app's, from what the row states).
 */
source: BillSource, 
/**
 * For an imported bill, the export layout it was read from, such as `alipay_csv`.
 */
file_format: string | null, 
/**
 * When it was paid.
 */
occurred_at: string, 
/**
 * Who was paid.
 */
merchant: string, 
/**
 * What was bought.
 */
item: string, 
/**
 * Why it is green.
 */
category: GreenCategory, 
/**
 * Where the bill stands.
 */
status: BillStatus, 
/**
 * What was finally paid.
 */
amount: Money, 
/**
 * The figure the app shows: the API's, or for an imported bill the one stored at import;
 * null when there is none (see `no_figure`).
 */
grams: number | null, 
/**
 * Why there is no figure: `refunded` means nothing was saved; the others mean unknown.
 */
no_figure: NoFigure | null, 
/**
 * `no_figure` in English words, for the detail line.
 */
no_figure_reason: string | null, 
/**
 * The API's figure as synced; for an imported bill, the figure stored at import.
 */
api: FigureSource | null, 
/**
 * This app's figure, recomputed from the stored inputs with its current method.
 */
local: FigureSource | null, 
/**
 * Why there is no local figure although the API sent one.
 */
not_recomputed: NotRecomputed | null, 
/**
 * Whether the two figures differ in grams or method; then both are worth showing.
 */
differs: boolean, 
/**
 * The method of the local figure, else the API's when this app knows it.
 */
method: MethodInfo | null, 
/**
 * The method's inputs.
 */
activity: CarbonActivity | null, 
/**
 * Every factor either figure used, the local method's first, in formula order.
 */
factors: Array<FactorDetail>, 
/**
 * What the saving is measured against.
 */
baseline: string | null, 
/**
 * Whether the figure rests on a recorded quantity or on an estimate.
 */
basis: CarbonBasis | null, 
/**
 * How far the figure can be trusted.
 */
confidence: CarbonConfidence | null, 
/**
 * The local figure's arithmetic, one step a line.
 */
arithmetic: Array<string>, };

export type PlanKindName = "interest_free" | "fee_per_period" | "annual_rate" | "fee_up_front" | "equal_principal" | "level_payment";

export type SubsidyPayer = "merchant" | "platform" | "bank";

export type PlanRow = { 
/**
 * Number of monthly instalments.
 */
months: number, 
/**
 * How the credit is charged for.
 */
kind: PlanKindName, 
/**
 * The fee in basis points of the principal: per period for fee-per-period plans, once for
 * fee-up-front plans.
 */
fee_bp: number | null, 
/**
 * The stated nominal annual rate in basis points, for annual-rate and equal-principal plans.
 */
annual_rate_bp: number | null, 
/**
 * What a subsidy is worth, for subsidised interest-free plans.
 */
subsidy: Money | null, 
/**
 * Who pays that subsidy.
 */
subsidy_payer: SubsidyPayer | null, 
/**
 * The amount lent: the offer's price, or the calculator's principal.
 */
principal: Money, 
/**
 * The first monthly payment; the regular one, except that an equal-principal plan's
 * payments fall over the term and the last may differ by rounding.
 */
monthly_payment: Money, 
/**
 * The last monthly payment.
 */
last_payment: Money, 
/**
 * The fee charged at the start, for fee-up-front plans.
 */
up_front_fee: Money | null, 
/**
 * Everything paid over the plan: principal plus interest and fees.
 */
total_repaid: Money, 
/**
 * What the credit costs: everything paid less the principal.
 */
total_cost: Money, 
/**
 * The nominal annualised rate by IRR on the cash flows, in percent (12 × the monthly
 * rate; the Regulation Z actuarial APR).
 */
apr_pct: number, 
/**
 * The effective annual rate, (1 + monthly rate)^12 − 1, in percent.
 */
effective_annual_rate_pct: number, 
/**
 * For fee plans, the annual rate the ad implies (the fee per month × 12), in percent.
 */
naive_rate_pct: number | null, };

export type ScheduleRow = { 
/**
 * 1 for the first instalment.
 */
number: number, 
/**
 * When it is due, `YYYY-MM-DD`.
 */
due: string, 
/**
 * The part that repays principal.
 */
principal: Money, 
/**
 * Interest or fee.
 */
charge: Money, 
/**
 * What is paid: principal plus charge.
 */
payment: Money, 
/**
 * Principal still owed after this instalment.
 */
remaining: Money, };

export type PlanDetail = { 
/**
 * The plan's terms, costs and rates.
 */
row: PlanRow, 
/**
 * Every instalment, first to last.
 */
schedule: Array<ScheduleRow>, };

export type ComparisonRow = { 
/**
 * What the caller called it ("Bank A, 12 months").
 */
label: string, 
/**
 * The plan's terms, monthly payment, total cost, rates and subsidy.
 */
plan: PlanRow, };

export type OfferDetail = { 
/**
 * The offer as the list shows it.
 */
offer: OfferRow, 
/**
 * Each plan with its schedule, in the offer's order.
 */
plans: Array<PlanDetail>, };

export type PlanPick = { 
/**
 * The offer's id.
 */
offer_id: string, 
/**
 * The plan's position in the offer's list, from 0.
 */
plan: number, };

export type CalcMethod = "interest_free" | "fee_per_period" | "fee_up_front" | "annual_rate" | "equal_principal" | "level_payment";

export type CalcRequest = { 
/**
 * The amount borrowed, such as `"12000"` or `"12,000.50"`.
 */
principal: string, 
/**
 * ISO 4217 code of the amounts.
 */
currency: string, 
/**
 * Number of monthly instalments.
 */
months: number, 
/**
 * How the credit is charged for.
 */
method: CalcMethod, 
/**
 * The percentage `method` asks for, such as `"0.6"`.
 */
rate: string | null, 
/**
 * The level payment, for [`CalcMethod::LevelPayment`].
 */
payment: string | null, 
/**
 * When the first instalment is due, `YYYY-MM-DD`; a month after `today` when absent.
 */
first_due: string | null, };

export type OfferRow = { 
/**
 * The offer's id.
 */
id: string, 
/**
 * Who sells it.
 */
merchant: string, 
/**
 * What is offered.
 */
product: string, 
/**
 * Why it is green.
 */
category: GreenCategory, 
/**
 * How far the green claim was checked.
 */
certification: Certification, 
/**
 * The cash price.
 */
price: Money, 
/**
 * Valid from.
 */
valid_from: string, 
/**
 * Valid until.
 */
valid_until: string, 
/**
 * The plans, with monthly payment, total cost and annualised rate.
 */
plans: Array<PlanRow>, };

export type Mode = "demo" | "connected";

export type Persona = "household" | "student" | "ev_driver";

export type ErrorCode = "server_unreachable" | "bad_response" | "server_error" | "cache" | "disk_full" | "invalid_input" | "busy" | "internal" | "keychain_unavailable" | "sign_in_required" | "invalid_credentials" | "rate_limited" | "certificate_refused";

export type AppError = { 
/**
 * What kind of failure; the UI picks its words by this.
 */
code: ErrorCode, 
/**
 * The English description, shown as detail.
 */
message: string, };

export type SyncPhase = "started" | "page" | "finished" | "failed";

export type SyncProgress = { 
/**
 * Where the sync is.
 */
phase: SyncPhase, 
/**
 * The collection being synced, where there is one.
 */
collection: string | null, 
/**
 * Changes applied from this collection so far.
 */
applied: number, 
/**
 * Changes applied in this sync so far.
 */
total_applied: number, 
/**
 * What went wrong, for `Failed`.
 */
error: AppError | null, };

export type OutboxReport = { 
/**
 * Rows the server applied now.
 */
applied: number, 
/**
 * Rows the server had applied before (an earlier answer was lost).
 */
duplicates: number, 
/**
 * Rows the server refused for good.
 */
refused: number, };

export type CollectionReport = { 
/**
 * `bills`, `offers` or `carbon`.
 */
collection: string, 
/**
 * Pages applied.
 */
pages: number, 
/**
 * Items inserted or changed (replays of known versions do not count).
 */
upserted: number, 
/**
 * Items deleted by tombstones.
 */
deleted: number, 
/**
 * Items applied: `upserted + deleted`.
 */
applied: number, 
/**
 * Items refused by validation and kept in quarantine.
 */
quarantined: number, 
/**
 * HTTP requests made for this collection, retries included.
 */
requests: number, 
/**
 * Whether the server answered `304 Not Modified`: nothing changed.
 */
not_modified: boolean, 
/**
 * How long the collection took, in milliseconds.
 */
duration_ms: number, };

export type CatalogSync = "unchanged" | "updated" | "failed";

export type SyncReport = { 
/**
 * The local writes delivered before reading.
 */
outbox: OutboxReport, 
/**
 * One report per collection.
 */
collections: Array<CollectionReport>, 
/**
 * What became of the education catalogue, refreshed after the feeds.
 */
catalog: CatalogSync, 
/**
 * When it finished.
 */
finished_at: string, };

export type SyncState = { "state": "idle" } | { "state": "syncing", 
/**
 * The collection it is on, once it said.
 */
collection: string | null, 
/**
 * Changes applied so far.
 */
applied: number, } | { "state": "offline", 
/**
 * Why.
 */
error: AppError, } | { "state": "error", 
/**
 * Why, with its code.
 */
error: AppError, };

export type AppStatus = { 
/**
 * Demo or connected.
 */
mode: Mode, 
/**
 * The server synced from, once known.
 */
server_url: string | null, 
/**
 * The data folder.
 */
data_dir: string, 
/**
 * When a page was last applied.
 */
last_synced_at: string | null, 
/**
 * Whether a sync is running.
 */
syncing: boolean, 
/**
 * Why the last sync failed, if it did.
 */
last_error: AppError | null, 
/**
 * The signed-in account's e-mail address; `None` in demo mode.
 */
account_email: string | null, 
/**
 * Bills in the cache.
 */
bill_count: number, 
/**
 * This app's version, from its package information (tauri.conf.json).
 */
version: string, 
/**
 * Whose demo account is shown, in demo mode once the demo server has started.
 */
demo_persona: Persona | null, };

export type Account = { 
/**
 * The Green API's base URL.
 */
server: string, 
/**
 * The account's id on that server.
 */
user_id: number, 
/**
 * The account's e-mail address.
 */
email: string, };

export type SignOutReport = { 
/**
 * The account that was signed in, if any.
 */
account: Account | null, 
/**
 * Whether the server ended the sign-in (false when it could not be reached; the tokens
 * are deleted here either way and expire on the server).
 */
revoked: boolean, 
/**
 * Whether a keychain entry was deleted.
 */
keychain_entry_deleted: boolean, 
/**
 * The files removed from the data folder, by name.
 */
files_removed: Array<string>, };

export type Text = { 
/**
 * Simplified Chinese.
 */
"zh-CN": string, 
/**
 * English.
 */
en: string, };

export type Paragraphs = { 
/**
 * Simplified Chinese.
 */
"zh-CN": Array<string>, 
/**
 * English.
 */
en: Array<string>, };

export type QuestionKind = "single" | "multiple" | "true_false";

export type Choice = { 
/**
 * Id, unique within the question, such as `a`.
 */
id: string, 
/**
 * What the choice says.
 */
text: Text, };

export type QuestionView = { 
/**
 * Id within the lesson.
 */
id: string, 
/**
 * How it is answered.
 */
kind: QuestionKind, 
/**
 * What is asked.
 */
prompt: Text, 
/**
 * The choices.
 */
choices: Array<Choice>, };

export type LessonView = { 
/**
 * Stable id.
 */
id: string, 
/**
 * The bill categories it explains.
 */
categories: Array<GreenCategory>, 
/**
 * Title.
 */
title: Text, 
/**
 * One sentence on what it teaches.
 */
summary: Text, 
/**
 * The lesson's paragraphs.
 */
body: Paragraphs, 
/**
 * The quiz.
 */
questions: Array<QuestionView>, };

export type Answer = { 
/**
 * The question's id within its lesson.
 */
question_id: string, 
/**
 * The ids of the choices picked.
 */
choices: Array<string>, };

export type AnswerFeedback = { 
/**
 * Whether the choices picked were exactly the answer.
 */
correct: boolean, 
/**
 * The ids of the right choices.
 */
answer: Array<string>, 
/**
 * Why.
 */
explanation: Text, 
/**
 * The document the claim comes from.
 */
source: string, };

export type QuestionResult = { 
/**
 * The question's id.
 */
question_id: string, 
/**
 * Whether the choices picked were exactly the answer.
 */
correct: boolean, };

export type Score = { 
/**
 * Questions answered right.
 */
correct: number, 
/**
 * Questions in the quiz.
 */
total: number, 
/**
 * Whether `correct` reaches the pass mark.
 */
passed: boolean, 
/**
 * Whether every answer was right.
 */
mastered: boolean, 
/**
 * Each question, in the quiz's order.
 */
results: Array<QuestionResult>, };

export type Streak = { 
/**
 * Days with an attempt in the streak that is still alive today; 0 when it has ended.
 */
current: number, 
/**
 * The longest streak ever reached.
 */
longest: number, 
/**
 * Whether today already has an attempt.
 */
today_done: boolean, 
/**
 * The missed days a grace day covered, oldest first.
 */
grace_days: string[], };

export type AttemptOutcome = { 
/**
 * The attempt's id.
 */
attempt_id: string, 
/**
 * The lesson.
 */
lesson_id: string, 
/**
 * False when this attempt id was already recorded; nothing changed then.
 */
new: boolean, 
/**
 * How it scored.
 */
score: Score, 
/**
 * XP this attempt added.
 */
xp_gained: number, 
/**
 * Badges earned just now.
 */
badges_earned: Array<string>, 
/**
 * The streak after the attempt.
 */
streak: Streak, };

export type LessonProgress = { 
/**
 * The lesson.
 */
lesson_id: string, 
/**
 * Attempts made.
 */
attempts: number, 
/**
 * The most questions answered right in one attempt.
 */
best_correct: number, 
/**
 * Questions in the quiz (as of its latest attempt, or the catalogue's quiz).
 */
total: number, 
/**
 * Whether an attempt passed.
 */
passed: boolean, 
/**
 * Whether an attempt got every question right.
 */
mastered: boolean, };

export type Progress = { 
/**
 * Points for understanding: see [`quiz::XP_PER_QUESTION`] and [`quiz::XP_MASTERY`].
 */
xp: number, 
/**
 * The streak as it stands today.
 */
streak: Streak, 
/**
 * Every lesson of the catalogue, in its order.
 */
lessons: Array<LessonProgress>, 
/**
 * Lessons mastered.
 */
mastered: number, };

export type BadgeRule = { "kind": "quizzes_passed", 
/**
 * How many lessons' quizzes passed.
 */
count: number, } | { "kind": "all_lessons_mastered" } | { "kind": "streak_days", 
/**
 * Days in a row.
 */
days: number, } | { "kind": "certified_bills", 
/**
 * The category.
 */
category: GreenCategory, 
/**
 * How many bills.
 */
count: number, } | { "kind": "certified_carbon_saved", 
/**
 * Grams of CO2e.
 */
grams: number, } | { "kind": "certified_months_in_a_row", 
/**
 * The categories that count.
 */
categories: Array<GreenCategory>, 
/**
 * Months in a row.
 */
months: number, };

export type Badge = { 
/**
 * Stable id, such as `streak-7`.
 */
id: string, 
/**
 * What earns it.
 */
rule: BadgeRule, 
/**
 * Its main colour, `#rrggbb`.
 */
colour: string, 
/**
 * The SVG artwork's file name under `assets/learn/badges`.
 */
art: string, 
/**
 * Its name.
 */
title: Text, 
/**
 * What earns it, in words; shown on a locked badge.
 */
criteria: Text, };

export type BadgeStatus = { 
/**
 * The badge, with its published criteria.
 */
badge: Badge, 
/**
 * When it was earned, if it was.
 */
earned_at: string | null, 
/**
 * The badge's SVG artwork.
 */
art_svg: string, };

export type Lang = "zh-CN" | "en";

export type SavedCard = { 
/**
 * The PNG file written.
 */
path: string, 
/**
 * Whether the card has its text; false when no font here has the glyphs it needs.
 */
text_drawn: boolean, };

export type CacheCheck = { 
/**
 * The database file.
 */
path: string, 
/**
 * Whether the file exists (a fresh install has none until the first sync or import).
 */
exists: boolean, 
/**
 * The database with its write-ahead log and shared-memory files, in bytes.
 */
size_bytes: number, 
/**
 * `ok`, or what SQLite's integrity check reported.
 */
integrity: string, 
/**
 * The newest schema migration applied.
 */
schema_version: number | null, 
/**
 * Bills from the Green API in the cache.
 */
bills: number, 
/**
 * Offers in the cache.
 */
offers: number, 
/**
 * Bills imported from payment exports.
 */
imported_bills: number, };

export type CollectionSync = { 
/**
 * `bills`, `offers` or `carbon`.
 */
collection: string, 
/**
 * RFC 3339, UTC.
 */
synced_at: string, };

export type ServerCheck = { 
/**
 * The address the cache syncs from.
 */
base_url: string, 
/**
 * Whether its health endpoint answered as the contract says.
 */
reachable: boolean, 
/**
 * Whether it is the same server the cache was filled from.
 */
same_server: boolean, 
/**
 * How long it took to answer, in milliseconds.
 */
latency_ms: number | null, 
/**
 * What went wrong, when it did.
 */
error: string | null, };

export type KeychainCheck = { 
/**
 * Which store was tried.
 */
store: string, 
/**
 * Whether an entry could be written, read back and removed.
 */
available: boolean, 
/**
 * What went wrong, when it did.
 */
error: string | null, };

export type Diagnostics = { 
/**
 * The app's version.
 */
version: string, 
/**
 * The operating system and processor, such as `linux x86_64`.
 */
platform: string, 
/**
 * The data folder.
 */
data_dir: string, 
/**
 * Whether this data folder is a demo's: no account is signed in to it and its server is
 * the one the app starts on loopback. The demo needs no keychain.
 */
demo: boolean, 
/**
 * The cache database.
 */
cache: CacheCheck, 
/**
 * When each collection last had a page applied, oldest first.
 */
last_sync: Array<CollectionSync>, 
/**
 * The server the cache syncs from, when it ever synced.
 */
server: ServerCheck | null, 
/**
 * Whether tokens can be kept.
 */
keychain: KeychainCheck, 
/**
 * True when every check passed.
 */
healthy: boolean, };

export type DesktopDiagnostics = { 
/**
 * The same checks as `greenmile doctor`.
 */
checks: Diagnostics, 
/**
 * The webview engine's version (WebKitGTK, WebView2 or WKWebView).
 */
webview_version: string, 
/**
 * The Tauri version the app was built with.
 */
tauri_version: string, 
/**
 * Where the log files are, if logs are written to files.
 */
log_dir: string | null, 
/**
 * Whether the WebKitGTK DMA-BUF workaround was applied at start.
 */
webkit_dmabuf_workaround: boolean, };

export type SupportBundle = { 
/**
 * The zip file.
 */
path: string, 
/**
 * The files inside it.
 */
files: Array<string>, };

export type ImportFormat = "alipay_csv" | "alipay_csv_pre2023" | "alipay_pc_web" | "wechat_csv" | "wechat_xlsx" | "jd_csv" | "meituan_csv";

export type RowNote = { 
/**
 * The line (CSV) or row (workbook), 1-based.
 */
line: number, 
/**
 * Why.
 */
reason: string, };

export type CategoryReport = { 
/**
 * The category.
 */
category: GreenCategory, 
/**
 * How many green expenses.
 */
bills: number, 
/**
 * Spent minus refunds, minor units per currency.
 */
net_spend: Record<string, number>, 
/**
 * Grams of CO2e saved by the bills whose carbon is known, at the amounts kept.
 */
carbon_g: number, 
/**
 * Bills (not fully refunded) whose carbon no method can tell; not in `carbon_g`.
 */
carbon_unknown: number, };

export type FileReport = { 
/**
 * The file as named on the command line.
 */
file: string, 
/**
 * The layout recognised from its content.
 */
format: ImportFormat, 
/**
 * Data rows read (header, preamble and footer excluded).
 */
rows: number, 
/**
 * Rows stored by this import.
 */
imported: number, 
/**
 * Rows already in the cache.
 */
duplicates: number, 
/**
 * Rows that moved no money of the user's.
 */
neutral: number, 
/**
 * Why each neutral row is neutral.
 */
neutral_rows: Array<RowNote>, 
/**
 * Rows that could not be read.
 */
skipped: Array<RowNote>, 
/**
 * Expenses paid by a relative (亲友代付, 亲情卡, 亲属卡).
 */
paid_by_relatives: number, 
/**
 * Duplicates whose later export reports a refund the cache did not have yet.
 */
refunds_updated: number, 
/**
 * Refund rows whose purchase is not in the file or the cache yet; they still count.
 */
refunds_unmatched: number, 
/**
 * Expenses matched by rules of two categories: stored as unverified, not green.
 */
ambiguous: number, 
/**
 * Spent minus refunds, minor units per currency.
 */
net_spend: Record<string, number>, 
/**
 * Spent minus refunds over green bills.
 */
green_net_spend: Record<string, number>, 
/**
 * Green bills by category, in the order screens list categories.
 */
green: Array<CategoryReport>, };

export type ImportOutcome = { 
/**
 * The file as picked or dropped.
 */
file: string, 
/**
 * What became of each row, when the file could be read.
 */
report: FileReport | null, 
/**
 * Why the file could not be read; then nothing of it was stored.
 */
error: AppError | null, };
