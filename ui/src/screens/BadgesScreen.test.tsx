import { render, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

import * as ipc from "../ipc";
import { badgeWallFixture } from "../test/fixtures";
import { BadgesScreen } from "./BadgesScreen";

vi.mock("../ipc");

describe("BadgesScreen", () => {
  beforeEach(() => {
    vi.mocked(ipc.learnBadges).mockResolvedValue(badgeWallFixture());
  });

  it("shows earned badges with their date and locked ones with their criteria", async () => {
    render(<BadgesScreen version={1} />);

    const badges = await screen.findAllByTestId("badge");
    expect(badges).toHaveLength(2);
    expect(screen.getByText("1 of 2 badges earned")).toBeInTheDocument();

    const [earned, locked] = badges;
    if (earned === undefined || locked === undefined) throw new Error("two badges");
    expect(earned).toHaveAttribute("data-earned", "true");
    expect(earned).toHaveTextContent("First quiz passed");
    expect(earned).toHaveTextContent("Earned Mar 2, 2026");
    expect(locked).toHaveAttribute("data-earned", "false");
    expect(locked).toHaveTextContent("Locked. Take a quiz a day for 7 days in a row.");
    const art = within(locked).getByRole("presentation");
    expect(art.getAttribute("src")).toMatch(/^data:image\/svg\+xml/);
  });
});
