import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import * as ipc from "../ipc";
import { calcDetailFixture } from "../test/fixtures";
import { InstalmentCalculator } from "./InstalmentCalculator";

vi.mock("../ipc");

/** Replaces what a text field holds with `text`, typed key by key. */
async function retype(label: string, text: string) {
  const field = screen.getByLabelText(label);
  await userEvent.clear(field);
  await userEvent.type(field, text);
}

describe("InstalmentCalculator", () => {
  beforeEach(() => {
    vi.mocked(ipc.instalmentCalc).mockResolvedValue(calcDetailFixture());
  });

  it("opens on 12,000 over 12 months at 0.6 % a month, worked out", async () => {
    render(<InstalmentCalculator currency="CNY" />);

    const result = await screen.findByTestId("calc-result");
    expect(ipc.instalmentCalc).toHaveBeenCalledWith({
      principal: "12,000",
      currency: "CNY",
      months: 12,
      method: "fee_per_period",
      rate: "0.6",
      payment: null,
      first_due: null,
    });
    expect(within(result).getByTestId("plan-apr")).toHaveTextContent("13.03% a year");
    expect(within(result).getByTestId("plan-effective")).toHaveTextContent("13.84%");
    expect(within(result).getByTestId("plan-naive")).toHaveTextContent("7.20%");
    expect(within(result).getByTestId("plan-cost")).toHaveTextContent("¥864.00");
    expect(within(result).getAllByTestId("schedule-row")).toHaveLength(12);
  });

  it("sends the text as typed, on Enter", async () => {
    render(<InstalmentCalculator currency="CNY" />);
    await screen.findByTestId("calc-result");

    await retype("Amount borrowed (CNY)", " 8,000.50");
    await retype("Months", "24");
    await userEvent.selectOptions(screen.getByLabelText("How it is charged"), "equal_principal");
    await retype("Annual rate (%)", "4.80");
    await userEvent.type(screen.getByLabelText("First due date (optional)"), "2025-08-01");
    await userEvent.type(screen.getByLabelText("Annual rate (%)"), "{Enter}");

    expect(ipc.instalmentCalc).toHaveBeenLastCalledWith({
      principal: " 8,000.50",
      currency: "CNY",
      months: 24,
      method: "equal_principal",
      rate: "4.80",
      payment: null,
      first_due: "2025-08-01",
    });
  });

  it("asks for a monthly payment instead of a rate for a given payment", async () => {
    render(<InstalmentCalculator currency="CNY" />);
    await screen.findByTestId("calc-result");

    await userEvent.selectOptions(screen.getByLabelText("How it is charged"), "level_payment");
    expect(screen.queryByLabelText(/rate/)).not.toBeInTheDocument();
    await userEvent.type(screen.getByLabelText("Monthly payment (CNY)"), "1,072");
    await userEvent.click(screen.getByRole("button", { name: "Work it out" }));

    expect(ipc.instalmentCalc).toHaveBeenLastCalledWith(
      expect.objectContaining({ method: "level_payment", rate: null, payment: "1,072" }),
    );
  });

  it("shows a refusal beside the form and keeps what was typed", async () => {
    render(<InstalmentCalculator currency="CNY" />);
    await screen.findByTestId("calc-result");
    vi.mocked(ipc.instalmentCalc).mockRejectedValueOnce({
      code: "invalid_input",
      message: 'principal: "12,0x0" is not an amount',
    });

    await retype("Amount borrowed (CNY)", "12,0x0");
    await userEvent.keyboard("{Enter}");

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveAttribute("data-code", "invalid_input");
    expect(alert).toHaveTextContent("That request was not accepted");
    expect(alert).toHaveTextContent("Check the figures you typed and try again.");
    expect(within(alert).getByText('principal: "12,0x0" is not an amount')).toBeVisible();
    expect(screen.getByLabelText("Amount borrowed (CNY)")).toHaveValue("12,0x0");
    expect(screen.getByLabelText("Fee per month (% of the amount)")).toHaveValue("0.6");
    expect(screen.queryByTestId("calc-result")).not.toBeInTheDocument();

    await retype("Amount borrowed (CNY)", "12,000");
    await userEvent.keyboard("{Enter}");
    expect(await screen.findByTestId("calc-result")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("asks for whole months without calling the Rust side", async () => {
    render(<InstalmentCalculator currency="CNY" />);
    await screen.findByTestId("calc-result");
    vi.mocked(ipc.instalmentCalc).mockClear();

    await retype("Months", "twelve");
    await userEvent.keyboard("{Enter}");

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Type the number of months as a whole number.",
    );
    expect(screen.getByLabelText("Months")).toHaveValue("twelve");
    expect(screen.getByLabelText("Months")).toHaveAttribute("aria-invalid", "true");
    expect(ipc.instalmentCalc).not.toHaveBeenCalled();
  });
});
