import { describe, expect, it } from "vitest";

import { comparedOffers, livePicks, MAX_PICKS, togglePick } from "./offers";
import { feePlan, interestFreePlan, offerFixture } from "./test/fixtures";

describe("plan picks", () => {
  it("adds and removes picks, never more than four", () => {
    let picks = togglePick([], { offer_id: "a", plan: 0 });
    picks = togglePick(picks, { offer_id: "a", plan: 1 });
    picks = togglePick(picks, { offer_id: "a", plan: 0 });
    expect(picks).toEqual([{ offer_id: "a", plan: 1 }]);

    for (let plan = 2; plan < 8; plan += 1) picks = togglePick(picks, { offer_id: "b", plan });
    expect(picks).toHaveLength(MAX_PICKS);
  });

  it("drops picks whose offer or plan a sync removed", () => {
    const offers = [offerFixture()];
    const picks = [
      { offer_id: "offer-1", plan: 2 },
      { offer_id: "offer-1", plan: 3 },
      { offer_id: "gone", plan: 0 },
    ];

    expect(livePicks(picks, offers)).toEqual([{ offer_id: "offer-1", plan: 2 }]);
  });
});

describe("comparedOffers", () => {
  it("names each ranked row after the pick with its figures, each pick once", () => {
    const dryer = offerFixture();
    const heater = offerFixture({ id: "offer-2", product: "Water heater" });
    const picks = [
      { offer_id: "offer-1", plan: 1 },
      { offer_id: "offer-2", plan: 1 },
      { offer_id: "offer-2", plan: 0 },
    ];
    // Both fee plans have the same figures; the labels tell them apart.
    const rows = [
      { label: "Water heater · 12 months", plan: interestFreePlan() },
      { label: "Water heater · 12 months", plan: feePlan() },
      { label: "Heat-pump dryer · 12 months", plan: feePlan() },
    ];

    const names = comparedOffers(rows, picks, [dryer, heater]).map((offer) => offer?.id);

    expect(names).toEqual(["offer-2", "offer-2", "offer-1"]);
  });

  it("leaves a row it cannot place to its own label", () => {
    const rows = [{ label: "Something · 3 months", plan: feePlan({ months: 3 }) }];

    expect(comparedOffers(rows, [{ offer_id: "offer-1", plan: 1 }], [offerFixture()])).toEqual([
      null,
    ]);
  });
});
