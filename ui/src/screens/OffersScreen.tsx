/**
 * The offers section: the offer list with its filters and plan comparison, each offer's page,
 * and the instalment calculator, reloaded whenever a sync finishes.
 *
 * The list, an offer's page and the comparison share one place on screen; the list stays
 * mounted (hidden) while the other two are open, so the filters, the picked plans and the
 * scroll position are as they were on the way back, and focus returns to what opened them.
 * The calculator is a tab of its own, kept mounted once opened so what was typed stays.
 */
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import type { OfferRow, PlanPick } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { InstalmentCalculator } from "../components/InstalmentCalculator";
import { OfferCard } from "../components/OfferCard";
import { OfferDetailView } from "../components/OfferDetailView";
import { OfferFilters } from "../components/OfferFilters";
import { PlanComparison } from "../components/PlanComparison";
import { panelId, tabId, Tabs, type TabItem } from "../components/Tabs";
import { formatCount } from "../format";
import { useLocale } from "../i18n";
import * as ipc from "../ipc";
import {
  categoryChoices,
  filterOffers,
  livePicks,
  MAX_PICKS,
  MIN_PICKS,
  monthChoices,
  NO_FILTERS,
  samePick,
  togglePick,
  type OfferFilters as Filters,
} from "../offers";
import { useResource } from "../resource";

/** The calculator's currency before any offer says which one the user deals in. */
const DEFAULT_CURRENCY = "CNY";

type Section = "offer-list" | "calculator";

type View =
  { kind: "list" } | { kind: "detail"; id: string } | { kind: "compare"; picks: PlanPick[] };

interface OffersScreenProps {
  version: number;
  now: number;
}

export function OffersScreen({ version, now }: OffersScreenProps) {
  const { t } = useTranslation();
  const resource = useResource(ipc.offers, version);
  const [section, setSection] = useState<Section>("offer-list");
  const [calculatorOpened, setCalculatorOpened] = useState(false);

  const tabs: TabItem<Section>[] = [
    { id: "offer-list", label: t("offers.list") },
    { id: "calculator", label: t("offers.calculator") },
  ];
  const currency = resource.value?.[0]?.price.currency ?? DEFAULT_CURRENCY;

  return (
    <div className="offers-screen">
      <Tabs
        className="tabs-nested"
        label={t("offers.sections")}
        tabs={tabs}
        selected={section}
        onSelect={(next) => {
          setSection(next);
          if (next === "calculator") setCalculatorOpened(true);
        }}
      />
      <div
        id={panelId("offer-list")}
        role="tabpanel"
        aria-labelledby={tabId("offer-list")}
        hidden={section !== "offer-list"}
      >
        {resource.error !== null && <ErrorNotice error={resource.error} onRetry={resource.retry} />}
        {resource.value === undefined ? (
          resource.error === null && (
            <p className="muted" role="status">
              {t("common.loading")}
            </p>
          )
        ) : resource.value.length === 0 ? (
          <p className="muted">{t("offers.empty")}</p>
        ) : (
          <OfferBrowser offers={resource.value} version={version} now={now} />
        )}
      </div>
      {calculatorOpened && (
        <div
          id={panelId("calculator")}
          role="tabpanel"
          aria-labelledby={tabId("calculator")}
          hidden={section !== "calculator"}
        >
          <InstalmentCalculator currency={currency} />
        </div>
      )}
    </div>
  );
}

interface OfferBrowserProps {
  offers: readonly OfferRow[];
  version: number;
  now: number;
}

/** The filtered list with plan picking, and the offer page or comparison it opens. */
function OfferBrowser({ offers, version, now }: OfferBrowserProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [picks, setPicks] = useState<PlanPick[]>([]);
  const [view, setView] = useState<View>({ kind: "list" });
  const listRef = useRef<HTMLDivElement>(null);
  // What to focus when the list comes back: the offer that was opened, or the compare button.
  const returnFocus = useRef<{ offer: string } | "compare" | null>(null);

  const shown = filterOffers(offers, filters, now);
  // A sync may have removed a picked offer or plan; such picks no longer count.
  const live = livePicks(picks, offers);
  const canCompare = live.length >= MIN_PICKS && live.length <= MAX_PICKS;

  useEffect(() => {
    const target = returnFocus.current;
    const list = listRef.current;
    if (view.kind !== "list" || target === null || list === null) return;

    returnFocus.current = null;
    const candidates = list.querySelectorAll<HTMLElement>(
      target === "compare" ? '[data-testid="compare-button"]' : '[data-testid="offer-open"]',
    );
    const element = [...candidates].find(
      (candidate) =>
        target === "compare" ||
        candidate.closest<HTMLElement>("[data-offer-id]")?.dataset.offerId === target.offer,
    );
    element?.focus();
  }, [view]);

  const open = (id: string) => {
    returnFocus.current = { offer: id };
    setView({ kind: "detail", id });
  };

  const compare = () => {
    returnFocus.current = "compare";
    setView({ kind: "compare", picks: live });
  };

  const back = () => {
    setView({ kind: "list" });
  };

  return (
    <>
      <div className="offer-list" ref={listRef} hidden={view.kind !== "list"}>
        {/* The cards' headings are h3: this names the level above them for screen readers. */}
        <h2 className="visually-hidden">{t("offers.title")}</h2>
        <div className="toolbar offer-toolbar">
          <OfferFilters
            filters={filters}
            categories={categoryChoices(offers)}
            months={monthChoices(offers)}
            onChange={setFilters}
          />
          <p className="muted" data-testid="offers-shown" data-value={shown.length}>
            {t("offers.filter.showing", {
              shown: formatCount(shown.length, locale),
              total: formatCount(offers.length, locale),
            })}
          </p>
        </div>

        {shown.length === 0 ? (
          <div className="empty">
            <p className="muted">{t("offers.filter.none")}</p>
            <button
              type="button"
              className="button button-quiet"
              onClick={() => {
                setFilters(NO_FILTERS);
              }}
            >
              {t("offers.filter.clear")}
            </button>
          </div>
        ) : (
          <div className="offer-grid">
            {shown.map(({ offer, plans }) => (
              <OfferCard
                key={offer.id}
                offer={offer}
                now={now}
                plans={plans}
                isPicked={(plan) =>
                  live.some((pick) => samePick(pick, { offer_id: offer.id, plan }))
                }
                canPickMore={live.length < MAX_PICKS}
                onTogglePick={(plan) => {
                  setPicks(togglePick(live, { offer_id: offer.id, plan }));
                }}
                onOpen={() => {
                  open(offer.id);
                }}
              />
            ))}
          </div>
        )}

        <div className="compare-bar" role="group" aria-label={t("offers.compare.title")}>
          <button
            type="button"
            className="button"
            data-testid="compare-button"
            disabled={!canCompare}
            aria-describedby="compare-hint"
            onClick={compare}
          >
            {t("offers.compare.button", { count: live.length })}
          </button>
          <span id="compare-hint" className="muted">
            {live.length >= MAX_PICKS ? t("offers.compare.full") : t("offers.compare.hint")}
          </span>
          {live.length > 0 && (
            <button
              type="button"
              className="button button-quiet"
              onClick={() => {
                setPicks([]);
              }}
            >
              {t("offers.compare.clear")}
            </button>
          )}
        </div>
      </div>

      {view.kind === "detail" && (
        <OfferDetailView id={view.id} version={version} now={now} onBack={back} />
      )}
      {view.kind === "compare" && (
        <PlanComparison picks={view.picks} offers={offers} version={version} onBack={back} />
      )}
    </>
  );
}
