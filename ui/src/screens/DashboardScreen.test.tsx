import { render, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import * as ipc from "../ipc";
import { dashboardFixture } from "../test/fixtures";
import { DashboardScreen } from "./DashboardScreen";

vi.mock("../ipc");
// jsdom has no canvas; the chart's data is tested in charts.test.ts.
vi.mock("../components/SpendChart", () => ({ SpendChart: () => null }));

/** Noon on 15 June 2025 in Shanghai, the fixture's time zone. */
const NOW = Date.parse("2025-06-15T04:00:00Z");

describe("DashboardScreen", () => {
  beforeEach(() => {
    vi.mocked(ipc.dashboard).mockResolvedValue(dashboardFixture());
  });

  it("puts the raw figures next to the test ids", async () => {
    render(<DashboardScreen version={1} now={NOW} />);

    expect(await screen.findByTestId("dashboard")).toBeInTheDocument();
    expect(screen.getByTestId("bill-count")).toHaveAttribute("data-value", "21");
    expect(screen.getByTestId("carbon-total")).toHaveAttribute("data-value", "5040");
    expect(screen.getByTestId("spend-this-month")).toHaveAttribute("data-value", "129900");
    expect(screen.getByTestId("offer-count")).toHaveAttribute("data-value", "3");
  });

  it("formats the cards for people", async () => {
    render(<DashboardScreen version={1} now={NOW} />);

    expect(await screen.findByTestId("spend-this-month")).toHaveTextContent("¥1,299.00");
    expect(screen.getByTestId("carbon-total")).toHaveTextContent("5.0 kg");
    expect(screen.getByTestId("carbon-this-month")).toHaveTextContent("4.3 kg");
    expect(screen.getByText("Last month: ¥1,000.00")).toBeInTheDocument();
    expect(screen.getByText("5 bills with unknown carbon are not counted")).toBeInTheDocument();
  });

  it("compares this month with the same days of last month, not the whole of it", async () => {
    render(<DashboardScreen version={1} now={NOW} />);

    // ¥1,299.00 against the ¥600.00 of 1–15 May; all of May (¥1,000.00) is context only.
    const change = await screen.findByTestId("spend-change");
    expect(change).toHaveTextContent("+¥699.00 (+116.5%) vs the same days last month");
    expect(change).toHaveAttribute("data-value", "69900");
    expect(change).toHaveAttribute("data-baseline", "60000");
    expect(change).toHaveClass("up");
    expect(screen.getByText("Last month: ¥1,000.00")).toBeInTheDocument();
  });

  it("states a drop against the same days plainly, not as a warning", async () => {
    vi.mocked(ipc.dashboard).mockResolvedValue(
      dashboardFixture({ last_month_to_date_spend_minor: 259800 }),
    );
    render(<DashboardScreen version={1} now={NOW} />);

    const change = await screen.findByTestId("spend-change");
    expect(change).toHaveTextContent("-¥1,299.00 (-50%) vs the same days last month");
    expect(change).not.toHaveClass("up");
    expect(change.className).toBe("");
  });

  it("gives no percentage when the same days of last month had no spend", async () => {
    vi.mocked(ipc.dashboard).mockResolvedValue(
      dashboardFixture({ last_month_to_date_spend_minor: 0 }),
    );
    render(<DashboardScreen version={1} now={NOW} />);

    expect(await screen.findByTestId("spend-change")).toHaveTextContent(
      "+¥1,299.00 vs the same days last month",
    );
  });

  it("shows the next instalment due: amount, when, what for and which payment", async () => {
    render(<DashboardScreen version={1} now={NOW} />);

    const amount = await screen.findByTestId("next-payment");
    expect(amount).toHaveAttribute("data-value", "33325");
    expect(amount).toHaveTextContent("¥333.25");
    const card = amount.closest(".card");
    if (!(card instanceof HTMLElement)) throw new Error("the next payment is not in a card");
    expect(card).toHaveTextContent("Next instalment");
    expect(card).toHaveTextContent("Due Jun 20, 2025, in 5 days");
    expect(card).toHaveTextContent("Gree · Inverter air conditioner");
    expect(card).toHaveTextContent("Payment 3 of 12");
  });

  it("says when no instalment is due", async () => {
    vi.mocked(ipc.dashboard).mockResolvedValue(dashboardFixture({ next_payment: null }));
    render(<DashboardScreen version={1} now={NOW} />);

    const empty = await screen.findByTestId("next-payment");
    expect(empty).toHaveTextContent("No instalments due");
    expect(empty).not.toHaveAttribute("data-value");
  });

  it("shows unknown carbon as unknown, never as zero", async () => {
    render(<DashboardScreen version={1} now={NOW} />);

    await screen.findByTestId("dashboard");
    const rows = screen.getAllByTestId("category-row");
    const secondHand = rows.find((row) => row.dataset.category === "second_hand");
    const food = rows.find((row) => row.dataset.category === "green_food");
    if (secondHand === undefined || food === undefined) throw new Error("category rows missing");

    expect(within(secondHand).getByTestId("category-carbon")).toHaveTextContent("unknown");
    expect(within(secondHand).getByTestId("category-carbon")).not.toHaveTextContent("0 g");
    expect(within(secondHand).getByTestId("category-unknown")).toHaveTextContent("4 unknown");
    expect(within(food).getByTestId("category-carbon")).toHaveTextContent("1.9 kg");
    expect(within(food).getByTestId("category-unknown")).toHaveTextContent("1 unknown");
  });

  it("shows the certification mix", async () => {
    render(<DashboardScreen version={1} now={NOW} />);

    await screen.findByTestId("dashboard");
    const counts = screen.getAllByTestId("certification-count");
    expect(counts.map((item) => item.dataset.certification)).toEqual([
      "finance_certified",
      "unverified",
    ]);
    expect(counts[1]).toHaveTextContent("Unverified");
  });

  it("says what went wrong when the cache cannot be read", async () => {
    vi.mocked(ipc.dashboard).mockRejectedValue({ code: "cache", message: "database is locked" });
    render(<DashboardScreen version={1} now={NOW} />);

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Your saved data could not be read or written",
    );
    expect(screen.queryByTestId("dashboard")).not.toBeInTheDocument();
  });

  it("reloads when a sync finishes", async () => {
    const { rerender } = render(<DashboardScreen version={1} now={NOW} />);
    await screen.findByTestId("dashboard");
    vi.mocked(ipc.dashboard).mockResolvedValue(dashboardFixture({ bill_count: 40 }));

    rerender(<DashboardScreen version={2} now={NOW} />);

    await vi.waitFor(() => {
      expect(screen.getByTestId("bill-count")).toHaveAttribute("data-value", "40");
    });
    expect(ipc.dashboard).toHaveBeenCalledTimes(2);
  });
});
