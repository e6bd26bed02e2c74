import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import type { BillQuery } from "../bindings";
import * as ipc from "../ipc";
import { billFixture } from "../test/fixtures";
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
  });

  it("shows the first 50 bills, then asks for offset 50 on Load more", async () => {
    render(<BillsScreen version={1} />);

    expect(await screen.findAllByTestId("bill-row")).toHaveLength(PAGE_SIZE);
    expect(ipc.bills).toHaveBeenLastCalledWith({
      offset: 0,
      limit: 50,
      category: null,
      month: null,
    });

    await userEvent.click(screen.getByRole("button", { name: "Load more" }));

    expect(ipc.bills).toHaveBeenLastCalledWith({
      offset: 50,
      limit: 50,
      category: null,
      month: null,
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
    });
  });
});
