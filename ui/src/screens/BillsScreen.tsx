/**
 * The bills list: newest first, searched and filtered by the core's `BillFilter` (text over
 * merchant and item, category, certification, source, a range of days and of amounts), and
 * exported as CSV or JSON through a save dialog the Rust side opens.
 *
 * The list is virtual: only the rows in view (and a few around them) are in the DOM, so tens of
 * thousands of loaded bills scroll as smoothly as fifty. Pages of PAGE_SIZE are fetched by
 * position (`next`), never by offset, as the user nears the end of what is loaded. A page is
 * tagged with the filter and data version it belongs to, so a page that arrives after the
 * filter changed is dropped rather than mixed in. A finished sync (`version` changes) starts
 * again from the first page.
 *
 * Keyboard: Tab reaches one row (the last one focused); the arrow keys, Page Up/Down, Home and
 * End move between rows, scrolling as they go; Enter or Space opens the bill. The bill's page
 * takes the list's place; the list stays mounted (hidden), so the filter and the pages loaded
 * are as they were on the way back, and focus returns to the row that was opened.
 */
import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import type { AppError, BillFilter, BillRow, ExportOutcome } from "../bindings";
import {
  CERTIFICATIONS,
  EMPTY_FORM,
  isCertification,
  isFiltered,
  parseCategory,
  parseSource,
  toBillFilter,
  type FilterForm,
} from "../billFilter";
import { GREEN_CATEGORIES } from "../categories";
import { BillDetailView } from "../components/BillDetailView";
import { BillTableRow } from "../components/BillTableRow";
import { ErrorNotice } from "../components/ErrorNotice";
import { toAppError } from "../errors";
import { formatCount } from "../format";
import { useLocale } from "../i18n";
import * as ipc from "../ipc";

/** How many bills one page asks for. */
export const PAGE_SIZE = 100;

/** How long typing pauses before the search and amounts are applied, in milliseconds. */
export const TYPING_PAUSE_MS = 250;

/** A desktop row's height before it is measured; cards on narrow screens measure taller. */
const ROW_ESTIMATE_PX = 41;

/** Rows a Page Up or Page Down moves. */
const PAGE_KEY_ROWS = 10;

/** Fetch the next page when the last row drawn is this close to the end of what is loaded. */
const PREFETCH_ROWS = 30;

/** The hidden text that says what Enter on a row does. */
const OPEN_HINT_ID = "bill-open-hint";

interface Page {
  key: string;
  items: BillRow[];
  total: number;
  next: string | null;
}

interface Failure {
  key: string;
  /** Which request failed: the first page (retry reloads) or a further one (retry continues). */
  during: "first" | "more";
  error: AppError;
}

type Exporting =
  | { state: "idle" }
  | { state: "busy" }
  | { state: "done"; outcome: ExportOutcome }
  | { state: "failed"; error: AppError };

function appendNew(shown: readonly BillRow[], next: readonly BillRow[]): BillRow[] {
  const seen = new Set(shown.map((bill) => bill.id));
  return [...shown, ...next.filter((bill) => !seen.has(bill.id))];
}

/** `value`, once it has stopped changing for `ms`. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => {
      setSettled(value);
    }, ms);
    return () => {
      clearTimeout(timer);
    };
  }, [value, ms]);
  return settled;
}

interface BillsScreenProps {
  version: number;
  /** Opens a lesson, from a bill's "what does this mean?" link. */
  onOpenLesson?: (lessonId: string) => void;
}

