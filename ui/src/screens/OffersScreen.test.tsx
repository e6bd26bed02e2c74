import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import type { ComparisonRow, OfferRow } from "../bindings";
import * as ipc from "../ipc";
import {
  calcDetailFixture,
  equalPrincipalPlan,
  feePlan,
  feeUpFrontPlan,
  interestFreePlan,
  offerDetailFixture,
  offerFixture,
} from "../test/fixtures";
import { OffersScreen } from "./OffersScreen";

vi.mock("../ipc");

const NOW = Date.parse("2025-06-15T12:00:00Z");

/** Three offers in three categories; the e-bike's has ended. */
function threeOffers(): OfferRow[] {
  return [
    offerFixture(),
    offerFixture({
      id: "offer-2",
      merchant: "Yadea",
      product: "E-bike",
      category: "ev_charging",
      valid_until: "2025-06-01",
      plans: [
        interestFreePlan({ months: 6, subsidy: null, subsidy_payer: null }),
        feeUpFrontPlan(),
      ],
    }),
    offerFixture({
      id: "offer-3",
      merchant: "Midea",
      product: "Heat-pump water heater",
      plans: [equalPrincipalPlan()],
    }),
  ];
}

function cards() {
  return screen.queryAllByTestId("offer-card").map((card) => card.dataset.offerId);
}

function planOf(offerId: string, plan: number): HTMLElement {
  const card = screen
    .getAllByTestId("offer-card")
    .find((candidate) => candidate.dataset.offerId === offerId);
  if (card === undefined) throw new Error(`offer ${offerId} is not shown`);
  const row = within(card)
    .getAllByTestId("plan-row")
    .find((candidate) => candidate.dataset.plan === String(plan));
  if (row === undefined) throw new Error(`plan ${plan} of ${offerId} is not shown`);
  return row;
}

function pick(offerId: string, plan: number): HTMLElement {
  return within(planOf(offerId, plan)).getByRole("checkbox");
}

