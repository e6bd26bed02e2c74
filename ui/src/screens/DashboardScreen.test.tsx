import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { GreenCategory } from "../bindings";
import * as ipc from "../ipc";
import { carFactorFixture, dashboardFixture } from "../test/fixtures";
import { DashboardScreen } from "./DashboardScreen";

vi.mock("../ipc");
// jsdom has no canvas; the chart's data is tested in charts.test.ts.
vi.mock("../components/SpendChart", () => ({ SpendChart: () => null }));

/** Noon on 15 June 2025 in Shanghai, the fixture's time zone. */
const NOW = Date.parse("2025-06-15T04:00:00Z");

function categoryRow(category: GreenCategory): HTMLElement {
  const row = screen
    .getAllByTestId("category-row")
    .find((candidate) => candidate.dataset.category === category);
  if (row === undefined) throw new Error(`no row for ${category}`);
  return row;
}

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

  it("splits carbon saved into measured and estimated, with raw grams", async () => {
    render(<DashboardScreen version={1} now={NOW} />);

    const measured = await screen.findByTestId("carbon-measured");
    const estimated = screen.getByTestId("carbon-estimated");
    expect(measured).toHaveAttribute("data-value", "3100");
    expect(measured).toHaveTextContent("3.1 kg");
    expect(estimated).toHaveAttribute("data-value", "1940");
    expect(estimated).toHaveTextContent("1.9 kg");
    expect(screen.getByTestId("carbon-total")).toHaveAttribute("data-value", "5040");
    expect(measured.closest(".card")).toHaveTextContent("Measured 3.1 kg");
    expect(measured.closest(".card")).toHaveTextContent("Estimated 1.9 kg");
  });

  it("shows unknown carbon as unknown (N bills), never as zero", async () => {
    render(<DashboardScreen version={1} now={NOW} />);

    await screen.findByTestId("dashboard");
    const secondHand = categoryRow("second_hand");
    const food = categoryRow("green_food");

    const unknownCarbon = within(secondHand).getByTestId("category-carbon");
    expect(unknownCarbon).toHaveTextContent("unknown (4 bills)");
    expect(secondHand).not.toHaveTextContent("0 g");
    expect(within(secondHand).getByTestId("category-measured")).toHaveTextContent("unknown");
    expect(within(secondHand).getByTestId("category-unknown")).toHaveAttribute("data-value", "4");

    expect(within(food).getByTestId("category-carbon")).toHaveTextContent(
      "1.9 kg+ unknown (1 bill)",
    );
    expect(within(food).getByTestId("category-measured")).toHaveTextContent("0 g");
    expect(within(food).getByTestId("category-estimated")).toHaveAttribute("data-value", "1940");
  });

  it("names the unknown bills of each month in the figures by month", async () => {
    const april = {
      month: "2025-04",
      spend_minor: 9900,
      carbon_g: 0,
      carbon_measured_g: 0,
      carbon_estimated_g: 0,
      carbon_unknown: 3,
      bills: 3,
    };
    const fixture = dashboardFixture();
    vi.mocked(ipc.dashboard).mockResolvedValue({
      ...fixture,
      by_month: [april, ...fixture.by_month],
    });
    render(<DashboardScreen version={1} now={NOW} />);

    await screen.findByTestId("dashboard");
    const rows = screen.getAllByTestId("month-row");
    expect(rows.map((row) => row.dataset.month)).toEqual(["2025-06", "2025-05", "2025-04"]);
    const [june, , aprilRow] = rows;
    if (june === undefined || aprilRow === undefined) throw new Error("month rows missing");

    expect(within(june).getByTestId("month-carbon")).toHaveTextContent("4.3 kg+ unknown (2 bills)");
    expect(within(june).getByTestId("month-measured")).toHaveAttribute("data-value", "2310");
    expect(within(june).getByTestId("month-estimated")).toHaveTextContent("1.9 kg");
    expect(within(aprilRow).getByTestId("month-carbon")).toHaveTextContent("unknown (3 bills)");
    expect(aprilRow).not.toHaveTextContent("0 g");
  });

  it("reads this month's carbon as unknown when no bill of it has a figure", async () => {
    const fixture = dashboardFixture();
    vi.mocked(ipc.dashboard).mockResolvedValue({
      ...fixture,
      this_month: {
        ...fixture.this_month,
        carbon_g: 0,
        carbon_measured_g: 0,
        carbon_estimated_g: 0,
        carbon_unknown: 12,
      },
    });
    render(<DashboardScreen version={1} now={NOW} />);

    const card = await screen.findByTestId("carbon-this-month");
    expect(card).toHaveTextContent("unknown");
    expect(card).not.toHaveTextContent("0 g");
    expect(screen.getByTestId("carbon-this-month-unknown")).toHaveTextContent("unknown (12 bills)");
  });

  it("gives the total as car km, with the factor's id, source and licence at hand", async () => {
    vi.mocked(ipc.dashboard).mockResolvedValue(
      dashboardFixture({
        carbon_total_g: 10_290_000,
        carbon_car_km: {
          kind: "car_km",
          amount: 61650,
          unit: "km",
          text: "the same as driving 61,650 km in an average car",
          factor: carFactorFixture(),
        },
      }),
    );
    render(<DashboardScreen version={1} now={NOW} />);

    const line = await screen.findByTestId("carbon-equivalent");
    expect(line).toHaveTextContent("The same as driving 61,650 km in an average car");
    expect(line).toHaveAttribute("data-kind", "car_km");
    expect(line).toHaveAttribute("data-value", "61650");

    const source = screen.getByTestId("equivalent-factor");
    expect(source).not.toHaveAttribute("open");
    await userEvent.click(within(source).getByText("Source and licence"));
    expect(source).toHaveAttribute("open");
    expect(source).toHaveAttribute("data-factor-id", "uk-car-average-2024");
    expect(source).toHaveTextContent("uk-car-average-2024");
    expect(source).toHaveTextContent("0.16691 kg CO2e/km");
    expect(source).toHaveTextContent("DESNZ 2024, sheet Passenger vehicles");
    expect(source).toHaveTextContent("LicenceOpen Government Licence v3.0");
    expect(source).toHaveTextContent("Contains public sector information licensed under the");
    expect(within(source).queryAllByRole("link")).toHaveLength(0);
  });

  it("leaves the comparison out when the factor table lacks the car factor", async () => {
    vi.mocked(ipc.dashboard).mockResolvedValue(dashboardFixture({ carbon_car_km: null }));
    render(<DashboardScreen version={1} now={NOW} />);

    await screen.findByTestId("carbon-total");
    expect(screen.queryByTestId("carbon-equivalent")).not.toBeInTheDocument();
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