export function BillsScreen({ version, onOpenLesson }: BillsScreenProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const ids = useId();
  const [form, setForm] = useState<FilterForm>(EMPTY_FORM);
  const [attempt, setAttempt] = useState(0);
  const [page, setPage] = useState<Page | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [loadingMore, setLoadingMore] = useState<string | null>(null);
  const [opened, setOpened] = useState<BillRow | null>(null);
  const [active, setActive] = useState(0);
  const [exporting, setExporting] = useState<Exporting>({ state: "idle" });
  const scrollRef = useRef<HTMLDivElement>(null);
  // The row that takes focus once it is drawn (after a key moved there, or on the way back).
  const pendingFocus = useRef<number | null>(null);

  // Typed fields settle before they are applied; choices apply at once.
  const typed = useSettled(
    { search: form.search, minAmount: form.minAmount, maxAmount: form.maxAmount },
    TYPING_PAUSE_MS,
  );
  const parsed = toBillFilter({ ...form, ...typed });
  const filter: BillFilter | null = parsed.filter;
  const filterKey = JSON.stringify(filter);
  const key = `${filterKey}:${version}:${attempt}`;
  const problems = toBillFilter(form).problems;

  useEffect(() => {
    if (filter === null) return;
    let live = true;
    ipc.bills({ filter, limit: PAGE_SIZE }).then(
      (list) => {
        if (!live) return;
        setPage({
          key,
          items: list.items,
          total: list.total ?? list.items.length,
          next: list.next,
        });
        setFailure(null);
        setActive(0);
        if (scrollRef.current) scrollRef.current.scrollTop = 0;
      },
      (reason: unknown) => {
        if (live) setFailure({ key, during: "first", error: toAppError(reason) });
      },
    );
    return () => {
      live = false;
    };
    // `filterKey` stands for `filter`, which is a new object on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const stale = page?.key !== key;
  const items = page?.items ?? [];
  const currentFailure = failure?.key === key ? failure : null;

  const loadMore = useCallback(async () => {
    if (page?.key !== key || page.next === null || filter === null) return;

    setLoadingMore(key);
    setFailure(null);
    try {
      const list = await ipc.bills({ filter, limit: PAGE_SIZE, after: page.next });
      setPage((prev) =>
        prev?.key === key
          ? { ...prev, items: appendNew(prev.items, list.items), next: list.next }
          : prev,
      );
    } catch (reason) {
      setFailure({ key, during: "more", error: toAppError(reason) });
    } finally {
      setLoadingMore(null);
    }
    // `filterKey` stands for `filter`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [page, key, filterKey]);

  // The app does not run the React Compiler, which is what this rule protects; the
  // virtualizer re-renders the list itself when the scroll position or sizes change.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE_PX,
    getItemKey: (index) => items[index]?.id ?? index,
    overscan: 10,
    // The sticky header covers the top of the scroll area.
    scrollPaddingStart: ROW_ESTIMATE_PX,
  });
  const rows = virtualizer.getVirtualItems();
  const firstDrawn = rows[0];
  const lastDrawn = rows.at(-1);
  const padTop = firstDrawn?.start ?? 0;
  const padBottom = Math.max(0, virtualizer.getTotalSize() - (lastDrawn?.end ?? 0));
  const hasMore = page !== null && !stale && page.next !== null;

  // Near the end of what is loaded, the next page is fetched, once at a time.
  const lastIndex = lastDrawn?.index ?? -1;
  useEffect(() => {
    if (!hasMore || loadingMore === key || currentFailure !== null) return;
    if (lastIndex >= items.length - PREFETCH_ROWS) void loadMore();
  }, [lastIndex, items.length, hasMore, loadingMore, key, currentFailure, loadMore]);

  // A row asked to take focus does so once it is drawn.
  useLayoutEffect(() => {
    const index = pendingFocus.current;
    if (index === null || opened !== null) return;
    const row = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${index}"]`);
    if (row) {
      pendingFocus.current = null;
      row.focus({ preventScroll: true });
    }
  });

  const moveTo = (index: number) => {
    const target = Math.max(0, Math.min(items.length - 1, index));
    setActive(target);
    pendingFocus.current = target;
    virtualizer.scrollToIndex(target, { align: "auto" });
  };

  const navigate = (from: number, pressed: string): boolean => {
    const moves: Record<string, number> = {
      ArrowDown: from + 1,
      ArrowUp: from - 1,
      PageDown: from + PAGE_KEY_ROWS,
      PageUp: from - PAGE_KEY_ROWS,
      Home: 0,
      End: items.length - 1,
    };
    const target = moves[pressed];
    if (target === undefined) return false;
    moveTo(target);
    return true;
  };

  const open = (bill: BillRow, index: number) => {
    setActive(index);
    pendingFocus.current = index;
    setOpened(bill);
  };

  // Back from a bill: the hidden list lost its scroll position, so the row is brought back.
  useEffect(() => {
    const index = pendingFocus.current;
    if (opened === null && index !== null) virtualizer.scrollToIndex(index, { align: "center" });
  }, [opened, virtualizer]);

  const runExport = async () => {
    if (filter === null) return;
    setExporting({ state: "busy" });
    try {
      const outcome = await ipc.exportBills(filter);
      setExporting(outcome === null ? { state: "idle" } : { state: "done", outcome });
    } catch (reason) {
      setExporting({ state: "failed", error: toAppError(reason) });
    }
  };

  const update = (patch: Partial<FilterForm>) => {
    setForm((prev) => ({ ...prev, ...patch }));
    setExporting({ state: "idle" });
  };

  // Tab reaches the active row, or the first one drawn when it is scrolled away.
  const drawn = rows.some((row) => row.index === active);
  const tabbable = drawn ? active : (firstDrawn?.index ?? 0);
  const problemText = (field: "amount" | "date"): string | null => {
    if (field === "date") return problems.includes("dateOrder") ? t("bills.problem.dates") : null;
    if (problems.includes("minAmount") || problems.includes("maxAmount")) {
      return t("bills.problem.amount");
    }
    return problems.includes("amountOrder") ? t("bills.problem.amountOrder") : null;
  };
  const amountProblem = problemText("amount");
  const dateProblem = problemText("date");

  return (
    <div className="bills-screen">
      {opened !== null && (
        <BillDetailView
          bill={opened}
          version={version}
          onOpenLesson={onOpenLesson}
          onBack={() => {
            setOpened(null);
          }}
        />
      )}
      <div className="bill-list" hidden={opened !== null}>
        <div className="bill-filters" role="search" aria-label={t("bills.filters")}>
          <div className="form-field bill-search">
            <label htmlFor={`${ids}-search`}>{t("bills.search")}</label>
            <input
              id={`${ids}-search`}
              type="search"
              data-testid="bills-search"
              value={form.search}
              maxLength={200}
              placeholder={t("bills.searchPlaceholder")}
              onChange={(event) => {
                update({ search: event.target.value });
              }}
            />
          </div>
          <div className="form-field">
            <label htmlFor={`${ids}-category`}>{t("bills.filter")}</label>
            <select
              id={`${ids}-category`}
              data-testid="bills-category"
              value={form.category}
              onChange={(event) => {
                update({ category: parseCategory(event.target.value) });
              }}
            >
              <option value="">{t("bills.allCategories")}</option>
              {GREEN_CATEGORIES.map((name) => (
                <option key={name} value={name}>
                  {t(`category.${name}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="form-field">
            <label htmlFor={`${ids}-certification`}>{t("bills.certificationFilter")}</label>
            <select
              id={`${ids}-certification`}
              data-testid="bills-certification"
              value={form.certification}
              onChange={(event) => {
                const value = event.target.value;
                update({ certification: isCertification(value) ? value : "" });
              }}
            >
              <option value="">{t("bills.allCertifications")}</option>
              {CERTIFICATIONS.map((name) => (
                <option key={name} value={name}>
                  {t(`certification.${name}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="form-field">
            <label htmlFor={`${ids}-source`}>{t("bills.sourceFilter")}</label>
            <select
              id={`${ids}-source`}
              data-testid="bills-source"
              value={form.source}
              onChange={(event) => {
                update({ source: parseSource(event.target.value) });
              }}
            >
              <option value="">{t("bills.allSources")}</option>
              <option value="api">{t("bills.source.api")}</option>
              <option value="file">{t("bills.source.fileOption")}</option>
            </select>
          </div>
          <fieldset className="range-field">
            <legend>{t("bills.dates")}</legend>
            <label>
              <span>{t("bills.from")}</span>
              <input
                type="date"
                data-testid="bills-from"
                value={form.from}
                aria-invalid={dateProblem !== null}
                aria-describedby={dateProblem === null ? undefined : `${ids}-date-problem`}
                onChange={(event) => {
                  update({ from: event.target.value });
                }}
              />
            </label>
            <label>
              <span>{t("bills.to")}</span>
              <input
                type="date"
                data-testid="bills-to"
                value={form.to}
                aria-invalid={dateProblem !== null}
                aria-describedby={dateProblem === null ? undefined : `${ids}-date-problem`}
                onChange={(event) => {
                  update({ to: event.target.value });
                }}
              />
            </label>
            {dateProblem !== null && (
              <p id={`${ids}-date-problem`} className="field-problem">
                {dateProblem}
              </p>
            )}
          </fieldset>
          <fieldset className="range-field">
            <legend>{t("bills.amounts")}</legend>
            <label>
              <span>{t("bills.minAmount")}</span>
              <input
                type="text"
                inputMode="decimal"
                data-testid="bills-min-amount"
                value={form.minAmount}
                size={8}
                aria-invalid={amountProblem !== null}
                aria-describedby={amountProblem === null ? undefined : `${ids}-amount-problem`}
                onChange={(event) => {
                  update({ minAmount: event.target.value });
                }}
              />
            </label>
            <label>
              <span>{t("bills.maxAmount")}</span>
              <input
                type="text"
                inputMode="decimal"
                data-testid="bills-max-amount"
                value={form.maxAmount}
                size={8}
                aria-invalid={amountProblem !== null}
                aria-describedby={amountProblem === null ? undefined : `${ids}-amount-problem`}
                onChange={(event) => {
                  update({ maxAmount: event.target.value });
                }}
              />
            </label>
            {amountProblem !== null && (
              <p id={`${ids}-amount-problem`} className="field-problem">
                {amountProblem}
              </p>
            )}
          </fieldset>
          <div className="bill-actions">
            <button
              type="button"
              className="button"
              disabled={!isFiltered(form)}
              onClick={() => {
                update(EMPTY_FORM);
              }}
            >
              {t("bills.clearFilters")}
            </button>
            <button
              type="button"
              className="button"
              data-testid="bills-export"
              disabled={filter === null || exporting.state === "busy" || page?.total === 0}
              onClick={() => void runExport()}
            >
              {exporting.state === "busy" ? t("bills.exporting") : t("bills.export")}
            </button>
          </div>
        </div>

        <div className="bill-status">
          {page !== null && !stale && (
            <p
              className="muted"
              aria-live="polite"
              data-testid="bills-shown"
              data-value={page.items.length}
              data-total={page.total}
            >
              {page.items.length < page.total
                ? t("bills.showing", {
                    shown: formatCount(page.items.length, locale),
                    total: formatCount(page.total, locale),
                  })
                : t("bills.matching", {
                    count: page.total,
                    total: formatCount(page.total, locale),
                  })}
            </p>
          )}
          {exporting.state === "done" && (
            <p className="muted" aria-live="polite" data-testid="bills-exported">
              {t("bills.exported", {
                count: exporting.outcome.rows,
                rows: formatCount(exporting.outcome.rows, locale),
                file: exporting.outcome.file,
              })}
            </p>
          )}
        </div>
        {exporting.state === "failed" && <ErrorNotice error={exporting.error} />}

        {currentFailure?.during === "first" && (
          <ErrorNotice
            error={currentFailure.error}
            onRetry={() => {
              setAttempt((n) => n + 1);
            }}
          />
        )}

        {page === null ? (
          currentFailure === null && (
            <p className="muted" role="status">
              {t("common.loading")}
            </p>
          )
        ) : page.items.length === 0 && !stale ? (
          <p className="muted">{isFiltered(form) ? t("bills.noMatch") : t("bills.empty")}</p>
        ) : (
          <div className="table-scroll bill-scroll" ref={scrollRef} data-testid="bills-scroll">
            <table
              className={`table bill-table${stale ? " stale" : ""}`}
              aria-busy={stale}
              aria-rowcount={stale ? -1 : page.total + 1}
              aria-label={t("bills.title")}
            >
              <thead>
                <tr aria-rowindex={1}>
                  <th scope="col">{t("bills.column.date")}</th>
                  <th scope="col">{t("bills.column.merchant")}</th>
                  <th scope="col">{t("bills.column.item")}</th>
                  <th scope="col">{t("bills.column.category")}</th>
                  <th scope="col" className="num">
                    {t("bills.column.amount")}
                  </th>
                  <th scope="col">{t("bills.column.certification")}</th>
                  <th scope="col" className="num">
                    {t("bills.column.carbon")}
                  </th>
                  <th scope="col">{t("bills.column.status")}</th>
                </tr>
              </thead>
              <tbody>
                {padTop > 0 && (
                  <tr className="bill-spacer" aria-hidden="true" style={{ height: padTop }} />
                )}
                {rows.map((row) => {
                  const bill = items[row.index];
                  if (bill === undefined) return null;
                  return (
                    <BillTableRow
                      key={bill.id}
                      bill={bill}
                      index={row.index}
                      rowRef={virtualizer.measureElement}
                      tabbable={row.index === tabbable}
                      hintId={OPEN_HINT_ID}
                      onNavigate={(pressed) => navigate(row.index, pressed)}
                      onOpen={() => {
                        open(bill, row.index);
                      }}
                    />
                  );
                })}
                {padBottom > 0 && (
                  <tr className="bill-spacer" aria-hidden="true" style={{ height: padBottom }} />
                )}
              </tbody>
            </table>
            <p id={OPEN_HINT_ID} className="visually-hidden">
              {t("bills.openHint")}
            </p>
          </div>
        )}

        {currentFailure?.during === "more" && (
          <ErrorNotice error={currentFailure.error} onRetry={() => void loadMore()} />
        )}
        {loadingMore === key && (
          <p className="muted load-more" role="status">
            {t("common.loading")}
          </p>
        )}
      </div>
    </div>
  );
}
