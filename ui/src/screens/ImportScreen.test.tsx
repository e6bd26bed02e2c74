import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import type { ImportState } from "../imports";
import { importReportFixture } from "../test/fixtures";
import { ImportScreen } from "./ImportScreen";

function state(overrides: Partial<ImportState> = {}): ImportState {
  return { outcomes: null, running: false, error: null, version: 0, ...overrides };
}

describe("ImportScreen", () => {
  it("opens the picker from the button and says files can be dropped", async () => {
    const onPick = vi.fn();
    render(<ImportScreen imports={state()} onPick={onPick} />);

    expect(screen.getByText("No files imported yet.")).toBeInTheDocument();
    expect(screen.getByText("Or drop the files anywhere on this window.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Choose files…" }));

    expect(onPick).toHaveBeenCalledTimes(1);
  });

  it("cannot start a second import while one runs", () => {
    render(<ImportScreen imports={state({ running: true })} onPick={vi.fn()} />);

    expect(screen.getByRole("button", { name: "Importing…" })).toBeDisabled();
  });

  it("shows each file's rows, money, green categories and skipped lines", () => {
    const outcomes = [
      { file: importReportFixture().file, report: importReportFixture(), error: null },
    ];
    render(<ImportScreen imports={state({ outcomes })} onPick={vi.fn()} />);

    const card = screen.getByTestId("import-report");
    expect(card).toHaveAttribute("data-file", "微信支付账单.csv");
    const value = (id: string) => within(card).getByTestId(id).getAttribute("data-value");
    expect(within(card).getByTestId("import-format")).toHaveTextContent("WeChat Pay CSV");
    expect([value("import-rows"), value("import-imported"), value("import-duplicates")]).toEqual([
      "7",
      "4",
      "0",
    ]);
    expect([value("import-neutral"), value("import-skipped")]).toEqual(["2", "1"]);
    expect(within(card).getByTestId("import-net-spend")).toHaveTextContent("¥35.50");
    expect(value("import-green-net-spend")).toBe("3550");

    const rows = within(card).getAllByTestId("import-category");
    expect(rows.map((r) => r.dataset.category)).toEqual([
      "public_transport",
      "second_hand",
      "green_food",
    ]);
    expect(rows[0]).toHaveTextContent("390 g");
    expect(rows[1]).toHaveTextContent("0 g");
    expect(rows[2]).toHaveTextContent("unknown");
    expect(rows[2]).not.toHaveTextContent("0 g");
    expect(within(card).getByTestId("import-skipped-rows")).toHaveTextContent(
      "Line 23 交易时间: 25:00 is not a time",
    );
    expect(card).toHaveTextContent("1 bill matched two green categories");
  });

  it("says a file could not be read and that nothing of it was saved", () => {
    const outcomes = [
      {
        file: "/tmp/bill.zip",
        report: null,
        error: {
          code: "invalid_input" as const,
          message: "bill.zip: the zip is encrypted: a password is needed",
        },
      },
    ];
    render(<ImportScreen imports={state({ outcomes })} onPick={vi.fn()} />);

    const card = screen.getByTestId("import-report");
    expect(card).toHaveAttribute("data-state", "failed");
    expect(within(card).getByRole("alert")).toHaveTextContent("This file was not imported");
    expect(card).toHaveTextContent("a password is needed");
    expect(card).toHaveTextContent("Nothing from this file was saved");
  });
});
