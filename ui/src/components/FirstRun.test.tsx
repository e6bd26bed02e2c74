import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { syncStateFixture } from "../test/fixtures";
import { FirstRun } from "./FirstRun";

describe("FirstRun", () => {
  it("says the server address or a setting was refused when the first sync gets invalid input", () => {
    const sync = syncStateFixture({
      phase: "error",
      lastSyncedAt: null,
      error: { code: "invalid_input", message: "server URL has no host: http://" },
    });
    render(<FirstRun mode="connected" sync={sync} onRetry={vi.fn()} />);

    const alert = screen.getByRole("alert");
    expect(alert).toHaveAttribute("data-code", "invalid_input");
    expect(alert).toHaveTextContent("The server address or a sync setting was refused");
    expect(alert).not.toHaveTextContent("filter");
    expect(screen.getByText("server URL has no host: http://")).toBeVisible();
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
