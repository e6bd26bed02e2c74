import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

import * as ipc from "../ipc";
import {
  billFixture,
  explanationFixture,
  lessonFixture,
  unknownExplanationFixture,
} from "../test/fixtures";
import { BillDetailView } from "./BillDetailView";

vi.mock("../ipc");

const phone = billFixture(1, {
  merchant: "Xianyu",
  item: "Second-hand phone",
  category: "second_hand",
  amount: { minor: 319940, currency: "CNY" },
  certification: "self_declared",
  carbon_g: 174624,
  carbon_method: "second-hand-spend@1",
});

async function explanation() {
  return screen.findByTestId("carbon-explanation");
}

describe("BillDetailView", () => {
  beforeEach(() => {
    vi.mocked(ipc.carbonExplain).mockResolvedValue(explanationFixture());
  });

  it("asks carbon_explain about this bill and shows the bill itself", async () => {
    render(<BillDetailView bill={phone} version={1} onBack={vi.fn()} />);

    await explanation();
    expect(ipc.carbonExplain).toHaveBeenCalledWith("bill-1");
    const detail = screen.getByTestId("bill-detail");
    expect(screen.getByRole("heading", { name: "Second-hand phone" })).toHaveFocus();
    expect(detail).toHaveTextContent("Xianyu");
    expect(detail).toHaveTextContent("Second-hand");
    expect(screen.getByTestId("bill-amount")).toHaveTextContent("¥3,199.40");
    expect(detail).toHaveTextContent("Posted");
    expect(screen.getByTestId("bill-certification")).toHaveTextContent(
      "Self-declared The merchant says the goods are green; nobody else has checked.",
    );
  });

  it("says where the bill came from: synced, or imported from a file", async () => {
    const { unmount } = render(<BillDetailView bill={phone} version={1} onBack={vi.fn()} />);
    await explanation();
    expect(screen.getByTestId("bill-source-detail")).toHaveTextContent("Synced from the Green API");
    unmount();

    const imported = {
      ...phone,
      source: "file" as const,
      file_format: "alipay_csv",
      green_rule: "second-hand-platform",
    };
    vi.mocked(ipc.carbonExplain).mockResolvedValue(
      explanationFixture({
        source: "file",
        file_format: "alipay_csv",
        differs: true,
        local: { grams: 170000, method: "second-hand-spend@2" },
      }),
    );
    render(<BillDetailView bill={imported} version={1} onBack={vi.fn()} />);

    await explanation();
    expect(screen.getByTestId("bill-source-detail")).toHaveTextContent(
      "Imported from a file (Alipay CSV). Syncing never changes or removes it.",
    );
    expect(screen.getByTestId("figure-api")).toHaveTextContent("The figure computed at import");
    expect(screen.getByTestId("bill-green-rule")).toHaveTextContent(
      "Recognised as green by the rule second-hand-platform.",
    );
  });

  it("shows the figure, method, inputs, arithmetic and each factor with its source", async () => {
    render(<BillDetailView bill={phone} version={1} onBack={vi.fn()} />);

    const card = await explanation();
    expect(card).toHaveAttribute("data-grams", "174624");
    expect(card).toHaveAttribute("data-figure", "known");
    expect(card).toHaveTextContent("174.6 kg (174,624 g)");

    const method = screen.getByTestId("carbon-method");
    expect(method).toHaveTextContent("second-hand-spend version 1");
    expect(method).toHaveTextContent("CNY ÷ CNY/EUR (2019) × kg/EUR of the same goods bought new");
    expect(screen.getByTestId("carbon-basis")).toHaveTextContent("Estimated");
    expect(card).toHaveTextContent("ConfidenceLow");
    expect(card).toHaveTextContent("buying the same goods new, for the same money");
    expect(screen.getByTestId("carbon-inputs")).toHaveTextContent("Spend¥3,199.40GoodsElectronics");

    const steps = within(screen.getByTestId("carbon-arithmetic")).getAllByRole("listitem");
    expect(steps.map((step) => step.textContent)).toEqual([
      "¥3199.40 ÷ 7.7355 CNY/EUR = €413.599638 (2019 euros)",
      "€413.599638 × 0.4222054752 kg CO2e/EUR = 174.624032 kg",
      "174.624032 kg = 174624 g, rounded once to the nearest gram",
    ]);

    const rows = screen.getAllByTestId("factor-row");
    expect(rows.map((row) => row.dataset.factorId)).toEqual([
      "fx-eur-cny-2019",
      "cn-mcc5732-electronics-2019",
    ]);
    const cells = within(rows[1] as HTMLElement)
      .getAllByRole("cell")
      .map((cell) => cell.textContent);
    expect(cells).toEqual([
      "0.4222054752 kg CO2e/EUR",
      "Memo Bank MCC × EXIOBASE 2019, MCC 5732, column CN",
      "Memo Bank (memobank/carbon-footprint), from EXIOBASE 3",
      "2019",
      "CC BY-SA 4.0",
      "Low",
      "New electronics that a second-hand purchase replaces.",
    ]);
  });

  it("credits Memo Bank wherever a CC BY-SA factor is shown", async () => {
    render(<BillDetailView bill={phone} version={1} onBack={vi.fn()} />);

    await explanation();
    const lines = screen.getAllByTestId("attribution");
    expect(lines.map((line) => line.textContent)).toEqual([
      "Contains data from Memo Bank's carbon-footprint dataset (MCC × EXIOBASE 3), CC BY-SA 4.0",
    ]);
  });

  it("says unknown with the reason, never 0 g, when no method covers the bill", async () => {
    vi.mocked(ipc.carbonExplain).mockResolvedValue(unknownExplanationFixture());
    const food = billFixture(2, { category: "green_food", carbon_g: null, carbon_method: null });
    render(<BillDetailView bill={food} version={1} onBack={vi.fn()} />);

    const card = await explanation();
    expect(card).toHaveAttribute("data-figure", "unknown");
    expect(card).not.toHaveAttribute("data-grams");
    expect(card).toHaveTextContent("unknown");
    expect(card).not.toHaveTextContent("0 g");
    expect(screen.getByTestId("no-figure")).toHaveTextContent(
      "No carbon method covers this category yet, so the saving is unknown, not zero.",
    );
    expect(screen.getByTestId("no-figure")).toHaveTextContent("no carbon method covers green_food");
    expect(screen.queryByTestId("carbon-method")).not.toBeInTheDocument();
    expect(screen.queryByTestId("factor-row")).not.toBeInTheDocument();
  });

  it("says none for a bill refunded in full", async () => {
    vi.mocked(ipc.carbonExplain).mockResolvedValue(
      explanationFixture({
        status: "refunded",
        grams: null,
        no_figure: "refunded",
        no_figure_reason: "refunded in full: nothing was bought, so nothing was saved",
        factors: [],
        arithmetic: [],
      }),
    );
    render(
      <BillDetailView bill={billFixture(1, { status: "refunded" })} version={1} onBack={vi.fn()} />,
    );

    const card = await explanation();
    expect(card).toHaveAttribute("data-figure", "none");
    expect(card).toHaveTextContent("none");
    expect(card).toHaveTextContent("Refunded in full: nothing was bought, so nothing was saved.");
  });

  it("shows the server's and this app's figures side by side when they differ", async () => {
    const [rate, goods] = explanationFixture().factors;
    if (rate === undefined || goods === undefined) throw new Error("fixture factors missing");
    vi.mocked(ipc.carbonExplain).mockResolvedValue(
      explanationFixture({
        grams: 180000,
        api: { grams: 180000, method: "second-hand-spend@0" },
        local: { grams: 174624, method: "second-hand-spend@1" },
        differs: true,
        factors: [rate, { ...goods, api_value: 0.435 }],
      }),
    );
    render(<BillDetailView bill={phone} version={1} onBack={vi.fn()} />);

    const card = await explanation();
    expect(card).toHaveAttribute("data-grams", "180000");
    const api = screen.getByTestId("figure-api");
    const local = screen.getByTestId("figure-local");
    expect(api).toHaveAttribute("data-grams", "180000");
    expect(api).toHaveTextContent("The server's figure (counted)180.0 kg second-hand-spend@0");
    expect(local).toHaveAttribute("data-grams", "174624");
    expect(local).toHaveTextContent("This app's figure174.6 kg second-hand-spend@1");
    expect(screen.getByTestId("figures-differ")).toHaveTextContent(
      "The server's figure is the one counted",
    );
    const changed = screen.getAllByTestId("factor-row")[1] as HTMLElement;
    expect(changed).toHaveTextContent("0.4222054752 kg CO2e/EUR here, 0.435 on the server");
  });

  it("says why the server's figure could not be recomputed", async () => {
    vi.mocked(ipc.carbonExplain).mockResolvedValue(
      explanationFixture({
        local: null,
        not_recomputed: "no_inputs",
        activity: null,
        arithmetic: [],
      }),
    );
    render(<BillDetailView bill={phone} version={1} onBack={vi.fn()} />);

    expect(await screen.findByTestId("not-recomputed")).toHaveTextContent(
      "the server sent it without the inputs it was computed from",
    );
    expect(screen.queryByTestId("figures-differ")).not.toBeInTheDocument();
  });

  it("says the bill is gone, not to check a filter, when the cache no longer has it", async () => {
    vi.mocked(ipc.carbonExplain).mockRejectedValue({
      code: "invalid_input",
      message: 'there is no bill "bill-1" in the cache',
    });
    render(<BillDetailView bill={phone} version={1} onBack={vi.fn()} />);

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("This bill is no longer in your saved data.");
    expect(alert).not.toHaveTextContent("filter");
  });

  it("goes back from the button", async () => {
    const onBack = vi.fn();
    render(<BillDetailView bill={phone} version={1} onBack={onBack} />);
    await explanation();

    await userEvent.click(screen.getByRole("button", { name: "← Back to bills" }));

    expect(onBack).toHaveBeenCalledOnce();
  });

  it("links a bill to the lesson on its category", async () => {
    vi.mocked(ipc.learnLessons).mockResolvedValue([
      lessonFixture(),
      lessonFixture({
        id: "second-hand-recycling",
        categories: ["second_hand", "recycling"],
        title: { "zh-CN": "二手与回收", en: "Second-hand and recycling" },
      }),
    ]);
    const onOpenLesson = vi.fn();
    const user = userEvent.setup();
    render(
      <BillDetailView bill={phone} version={1} onBack={vi.fn()} onOpenLesson={onOpenLesson} />,
    );

    const link = await screen.findByTestId("bill-lesson-link");
    expect(link).toHaveTextContent(
      "What does this mean? Read the lesson: Second-hand and recycling",
    );
    await user.click(link);
    expect(onOpenLesson).toHaveBeenCalledWith("second-hand-recycling");
  });
});
