import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import type { BillList, BillQuery } from "../bindings";
import * as ipc from "../ipc";
import { billFixture, explanationFixture } from "../test/fixtures";
import { BillsScreen, PAGE_SIZE } from "./BillsScreen";

vi.mock("../ipc");

const TOTAL = 250;

/** A fake `bills` command over TOTAL bills, paging by position (the last bill's id). */
function fakeBills(query: BillQuery): Promise<BillList> {
  const start = query.after === undefined ? 0 : Number(query.after.replace("bill-", "")) + 1;
  const end = Math.min(TOTAL, start + query.limit);
  const items = [];
  for (let i = start; i < end; i += 1) {
    items.push(
      billFixture(i, i === 1 ? { status: "refunded", carbon_g: null, carbon_method: null } : {}),
    );
  }
  return Promise.resolve({
    total: query.after === undefined ? TOTAL : null,
    items,
    next: end < TOTAL ? `bill-${end - 1}` : null,
  });
}

// jsdom lays nothing out: the list's scroll box is 800 px high and each row 40 px, so the
// virtual list draws about 20 rows and the overscan around them.
const sizes = ["clientHeight", "offsetHeight"].map(
  (name) => [name, Object.getOwnPropertyDescriptor(HTMLElement.prototype, name)] as const,
);
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, "clientHeight", {
    configurable: true,
    get: () => 800,
  });
  Object.defineProperty(HTMLElement.prototype, "offsetHeight", {
    configurable: true,
    get: () => 40,
  });
});
afterAll(() => {
  for (const [name, descriptor] of sizes) {
    if (descriptor) Object.defineProperty(HTMLElement.prototype, name, descriptor);
  }
});

function rows() {
  return screen.getAllByTestId("bill-row");
}

