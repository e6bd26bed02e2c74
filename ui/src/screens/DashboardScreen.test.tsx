import { render, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import * as ipc from "../ipc";
import { dashboardFixture } from "../test/fixtures";
import { DashboardScreen } from "./DashboardScreen";

vi.mock("../ipc");
// jsdom has no canvas; the chart's data is tested in charts.test.ts.
vi.mock("../components/SpendChart", () => ({ SpendChart: () => null }));

describe("DashboardScreen", () => {
  beforeEach(() => {
    vi.mocked(ipc.dashboard).mockResolvedValue(dashboardFixture());
  });

  it("puts the raw figures next to the test ids", async () => {
    render(<DashboardScreen version={1} />);

    expect(await screen.findByTestId("dashboard")).toBeInTheDocument();
    expect(screen.getByTestId("bill-count")).toHaveAttribute("data-value", "21");
    expect(screen.getByTestId("carbon-total")).toHaveAttribute("data-value", "5040");
    expect(screen.getByTestId("spend-this-month")).toHaveAttribute("data-value", "129900");
    expect(screen.getByTestId("offer-count")).toHaveAttribute("data-value", "3");
  });

  it("formats the cards for people", async () => {
    render(<DashboardScreen version={1} />);

    expect(await screen.findByTestId("spend-this-month")).toHaveTextContent("¥1,299.00");
    expect(screen.getByTestId("carbon-total")).toHaveTextContent("5.0 kg");
    expect(screen.getByTestId("carbon-this-month")).toHaveTextContent("4.3 kg");
    expect(screen.getByText("+¥299.00 (+29.9%) vs last month")).toBeInTheDocument();
    expect(screen.getByText("5 bills with unknown carbon are not counted")).toBeInTheDocument();
  });

  it("shows unknown carbon as unknown, never as zero", async () => {
    render(<DashboardScreen version={1} />);

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
    render(<DashboardScreen version={1} />);

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
    render(<DashboardScreen version={1} />);

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Your saved data could not be read or written",
    );
    expect(screen.queryByTestId("dashboard")).not.toBeInTheDocument();
  });

  it("reloads when a sync finishes", async () => {
    const { rerender } = render(<DashboardScreen version={1} />);
    await screen.findByTestId("dashboard");
    vi.mocked(ipc.dashboard).mockResolvedValue(dashboardFixture({ bill_count: 40 }));

    rerender(<DashboardScreen version={2} />);

    await vi.waitFor(() => {
      expect(screen.getByTestId("bill-count")).toHaveAttribute("data-value", "40");
    });
    expect(ipc.dashboard).toHaveBeenCalledTimes(2);
  });
});
