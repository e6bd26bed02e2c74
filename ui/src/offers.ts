/**
 * What the offers screen decides without drawing anything: which offers and plans the filters
 * keep, which plans are picked for a comparison, and which offer each compared row came from.
 *
 * The filters apply to plans: an offer stays in the list when at least one of its plans has
 * the term asked for (and is interest-free, when that is asked for), and only those plans are
 * shown. Plans keep their index in the offer's `plans` throughout, because that index is what
 * `compare_plans` takes.
 */
import type { ComparisonRow, GreenCategory, OfferRow, PlanPick, PlanRow } from "./bindings";
import { GREEN_CATEGORIES } from "./categories";

/** The most plans `compare_plans` takes at once. */
export const MAX_PICKS = 4;

/** The fewest plans a comparison needs. */
export const MIN_PICKS = 2;

/** Terms the months filter always offers, whether or not an offer has them today. */
const COMMON_TERMS: readonly number[] = [6, 12, 24];

const DAY_MS = 24 * 3600 * 1000;

export interface OfferFilters {
  /** Only offers in this category. */
  category: GreenCategory | null;
  /** Only plans of this many months. */
  months: number | null;
  /** Only interest-free plans. */
  interestFreeOnly: boolean;
  /** Leave out offers that have ended. */
  hideExpired: boolean;
}

export const NO_FILTERS: OfferFilters = {
  category: null,
  months: null,
  interestFreeOnly: false,
  hideExpired: false,
};

/** An offer the filters kept, with the indexes of the plans they kept. */
export interface ShownOffer {
  offer: OfferRow;
  plans: number[];
}

/** Whether an offer valid until `validUntil` (a date, inclusive, or an instant) has ended. */
export function isExpired(validUntil: string, now: number): boolean {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(validUntil);
  const end = new Date(dateOnly ? `${validUntil}T00:00:00Z` : validUntil).getTime();
  return (dateOnly ? end + DAY_MS : end) <= now;
}

/** Whether any filter that looks at plans is set. */
function filtersPlans(filters: OfferFilters): boolean {
  return filters.months !== null || filters.interestFreeOnly;
}

function planMatches(plan: PlanRow, filters: OfferFilters): boolean {
  if (filters.months !== null && plan.months !== filters.months) return false;
  return !filters.interestFreeOnly || plan.kind === "interest_free";
}

/** The offers the filters keep, in the order given (the backend's: valid ones first). */
export function filterOffers(
  offers: readonly OfferRow[],
  filters: OfferFilters,
  now: number,
): ShownOffer[] {
  const shown: ShownOffer[] = [];
  for (const offer of offers) {
    if (filters.category !== null && offer.category !== filters.category) continue;
    if (filters.hideExpired && isExpired(offer.valid_until, now)) continue;

    const plans = offer.plans.flatMap((plan, index) => (planMatches(plan, filters) ? [index] : []));
    if (filtersPlans(filters) && plans.length === 0) continue;

    shown.push({ offer, plans });
  }
  return shown;
}

/** The terms the months filter lists: 6, 12 and 24, and any other term an offer has. */
export function monthChoices(offers: readonly OfferRow[]): number[] {
  const terms = new Set(COMMON_TERMS);
  for (const offer of offers) {
    for (const plan of offer.plans) terms.add(plan.months);
  }
  return [...terms].sort((a, b) => a - b);
}

/** The categories the offers are in, in the order the UI lists categories. */
export function categoryChoices(offers: readonly OfferRow[]): GreenCategory[] {
  const present = new Set(offers.map((offer) => offer.category));
  return GREEN_CATEGORIES.filter((category) => present.has(category));
}

/** Whether two picks name the same plan. */
export function samePick(a: PlanPick, b: PlanPick): boolean {
  return a.offer_id === b.offer_id && a.plan === b.plan;
}

/** `picks` with `pick` added at the end, or taken out if it was there; never more than 4. */
export function togglePick(picks: readonly PlanPick[], pick: PlanPick): PlanPick[] {
  if (picks.some((held) => samePick(held, pick))) {
    return picks.filter((held) => !samePick(held, pick));
  }
  return picks.length >= MAX_PICKS ? [...picks] : [...picks, pick];
}

/** The picks whose offer and plan are still in `offers` (a sync may have removed them). */
export function livePicks(picks: readonly PlanPick[], offers: readonly OfferRow[]): PlanPick[] {
  return picks.filter((pick) => {
    const offer = offers.find((candidate) => candidate.id === pick.offer_id);
    return offer !== undefined && pick.plan < offer.plans.length;
  });
}

/** Whether two plan rows have the same terms and figures. */
function samePlan(a: PlanRow, b: PlanRow): boolean {
  return (
    a.months === b.months &&
    a.kind === b.kind &&
    a.fee_bp === b.fee_bp &&
    a.annual_rate_bp === b.annual_rate_bp &&
    a.principal.minor === b.principal.minor &&
    a.principal.currency === b.principal.currency &&
    a.monthly_payment.minor === b.monthly_payment.minor &&
    a.total_cost.minor === b.total_cost.minor &&
    a.apr_pct === b.apr_pct
  );
}

/**
 * The offer each compared row came from, or `null` where none of the picks has its figures.
 *
 * The rows come back sorted and carry an English label but no offer id, so each is matched to
 * an unused pick whose plan has the same terms and figures; picks with identical figures are
 * interchangeable on screen apart from the product, so a row whose label names the product is
 * preferred.
 */
// TODO(compare): match by id once ComparisonRow carries its PlanPick; figures can tie.
export function comparedOffers(
  rows: readonly ComparisonRow[],
  picks: readonly PlanPick[],
  offers: readonly OfferRow[],
): (OfferRow | null)[] {
  const candidates = picks.flatMap((pick) => {
    const offer = offers.find((candidate) => candidate.id === pick.offer_id);
    const plan = offer?.plans[pick.plan];
    return offer === undefined || plan === undefined ? [] : [{ offer, plan }];
  });
  const used = new Set<number>();

  return rows.map((row) => {
    const matching = candidates
      .map((candidate, index) => ({ ...candidate, index }))
      .filter(({ plan, index }) => !used.has(index) && samePlan(plan, row.plan));
    const best =
      matching.find(({ offer }) => row.label.includes(offer.product)) ?? matching[0] ?? null;
    if (best === null) return null;

    used.add(best.index);
    return best.offer;
  });
}
