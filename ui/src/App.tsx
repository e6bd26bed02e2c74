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
import { Header } from "./components/Header";
import { panelId, tabId, Tabs, type TabItem } from "./components/Tabs";
import { BadgesScreen } from "./screens/BadgesScreen";
import { BillsScreen } from "./screens/BillsScreen";
import { DashboardScreen } from "./screens/DashboardScreen";
import { LearnScreen } from "./screens/LearnScreen";
import { OffersScreen } from "./screens/OffersScreen";
import { useSync } from "./sync";

type Section = "dashboard" | "bills" | "offers" | "learn" | "badges";

export function App() {
  const { t } = useTranslation();
  const { state, syncNow } = useSync();
  const now = useNow();
  const [section, setSection] = useState<Section>("dashboard");
  const [opened, setOpened] = useState<ReadonlySet<Section>>(() => new Set(["dashboard"]));
  // The lesson a bill's page asked for; a new object each time so the same lesson reopens.
  const [lesson, setLesson] = useState<{ id: string } | null>(null);

  const select = (next: Section) => {
    setSection(next);
    setOpened((prev) => (prev.has(next) ? prev : new Set([...prev, next])));
  };

  const tabs: TabItem<Section>[] = [
    { id: "dashboard", label: t("nav.dashboard") },
    { id: "bills", label: t("nav.bills") },
    { id: "offers", label: t("nav.offers") },
    { id: "learn", label: t("nav.learn") },
    { id: "badges", label: t("nav.badges") },
  ];

  const panel = (id: Section) => {
    switch (id) {
      case "dashboard":
        return <DashboardScreen version={state.dataVersion} now={now} />;
      case "bills":
        return (
          <BillsScreen
            version={state.dataVersion}
            onOpenLesson={(id) => {
              setLesson({ id });
              select("learn");
            }}
          />
        );
      case "offers":
        return <OffersScreen version={state.dataVersion} now={now} />;
      case "learn":
        return <LearnScreen version={state.dataVersion} openLesson={lesson} />;
      case "badges":
        return <BadgesScreen version={state.dataVersion} />;
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