describe("OffersScreen", () => {
  it("shows each plan's payment, cost of credit and rates", async () => {
    vi.mocked(ipc.offers).mockResolvedValue([offerFixture()]);
    render(<OffersScreen version={1} now={NOW} />);

    const card = await screen.findByTestId("offer-card");
    expect(card).toHaveTextContent("Heat-pump dryer");
    expect(card).toHaveTextContent("¥3,599.00");
    expect(card).toHaveTextContent("Finance certified");
    expect(card).toHaveTextContent("Valid Jan 1, 2025 – Dec 31, 2099");

    const [free, fee, annual] = within(card).getAllByTestId("plan-row");
    if (free === undefined || fee === undefined || annual === undefined) {
      throw new Error("the offer's three plans are not all shown");
    }
    expect(free).toHaveTextContent("12 months Interest-free");
    expect(free).toHaveTextContent("Interest paid by the merchant: ¥216.00");
    expect(free).toHaveTextContent("¥299.91");
    expect(within(free).getByTestId("plan-cost")).toHaveTextContent("Free");

    expect(fee).toHaveTextContent("0.60% fee per month");
    expect(within(fee).getByTestId("plan-monthly")).toHaveTextContent("¥321.50");
    expect(within(fee).getByTestId("plan-cost")).toHaveTextContent("¥259.08");
    expect(within(fee).getByTestId("plan-apr")).toHaveTextContent("13.03% a year");
    expect(within(fee).getByTestId("plan-naive")).toHaveTextContent("ad implies 7.20%");
    expect(within(fee).getByTestId("plan-effective")).toHaveTextContent("Effective 13.84% a year");

    expect(annual).toHaveTextContent("36 months 12.00% a year");
    expect(within(annual).getByTestId("plan-cost")).toHaveTextContent("¥704.32");
    expect(within(annual).queryByTestId("plan-naive")).not.toBeInTheDocument();
  });

  it("names fees charged up front and plans whose payments fall", async () => {
    vi.mocked(ipc.offers).mockResolvedValue([
      offerFixture({ plans: [feeUpFrontPlan(), equalPrincipalPlan()] }),
    ]);
    render(<OffersScreen version={1} now={NOW} />);

    await screen.findByTestId("offer-card");
    const upFront = planOf("offer-1", 0);
    expect(upFront).toHaveTextContent("6 months 0.50% fee per month, charged up front");
    expect(within(upFront).getByTestId("plan-up-front-fee")).toHaveTextContent("¥107.97");
    expect(within(upFront).getByTestId("plan-apr")).toHaveTextContent("10.53% a year");
    expect(within(upFront).getByTestId("plan-naive")).toHaveTextContent("ad implies 6.00%");

    const falling = planOf("offer-1", 1);
    expect(falling).toHaveTextContent("24 months 4.80% a year, equal principal");
    expect(within(falling).getByTestId("plan-monthly")).toHaveTextContent(
      "¥164.35first payment, last ¥150.75",
    );
  });

  it("marks offers that have ended", async () => {
    vi.mocked(ipc.offers).mockResolvedValue([offerFixture({ valid_until: "2025-06-14" })]);
    render(<OffersScreen version={1} now={NOW} />);

    expect(await screen.findByTestId("offer-card")).toHaveTextContent("Expired");
  });

  it("narrows the list by category, months, interest-free and validity", async () => {
    vi.mocked(ipc.offers).mockResolvedValue(threeOffers());
    render(<OffersScreen version={1} now={NOW} />);
    await screen.findAllByTestId("offer-card");
    expect(cards()).toEqual(["offer-1", "offer-2", "offer-3"]);

    await userEvent.selectOptions(screen.getByLabelText("Category"), "ev_charging");
    expect(cards()).toEqual(["offer-2"]);
    expect(screen.getByTestId("offers-shown")).toHaveTextContent("Showing 1 of 3 offers");
    await userEvent.selectOptions(screen.getByLabelText("Category"), "");

    const months = screen.getByLabelText("Months");
    const terms = within(months)
      .getAllByRole("option")
      .map((option) => option.textContent);
    expect(terms).toEqual(["Any", "6 months", "12 months", "24 months", "36 months"]);
    await userEvent.selectOptions(months, "24");
    expect(cards()).toEqual(["offer-3"]);

    await userEvent.selectOptions(months, "12");
    await userEvent.click(screen.getByLabelText("Interest-free only"));
    expect(cards()).toEqual(["offer-1"]);
    const shownPlans = screen.getAllByTestId("plan-row").map((row) => row.dataset.kind);
    expect(shownPlans).toEqual(["interest_free"]);
    expect(screen.getByText("2 other plans hidden by the filters")).toBeInTheDocument();

    await userEvent.selectOptions(months, "6");
    expect(cards()).toEqual(["offer-2"]);
    screen.getByLabelText("Hide expired").focus();
    await userEvent.keyboard(" ");
    expect(cards()).toEqual([]);
    expect(screen.getByText("No offers match these filters.")).toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    expect(cards()).toEqual(["offer-1", "offer-2", "offer-3"]);
  });

  it("opens an offer's page with every plan's schedule, and comes back to it", async () => {
    const offer = offerFixture({ plans: [interestFreePlan(), feePlan()] });
    vi.mocked(ipc.offers).mockResolvedValue([offer]);
    vi.mocked(ipc.offerDetail).mockResolvedValue(offerDetailFixture(offer));
    render(<OffersScreen version={1} now={NOW} />);

    const open = await screen.findByRole("button", { name: "Open Heat-pump dryer" });
    open.focus();
    await userEvent.keyboard("{Enter}");

    const page = await screen.findByTestId("offer-detail");
    expect(ipc.offerDetail).toHaveBeenCalledWith("offer-1");
    expect(await within(page).findByRole("heading", { name: "Heat-pump dryer" })).toHaveFocus();
    expect(screen.getByTestId("offer-card")).not.toBeVisible();

    const [, fee] = within(page).getAllByTestId("offer-plan");
    if (fee === undefined) throw new Error("the fee plan is not on the offer page");
    expect(within(fee).getByTestId("plan-apr")).toHaveTextContent("13.03% a year");
    expect(within(fee).getByTestId("plan-naive")).toHaveTextContent("7.20%");
    const rows = within(fee).getAllByTestId("schedule-row");
    expect(rows).toHaveLength(12);
    expect(rows[0]).toHaveTextContent("1Jul 15, 2025¥299.91¥21.59¥321.50¥3,299.09");
    expect(rows[11]).toHaveTextContent("12Jun 15, 2026¥299.99¥21.59¥321.58¥0.00");
    expect(within(fee).getByRole("table")).toHaveTextContent("Total¥3,599.00¥259.08¥3,858.08");

    await userEvent.click(within(page).getByRole("button", { name: "← Back to offers" }));
    expect(screen.queryByTestId("offer-detail")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Open Heat-pump dryer" })).toHaveFocus();
  });

  it("compares the picked plans, cheapest first", async () => {
    const offers = threeOffers();
    vi.mocked(ipc.offers).mockResolvedValue(offers);
    const [first, second] = offers;
    const answer: ComparisonRow[] = [
      { label: "E-bike · 6 months", plan: second?.plans[0] ?? interestFreePlan() },
      { label: "Heat-pump dryer · 12 months", plan: first?.plans[1] ?? feePlan() },
    ];
    vi.mocked(ipc.comparePlans).mockResolvedValue(answer);
    render(<OffersScreen version={1} now={NOW} />);
    await screen.findAllByTestId("offer-card");

    const compare = screen.getByRole("button", { name: "Compare (0)" });
    expect(compare).toBeDisabled();
    await userEvent.click(pick("offer-1", 1));
    expect(screen.getByRole("button", { name: "Compare (1)" })).toBeDisabled();
    await userEvent.click(pick("offer-2", 0));
    await userEvent.click(screen.getByRole("button", { name: "Compare (2)" }));

    expect(ipc.comparePlans).toHaveBeenCalledWith([
      { offer_id: "offer-1", plan: 1 },
      { offer_id: "offer-2", plan: 0 },
    ]);
    const table = await screen.findByTestId("comparison");
    const rows = await within(table).findAllByTestId("comparison-row");
    expect(rows.map((row) => row.dataset.cost)).toEqual(["0", "25908"]);
    expect(rows[0]).toHaveTextContent("E-bike · 6 months");
    expect(rows[0]).toHaveTextContent("Cheapest");
    expect(rows[0]).toHaveAttribute("data-cheapest", "true");
    expect(rows[1]).toHaveTextContent("Heat-pump dryer · 12 months");
    expect(rows[1]).toHaveTextContent("13.03%");
    expect(rows[1]).toHaveTextContent("ad implies 7.20%");
    expect(rows[1]).toHaveAttribute("data-cheapest", "false");
  });

  it("takes at most four plans for a comparison", async () => {
    vi.mocked(ipc.offers).mockResolvedValue(threeOffers());
    render(<OffersScreen version={1} now={NOW} />);
    await screen.findAllByTestId("offer-card");

    await userEvent.click(pick("offer-1", 0));
    await userEvent.click(pick("offer-1", 1));
    await userEvent.click(pick("offer-1", 2));
    await userEvent.click(pick("offer-2", 0));

    expect(screen.getByRole("button", { name: "Compare (4)" })).toBeEnabled();
    expect(pick("offer-2", 1)).toBeDisabled();
    expect(pick("offer-3", 0)).toBeDisabled();
    expect(pick("offer-1", 0)).toBeEnabled();

    await userEvent.click(pick("offer-1", 0));
    expect(pick("offer-3", 0)).toBeEnabled();
  });

  it("shows the calculator in a tab of its own", async () => {
    vi.mocked(ipc.offers).mockResolvedValue([offerFixture()]);
    vi.mocked(ipc.instalmentCalc).mockResolvedValue(calcDetailFixture());
    render(<OffersScreen version={1} now={NOW} />);
    await screen.findByTestId("offer-card");

    await userEvent.click(screen.getByRole("tab", { name: "Calculator" }));

    expect(await screen.findByTestId("calculator")).toBeVisible();
    expect(screen.getByTestId("offer-card")).not.toBeVisible();
    expect(ipc.instalmentCalc).toHaveBeenCalledWith(expect.objectContaining({ currency: "CNY" }));
  });
});
