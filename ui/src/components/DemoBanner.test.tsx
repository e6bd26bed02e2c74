import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { DemoBanner } from "./DemoBanner";

describe("DemoBanner", () => {
  it("names whose sample data is shown and resets only once confirmed", async () => {
    const onReset = vi.fn();
    render(<DemoBanner persona="student" busy={false} onReset={onReset} />);

    expect(screen.getByTestId("demo-banner")).toHaveTextContent(
      "Demo: a student who commutes by metro and bike.",
    );
    await userEvent.click(screen.getByRole("button", { name: "Reset demo" }));
    expect(onReset).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole("button", { name: "Cancel" }));
    await userEvent.click(screen.getByRole("button", { name: "Reset demo" }));
    await userEvent.click(screen.getByRole("button", { name: "Reset" }));

    expect(onReset).toHaveBeenCalledTimes(1);
    expect(screen.getByRole("button", { name: "Reset demo" })).toBeVisible();
  });

  it("cannot be reset again while a sync runs", () => {
    render(<DemoBanner persona={null} busy onReset={vi.fn()} />);

    expect(screen.getByTestId("demo-banner")).toHaveTextContent("a household in Beijing");
    expect(screen.getByRole("button", { name: "Resetting…" })).toBeDisabled();
  });
});
