/**
 * The instalment calculator: any plan typed in as a lender states it, worked out by
 * `instalment_calc` into its schedule, cost of credit and rates.
 *
 * Amounts and rates go to the Rust side exactly as typed ("12,000", "0.6"): it reads decimal
 * text without floats and answers `invalid_input`, with an English message saying what is
 * wrong, for text it cannot read. That answer is shown beside the form and the inputs keep
 * what was typed. Only the number of months is checked here, because it travels as a number.
 * The form opens on a worked example: 12,000 over 12 months at a fee of 0.6 % a month.
 */
import { useEffect, useId, useRef, useState, type SubmitEvent } from "react";
import { useTranslation } from "react-i18next";

import type { AppError, CalcMethod, CalcRequest, PlanDetail } from "../bindings";
import { toAppError } from "../errors";
import * as ipc from "../ipc";
import { ErrorNotice } from "./ErrorNotice";
import { PlanBreakdown } from "./PlanBreakdown";

/** Every method, in the order the select lists them; a new one fails the type check here. */
const METHOD_ORDER: Record<CalcMethod, number> = {
  fee_per_period: 0,
  fee_up_front: 1,
  annual_rate: 2,
  equal_principal: 3,
  interest_free: 4,
  level_payment: 5,
};

const METHODS = (Object.keys(METHOD_ORDER) as CalcMethod[]).sort(
  (a, b) => METHOD_ORDER[a] - METHOD_ORDER[b],
);

function isCalcMethod(value: string): value is CalcMethod {
  return Object.hasOwn(METHOD_ORDER, value);
}

/** The label of the rate field `method` asks for, or `null` when it takes no rate. */
function rateLabel(method: CalcMethod) {
  switch (method) {
    case "fee_per_period":
    case "fee_up_front":
    case "annual_rate":
    case "equal_principal":
      return `calc.rate.${method}` as const;
    case "interest_free":
    case "level_payment":
      return null;
  }
}

/** The form as typed; every field stays text until the request is built. */
interface Draft {
  principal: string;
  months: string;
  method: CalcMethod;
  rate: string;
  payment: string;
  firstDue: string;
}

const EXAMPLE: Draft = {
  principal: "12,000",
  months: "12",
  method: "fee_per_period",
  rate: "0.6",
  payment: "",
  firstDue: "",
};

/** Why the last request has no result: Rust refused it, or the months are not a number. */
type Problem = { kind: "refused"; error: AppError } | { kind: "badMonths" };

/** The request for `draft`, or `null` when the months are not a whole number. */
function toRequest(draft: Draft, currency: string): CalcRequest | null {
  if (!/^\s*\d{1,6}\s*$/.test(draft.months)) return null;

  return {
    principal: draft.principal,
    currency,
    months: Number(draft.months),
    method: draft.method,
    rate: rateLabel(draft.method) === null ? null : draft.rate,
    payment: draft.method === "level_payment" ? draft.payment : null,
    first_due: draft.firstDue === "" ? null : draft.firstDue,
  };
}

interface InstalmentCalculatorProps {
  /** The currency of the amounts typed (ISO 4217). */
  currency: string;
}

