import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { AppFailure } from "../errors";
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

  it("saves an earned badge's share card in the UI's language and offers none for a locked one", async () => {
    vi.mocked(ipc.learnSaveBadgeCard).mockResolvedValue({
      path: "/home/me/greenmile-first-quiz-passed.png",
      text_drawn: true,
    });
    const user = userEvent.setup();
    render(<BadgesScreen version={1} />);

    const [earned, locked] = await screen.findAllByTestId("badge");
    if (earned === undefined || locked === undefined) throw new Error("two badges");
    expect(within(locked).queryByTestId("badge-save-card")).toBeNull();
    await user.click(within(earned).getByRole("button", { name: "Save share card" }));

    expect(ipc.learnSaveBadgeCard).toHaveBeenCalledWith("first-quiz-passed", "en");
    expect(await within(earned).findByTestId("badge-card-saved")).toHaveTextContent(
      "Share card saved to /home/me/greenmile-first-quiz-passed.png",
    );
  });

  it("says what went wrong when the card cannot be saved, and nothing when it is cancelled", async () => {
    vi.mocked(ipc.learnSaveBadgeCard)
      .mockResolvedValueOnce(null)
      .mockRejectedValueOnce(new AppFailure({ code: "cache", message: "disk full" }));
    const user = userEvent.setup();
    render(<BadgesScreen version={1} />);
    const [earned] = await screen.findAllByTestId("badge");
    if (earned === undefined) throw new Error("an earned badge");
    const button = within(earned).getByTestId("badge-save-card");

    await user.click(button);
    expect(within(earned).queryByTestId("badge-card-saved")).toBeNull();
    expect(within(earned).queryByRole("alert")).toBeNull();

    await user.click(button);
    expect(await within(earned).findByRole("alert")).toHaveAttribute("data-code", "cache");
  });
});