describe("BillsScreen", () => {
  beforeEach(() => {
    vi.mocked(ipc.bills).mockImplementation(fakeBills);
    vi.mocked(ipc.carbonExplain).mockResolvedValue(explanationFixture({ bill_id: "bill-3" }));
  });

  it("draws only the rows in view of the first page, and says how many match", async () => {
    render(<BillsScreen version={1} />);

    expect(await screen.findByText("Showing 100 of 250")).toBeInTheDocument();
    expect(ipc.bills).toHaveBeenLastCalledWith({ filter: {}, limit: PAGE_SIZE });
    const drawn = rows().length;
    expect(drawn).toBeGreaterThan(10);
    expect(drawn).toBeLessThan(PAGE_SIZE);
    expect(screen.getByRole("table")).toHaveAttribute("aria-rowcount", "251");
    expect(rows()[0]).toHaveAttribute("aria-rowindex", "2");
  });

  it("fetches the next page from the last position when scrolled near the end", async () => {
    render(<BillsScreen version={1} />);
    await screen.findByText("Showing 100 of 250");

    const scroller = screen.getByTestId("bills-scroll");
    scroller.scrollTop = 90 * 40;
    fireEvent.scroll(scroller);

    await screen.findByText("Showing 200 of 250");
    expect(ipc.bills).toHaveBeenLastCalledWith({ filter: {}, limit: PAGE_SIZE, after: "bill-99" });
    expect(rows().some((row) => row.dataset.billId === "bill-90")).toBe(true);
    expect(rows().some((row) => row.dataset.billId === "bill-0")).toBe(false);
  });

  it("marks refunds and unknown carbon", async () => {
    render(<BillsScreen version={1} />);
    await screen.findByText("Showing 100 of 250");

    const refunded = rows()[1];
    expect(refunded).toHaveAttribute("data-status", "refunded");
    expect(refunded).toHaveTextContent("Refunded");
    expect(refunded).toHaveTextContent("unknown");
    expect(rows()[0]).toHaveTextContent("120 g");
  });

  it("searches once typing pauses, and combines the search with the other filters", async () => {
    render(<BillsScreen version={1} />);
    await screen.findByText("Showing 100 of 250");

    await userEvent.selectOptions(screen.getByLabelText("Certification"), "finance_certified");
    await userEvent.type(screen.getByLabelText("Search merchant or item"), "地铁 Line");
    await userEvent.type(screen.getByLabelText("At least"), "5");
    await userEvent.type(screen.getByLabelText("At most"), "12.5");
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2025-06-01" } });

    const expected = {
      filter: {
        search: "地铁 Line",
        certification: "finance_certified",
        from: "2025-06-01",
        min_amount_minor: 500,
        max_amount_minor: 1250,
      },
      limit: PAGE_SIZE,
    };
    await waitFor(() => {
      expect(ipc.bills).toHaveBeenLastCalledWith(expected);
    });
    const searches = vi
      .mocked(ipc.bills)
      .mock.calls.filter(([query]) => query.filter.search !== undefined);
    expect(searches.every(([query]) => query.filter.search === "地铁 Line")).toBe(true);
  });

  it("says what is wrong with an amount and asks for nothing until it reads", async () => {
    render(<BillsScreen version={1} />);
    await screen.findByText("Showing 100 of 250");
    const calls = vi.mocked(ipc.bills).mock.calls.length;

    await userEvent.type(screen.getByLabelText("At least"), "1.234");

    expect(screen.getByText("Type an amount in yuan, such as 12 or 12.50.")).toBeInTheDocument();
    expect(screen.getByLabelText("At least")).toHaveAttribute("aria-invalid", "true");
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(vi.mocked(ipc.bills).mock.calls.length).toBe(calls);
    expect(screen.getByTestId("bills-export")).toBeDisabled();
  });

  it("exports what the filter takes and says where it went", async () => {
    vi.mocked(ipc.exportBills).mockResolvedValue({
      file: "/home/me/metro.csv",
      format: "csv",
      rows: 42,
    });
    render(<BillsScreen version={1} />);
    await screen.findByText("Showing 100 of 250");
    await userEvent.selectOptions(screen.getByLabelText("Category"), "shared_bike");
    await waitFor(() => {
      expect(ipc.bills).toHaveBeenLastCalledWith({
        filter: { category: "shared_bike" },
        limit: PAGE_SIZE,
      });
    });

    await userEvent.click(screen.getByRole("button", { name: "Export…" }));

    expect(ipc.exportBills).toHaveBeenCalledWith({ category: "shared_bike" });
    expect(await screen.findByTestId("bills-exported")).toHaveTextContent(
      "Saved 42 bills to /home/me/metro.csv",
    );
  });

  it("opens a bill's page from its row and comes back to the same row", async () => {
    render(<BillsScreen version={1} />);
    await screen.findByText("Showing 100 of 250");
    const fourth = rows()[3];
    if (fourth === undefined) throw new Error("fewer than four rows");

    await userEvent.click(fourth);

    const detail = await screen.findByTestId("bill-detail");
    expect(detail).toHaveAttribute("data-bill-id", "bill-3");
    expect(ipc.carbonExplain).toHaveBeenCalledWith("bill-3");
    expect(await screen.findByTestId("carbon-explanation")).toBeVisible();

    await userEvent.click(screen.getByRole("button", { name: "← Back to bills" }));

    expect(screen.queryByTestId("bill-detail")).not.toBeInTheDocument();
    const row = rows().find((r) => r.dataset.billId === "bill-3");
    expect(row).toBeVisible();
    expect(row).toHaveFocus();
  });

  it("moves through rows with the arrow keys, one tab stop for the list, Enter opens", async () => {
    render(<BillsScreen version={1} />);
    await screen.findByText("Showing 100 of 250");
    const first = rows()[0];
    if (first === undefined) throw new Error("no rows");
    expect(first).toHaveAttribute("tabindex", "0");
    expect(rows()[1]).toHaveAttribute("tabindex", "-1");
    expect(first).toHaveAccessibleDescription(
      "Press Enter to open the bill and see why its carbon figure is what it is.",
    );

    first.focus();
    await userEvent.keyboard("{ArrowDown}{ArrowDown}{ArrowUp}");

    const second = rows().find((r) => r.dataset.billId === "bill-1");
    expect(second).toHaveFocus();
    expect(second).toHaveAttribute("tabindex", "0");
    await userEvent.keyboard("{Enter}");

    expect(await screen.findByTestId("bill-detail")).toHaveAttribute("data-bill-id", "bill-1");
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