export function InstalmentCalculator({ currency }: InstalmentCalculatorProps) {
  const { t } = useTranslation();
  const id = useId();
  const [draft, setDraft] = useState<Draft>(EXAMPLE);
  const [result, setResult] = useState<PlanDetail | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  // The opening example is on its way from the first render.
  const [working, setWorking] = useState(true);
  // Only the latest request's answer is shown, whatever order the answers arrive in.
  const latest = useRef(0);

  /** Sends `request` and shows its answer, unless a newer request was sent meanwhile. */
  const send = (request: CalcRequest) => {
    latest.current += 1;
    const ticket = latest.current;

    ipc.instalmentCalc(request).then(
      (detail) => {
        if (ticket !== latest.current) return;
        setResult(detail);
        setProblem(null);
        setWorking(false);
      },
      (reason: unknown) => {
        if (ticket !== latest.current) return;
        // A result left beside the error would read as the answer to what is typed now.
        setResult(null);
        setProblem({ kind: "refused", error: toAppError(reason) });
        setWorking(false);
      },
    );
  };

  // Work the example out once, so the calculator opens showing what it is for.
  useEffect(() => {
    const request = toRequest(EXAMPLE, currency);
    if (request !== null) send(request);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, for the opening example
  }, []);

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();

    const request = toRequest(draft, currency);
    if (request === null) {
      latest.current += 1;
      setWorking(false);
      setResult(null);
      setProblem({ kind: "badMonths" });
      return;
    }
    setWorking(true);
    send(request);
  };

  const set = (field: keyof Draft) => (value: string) => {
    setDraft((prev) => ({ ...prev, [field]: value }));
  };

  const rateKey = rateLabel(draft.method);
  const errorId = `${id}-error`;

  return (
    <div className="calculator" data-testid="calculator">
      <section className="card calc-card" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>{t("calc.title")}</h2>
        <p className="muted">{t("calc.intro")}</p>

        <div className="calc-layout">
          <form
            className="calc-form"
            noValidate
            onSubmit={onSubmit}
            aria-describedby={problem === null ? undefined : errorId}
          >
            <TextField
              id={`${id}-principal`}
              label={t("calc.principal", { currency })}
              value={draft.principal}
              onChange={set("principal")}
              inputMode="decimal"
            />
            <TextField
              id={`${id}-months`}
              label={t("calc.months")}
              value={draft.months}
              onChange={set("months")}
              inputMode="numeric"
              invalid={problem?.kind === "badMonths"}
            />
            <div className="form-field">
              <label htmlFor={`${id}-method`}>{t("calc.method")}</label>
              <select
                id={`${id}-method`}
                value={draft.method}
                onChange={(event) => {
                  const value = event.target.value;
                  if (isCalcMethod(value)) set("method")(value);
                }}
              >
                {METHODS.map((method) => (
                  <option key={method} value={method}>
                    {t(`calc.methods.${method}`)}
                  </option>
                ))}
              </select>
            </div>
            {rateKey !== null && (
              <TextField
                id={`${id}-rate`}
                label={t(rateKey)}
                value={draft.rate}
                onChange={set("rate")}
                inputMode="decimal"
              />
            )}
            {draft.method === "level_payment" && (
              <TextField
                id={`${id}-payment`}
                label={t("calc.payment", { currency })}
                value={draft.payment}
                onChange={set("payment")}
                inputMode="decimal"
              />
            )}
            <div className="form-field">
              <label htmlFor={`${id}-first-due`}>{t("calc.firstDue")}</label>
              <input
                id={`${id}-first-due`}
                type="date"
                value={draft.firstDue}
                aria-describedby={`${id}-first-due-hint`}
                onChange={(event) => {
                  set("firstDue")(event.target.value);
                }}
              />
              <span id={`${id}-first-due-hint`} className="field-hint">
                {t("calc.firstDueHint")}
              </span>
            </div>
            <div className="form-actions">
              <button type="submit" className="button" disabled={working}>
                {working ? t("calc.working") : t("calc.submit")}
              </button>
            </div>
          </form>

          <div className="calc-status" id={errorId}>
            {problem?.kind === "refused" && (
              <ErrorNotice
                error={problem.error}
                action={
                  problem.error.code === "invalid_input"
                    ? t("errors.invalid_input.calcAction")
                    : undefined
                }
                detailsOpen={problem.error.code === "invalid_input"}
              />
            )}
            {problem?.kind === "badMonths" && (
              <div className="notice notice-error" role="alert" data-code="invalid_input">
                <p className="notice-title">{t("errors.invalid_input.title")}</p>
                <p>{t("calc.monthsInvalid")}</p>
              </div>
            )}
          </div>
        </div>
      </section>

      {result !== null && (
        <div
          className={`calc-result${working ? " stale" : ""}`}
          data-testid="calc-result"
          aria-busy={working}
        >
          <h2 className="visually-hidden">{t("calc.result")}</h2>
          <PlanBreakdown detail={result} headingId={`${id}-result`} />
        </div>
      )}
    </div>
  );
}

interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  inputMode: "decimal" | "numeric";
  invalid?: boolean;
}

/** A labelled text input; amounts are typed as text so "12,000" reaches Rust unchanged. */
function TextField({ id, label, value, onChange, inputMode, invalid = false }: TextFieldProps) {
  return (
    <div className="form-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode={inputMode}
        autoComplete="off"
        spellCheck={false}
        value={value}
        aria-invalid={invalid || undefined}
        onChange={(event) => {
          onChange(event.target.value);
        }}
      />
    </div>
  );
}
