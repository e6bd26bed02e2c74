import { render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import * as ipc from "../ipc";
import { offerFixture } from "../test/fixtures";
import { OffersScreen } from "./OffersScreen";

vi.mock("../ipc");

describe("OffersScreen", () => {
  it("shows each offer with its plans and what they cost", async () => {
    vi.mocked(ipc.offers).mockResolvedValue([offerFixture()]);
    render(<OffersScreen version={1} now={Date.parse("2025-06-15T12:00:00Z")} />);

    const card = await screen.findByTestId("offer-card");
    expect(card).toHaveTextContent("Heat-pump dryer");
    expect(card).toHaveTextContent("¥3,599.00");
    expect(card).toHaveTextContent("Finance certified");
    expect(card).toHaveTextContent("Valid Jan 1, 2025 – Dec 31, 2099");

    const plans = within(card).getAllByTestId("plan-row");
    expect(plans[0]).toHaveTextContent("12 months");
    expect(plans[0]).toHaveTextContent("Interest-free");
    expect(plans[0]).toHaveTextContent("Interest paid by the merchant: ¥216.00");
    expect(plans[0]).toHaveTextContent("¥299.92");
    expect(plans[1]).toHaveTextContent("0.6% fee per month");
    expect(plans[2]).toHaveTextContent("12% a year");
    expect(plans[2]).toHaveTextContent("¥4,303.44");
  });

  it("marks offers that have ended", async () => {
    vi.mocked(ipc.offers).mockResolvedValue([offerFixture({ valid_until: "2025-06-14" })]);
    render(<OffersScreen version={1} now={Date.parse("2025-06-15T12:00:00Z")} />);

    expect(await screen.findByTestId("offer-card")).toHaveTextContent("Expired");
  });
});
