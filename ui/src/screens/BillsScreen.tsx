/**
 * The bills list: newest first, 50 at a time with "Load more", filtered by category and by
 * source (synced, or imported from files).
 *
 * Pages are fetched by offset. A page is tagged with the filter and data version it belongs
 * to, so a page that arrives after the filter changed is dropped rather than mixed in, and rows
 * already shown are not repeated if the list shifted between two pages. A finished sync
 * (`version` changes) starts again from the first page.
 *
 * A row opens the bill's page in the list's place. The list stays mounted (hidden) meanwhile,
 * so the filter, the pages loaded and the scroll position are as they were on the way back,
 * and focus returns to the row that was opened.
 */
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import type { AppError, BillRow, BillSource, GreenCategory } from "../bindings";
import { GREEN_CATEGORIES, isGreenCategory } from "../categories";
import { BillDetailView } from "../components/BillDetailView";
import { BillTableRow } from "../components/BillTableRow";
import { ErrorNotice } from "../components/ErrorNotice";
import { toAppError } from "../errors";
import { formatCount } from "../format";
import { useLocale } from "../i18n";
import * as ipc from "../ipc";

/** How many bills one page asks for. */
export const PAGE_SIZE = 50;

/** The hidden text that says what Enter on a row does. */
const OPEN_HINT_ID = "bill-open-hint";

interface Page {
  key: string;
  items: BillRow[];
  total: number;
}

interface Failure {
  key: string;
  /** Which request failed: the first page (retry reloads) or a further one (retry continues). */
  during: "first" | "more";
  error: AppError;
}

function appendNew(shown: readonly BillRow[], next: readonly BillRow[]): BillRow[] {
  const seen = new Set(shown.map((bill) => bill.id));
  return [...shown, ...next.filter((bill) => !seen.has(bill.id))];
}

interface BillsScreenProps {
  version: number;
  /** Opens a lesson, from a bill's "what does this mean?" link. */
  onOpenLesson?: (lessonId: string) => void;
}

export function BillsScreen({ version, onOpenLesson }: BillsScreenProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [category, setCategory] = useState<GreenCategory | null>(null);
  const [source, setSource] = useState<BillSource | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [page, setPage] = useState<Page | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [loadingMore, setLoadingMore] = useState<string | null>(null);
  const [opened, setOpened] = useState<BillRow | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  // The bill whose row takes focus again when the list comes back.
  const returnFocus = useRef<string | null>(null);
  const key = `${category ?? "all"}:${source ?? "all"}:${version}:${attempt}`;

  useEffect(() => {
    const id = returnFocus.current;
    if (opened !== null || id === null) return;

    returnFocus.current = null;
    const rows = listRef.current?.querySelectorAll<HTMLElement>('[data-testid="bill-row"]') ?? [];
    [...rows].find((row) => row.dataset.billId === id)?.focus();
  }, [opened]);

  const open = (bill: BillRow) => {
    returnFocus.current = bill.id;
    setOpened(bill);
  };

  useEffect(() => {
    let live = true;
    ipc.bills({ offset: 0, limit: PAGE_SIZE, category, month: null, source }).then(
      (list) => {
        if (!live) return;
        setPage({ key, items: list.items, total: list.total });
        setFailure(null);
      },
      (reason: unknown) => {
        if (live) setFailure({ key, during: "first", error: toAppError(reason) });
      },
    );
    return () => {
      live = false;
    };
  }, [key, category, source]);

  const loadMore = async () => {
    if (page?.key !== key) return;

    setLoadingMore(key);
    setFailure(null);
    try {
      const list = await ipc.bills({
        offset: page.items.length,
        limit: PAGE_SIZE,
        category,
        month: null,
        source,
      });
      setPage((prev) =>
        prev?.key === key
          ? { key, items: appendNew(prev.items, list.items), total: list.total }
          : prev,
      );
    } catch (reason) {
      setFailure({ key, during: "more", error: toAppError(reason) });
    } finally {
      setLoadingMore(null);
    }
  };

  const stale = page?.key !== key;
  const currentFailure = failure?.key === key ? failure : null;
  const hasMore = page !== null && !stale && page.items.length < page.total;

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
      <div className="bill-list" ref={listRef} hidden={opened !== null}>
        <div className="toolbar">
          <label className="field">
            <span>{t("bills.filter")}</span>
            <select
              value={category ?? ""}
              onChange={(event) => {
                const value = event.target.value;
                setCategory(isGreenCategory(value) ? value : null);
              }}
            >
              <option value="">{t("bills.allCategories")}</option>
              {GREEN_CATEGORIES.map((name) => (
                <option key={name} value={name}>
                  {t(`category.${name}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t("bills.sourceFilter")}</span>
            <select
              data-testid="bills-source"
              value={source ?? ""}
              onChange={(event) => {
                const value = event.target.value;
                setSource(value === "api" || value === "file" ? value : null);
              }}
            >
              <option value="">{t("bills.allSources")}</option>
              <option value="api">{t("bills.source.api")}</option>
              <option value="file">{t("bills.source.fileOption")}</option>
            </select>
          </label>
          {page !== null && !stale && (
            <p className="muted" data-testid="bills-shown" data-value={page.items.length}>
              {t("bills.showing", {
                shown: formatCount(page.items.length, locale),
                total: formatCount(page.total, locale),
              })}
            </p>
          )}
        </div>

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
          <p className="muted">{t("bills.empty")}</p>
        ) : (
          <div className="table-scroll">
            <table className={`table bill-table${stale ? " stale" : ""}`} aria-busy={stale}>
              <thead>
                <tr>
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
                {page.items.map((bill) => (
                  <BillTableRow
                    key={bill.id}
                    bill={bill}
                    hintId={OPEN_HINT_ID}
                    onOpen={() => {
                      open(bill);
                    }}
                  />
                ))}
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

        {hasMore && (
          <div className="load-more">
            <button
              type="button"
              className="button"
              disabled={loadingMore === key}
              onClick={() => void loadMore()}
            >
              {loadingMore === key ? t("common.loading") : t("bills.loadMore")}
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
