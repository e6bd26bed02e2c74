import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { BillQuery } from "../bindings";
import * as ipc from "../ipc";
import { billFixture, explanationFixture } from "../test/fixtures";
import { BillsScreen, PAGE_SIZE } from "./BillsScreen";

vi.mock("../ipc");

const TOTAL = 120;

/** A fake `bills` command over TOTAL bills, honouring offset and limit. */
function fakeBills(query: BillQuery) {
  const end = Math.min(TOTAL, query.offset + query.limit);
  const items = [];
  for (let i = query.offset; i < end; i += 1) {
    items.push(
      billFixture(i, i === 1 ? { status: "refunded", carbon_g: null, carbon_method: null } : {}),
    );
  }
  return Promise.resolve({ total: TOTAL, items });
}

describe("BillsScreen", () => {
  beforeEach(() => {
    vi.mocked(ipc.bills).mockImplementation(fakeBills);
    vi.mocked(ipc.carbonExplain).mockResolvedValue(explanationFixture({ bill_id: "bill-3" }));
  });

  it("shows the first 50 bills, then asks for offset 50 on Load more", async () => {
    render(<BillsScreen version={1} />);

    expect(await screen.findAllByTestId("bill-row")).toHaveLength(PAGE_SIZE);
    expect(ipc.bills).toHaveBeenLastCalledWith({
      offset: 0,
      limit: 50,
      category: null,
      month: null,
      source: null,
    });

    await userEvent.click(screen.getByRole("button", { name: "Load more" }));

    expect(ipc.bills).toHaveBeenLastCalledWith({
      offset: 50,
      limit: 50,
      category: null,
      month: null,
      source: null,
    });
    expect(await screen.findAllByTestId("bill-row")).toHaveLength(100);
    expect(screen.getByText("Showing 100 of 120")).toBeInTheDocument();
  });

  it("stops offering more once every bill is shown", async () => {
    render(<BillsScreen version={1} />);
    await screen.findAllByTestId("bill-row");

    await userEvent.click(screen.getByRole("button", { name: "Load more" }));
    await screen.findByText("Showing 100 of 120");
    await userEvent.click(screen.getByRole("button", { name: "Load more" }));

    expect(ipc.bills).toHaveBeenLastCalledWith(expect.objectContaining({ offset: 100 }));
    await screen.findByText("Showing 120 of 120");
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
  });

  it("marks refunds and unknown carbon", async () => {
    render(<BillsScreen version={1} />);

    const rows = await screen.findAllByTestId("bill-row");
    const refunded = rows[1];
    expect(refunded).toHaveAttribute("data-status", "refunded");
    expect(refunded).toHaveTextContent("Refunded");
    expect(refunded).toHaveTextContent("unknown");
    expect(rows[0]).toHaveTextContent("120 g");
  });

  it("starts again from the first page when the category changes", async () => {
    render(<BillsScreen version={1} />);
    await screen.findAllByTestId("bill-row");

    await userEvent.selectOptions(screen.getByLabelText("Category"), "shared_bike");

    expect(ipc.bills).toHaveBeenLastCalledWith({
      offset: 0,
      limit: 50,
      category: "shared_bike",
      month: null,
      source: null,
    });
  });

  it("opens a bill's page from its row and comes back to the same place", async () => {
    render(<BillsScreen version={1} />);
    await screen.findAllByTestId("bill-row");
    await userEvent.selectOptions(screen.getByLabelText("Category"), "public_transport");
    const fourth = (await screen.findAllByTestId("bill-row"))[3];
    if (fourth === undefined) throw new Error("fewer than four rows");

    await userEvent.click(fourth);

    const detail = await screen.findByTestId("bill-detail");
    expect(detail).toHaveAttribute("data-bill-id", "bill-3");
    expect(ipc.carbonExplain).toHaveBeenCalledWith("bill-3");
    expect(await screen.findByTestId("carbon-explanation")).toBeVisible();
    expect(screen.getAllByTestId("bill-row")[0]).not.toBeVisible();

    await userEvent.click(screen.getByRole("button", { name: "← Back to bills" }));

    expect(screen.queryByTestId("bill-detail")).not.toBeInTheDocument();
    expect(screen.getByLabelText("Category")).toHaveValue("public_transport");
    const row = screen.getAllByTestId("bill-row")[3];
    expect(row).toBeVisible();
    expect(row).toHaveFocus();
  });

  it("lets the keyboard reach a row and open it with Enter", async () => {
    render(<BillsScreen version={1} />);
    const rows = await screen.findAllByTestId("bill-row");
    const first = rows[0];
    if (first === undefined) throw new Error("no rows");
    expect(first).toHaveAttribute("tabindex", "0");
    expect(first).toHaveAccessibleDescription(
      "Press Enter to open the bill and see why its carbon figure is what it is.",
    );

    first.focus();
    await userEvent.keyboard("{Enter}");

    expect(await screen.findByTestId("bill-detail")).toHaveAttribute("data-bill-id", "bill-0");
    expect(ipc.carbonExplain).toHaveBeenCalledWith("bill-0");
  });

  it("asks to check the filter when the bills list's own request is refused", async () => {
    vi.mocked(ipc.bills).mockRejectedValue({
      code: "invalid_input",
      message: "limit 0 is out of range",
    });
    render(<BillsScreen version={1} />);

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("That request was not accepted");
    expect(alert).toHaveTextContent("Check the filter and try again.");
  });
});
