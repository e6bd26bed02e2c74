/**
 * The app shell: header with the sync status, the section tabs and their panels.
 *
 * Until the first sync has finished there is nothing to show, so the panels wait behind the
 * first-run screen. A panel is mounted the first time its tab is opened and then kept (hidden),
 * so switching tabs keeps the bills already loaded and the filter chosen.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { useNow } from "./clock";
import { ErrorNotice } from "./components/ErrorNotice";
import { FirstRun } from "./components/FirstRun";
import { useImports } from "./imports";
import { Header } from "./components/Header";
import { panelId, tabId, Tabs, type TabItem } from "./components/Tabs";
import { BillsScreen } from "./screens/BillsScreen";
import { DashboardScreen } from "./screens/DashboardScreen";
import { ImportScreen } from "./screens/ImportScreen";
import { OffersScreen } from "./screens/OffersScreen";
import { useSync } from "./sync";

type Section = "dashboard" | "bills" | "offers" | "import";

export function App() {
  const { t } = useTranslation();
  const { state, syncNow } = useSync();
  const now = useNow();
  const [section, setSection] = useState<Section>("dashboard");
  const [opened, setOpened] = useState<ReadonlySet<Section>>(() => new Set(["dashboard"]));

  const select = (next: Section) => {
    setSection(next);
    setOpened((prev) => (prev.has(next) ? prev : new Set([...prev, next])));
  };
  // An import (picked or dropped anywhere) changes the cache and brings its report forward.
  const { imports, pick } = useImports(() => {
    select("import");
  });
  const version = state.dataVersion + imports.version;

  const tabs: TabItem<Section>[] = [
    { id: "dashboard", label: t("nav.dashboard") },
    { id: "bills", label: t("nav.bills") },
    { id: "offers", label: t("nav.offers") },
    { id: "import", label: t("nav.import") },
  ];

  const panel = (id: Section) => {
    switch (id) {
      case "dashboard":
        return <DashboardScreen version={version} now={now} />;
      case "bills":
        return <BillsScreen version={version} />;
      case "offers":
        return <OffersScreen version={version} now={now} />;
      case "import":
        return <ImportScreen imports={imports} onPick={pick} />;
    }
  };

  let content;
  if (state.status === null) {
    content =
      state.phase === "error" && state.error !== null ? (
        <ErrorNotice error={state.error} onRetry={syncNow} source="sync" />
      ) : (
        <p className="muted" role="status">
          {t("common.loading")}
        </p>
      );
  } else if (state.lastSyncedAt === null) {
    content = <FirstRun mode={state.status.mode} sync={state} onRetry={syncNow} />;
  } else {
    content = (
      <>
        <Tabs label={t("nav.label")} tabs={tabs} selected={section} onSelect={select} />
        {tabs
          .filter((tab) => opened.has(tab.id))
          .map((tab) => (
            <section
              key={tab.id}
              id={panelId(tab.id)}
              className="panel"
              role="tabpanel"
              aria-labelledby={tabId(tab.id)}
              tabIndex={0}
              hidden={tab.id !== section}
            >
              {panel(tab.id)}
            </section>
          ))}
      </>
    );
  }

  return (
    <div className="app">
      <Header sync={state} now={now} onSyncNow={syncNow} />
      <main className="main">{content}</main>
    </div>
  );
}
