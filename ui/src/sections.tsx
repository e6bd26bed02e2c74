/**
 * The app's sections, in the order the navigation lists them.
 *
 * Each is an id (which also names its tab and panel elements, `tab-<id>` and `panel-<id>`), the
 * message key of its label, and how to draw its screen from what the shell knows. Adding a
 * screen to the app is one line here and its label in both locale files.
 */
import type { ReactNode } from "react";

import type { AppStatus, Persona } from "./bindings";
import type { ImportState } from "./imports";
import type en from "./locales/en.json";
import { BadgesScreen } from "./screens/BadgesScreen";
import { BillsScreen } from "./screens/BillsScreen";
import { DashboardScreen } from "./screens/DashboardScreen";
import { DiagnosticsScreen } from "./screens/DiagnosticsScreen";
import { ImportScreen } from "./screens/ImportScreen";
import { LearnScreen } from "./screens/LearnScreen";
import { OffersScreen } from "./screens/OffersScreen";
import { SettingsScreen } from "./screens/SettingsScreen";

/** What the shell hands every screen. */
export interface SectionContext {
  /** Bumped each time a sync finishes: the cache changed, screens reload. */
  version: number;
  /** The current time in milliseconds, ticking. */
  now: number;
  /** The last `app_status` answer. */
  status: AppStatus;
  /** The lesson a bill's page asked to open, if any. */
  lesson: { id: string } | null;
  /** Opens a lesson in the Learn section. */
  openLesson: (id: string) => void;
  /** The imports of this run, newest report first. */
  imports: ImportState;
  /** Opens the native file picker to import payment exports. */
  pickImports: () => void;
  /** Starts the demo afresh, as a persona or the one shown. */
  resetDemo: (persona: Persona | null) => void;
}

export interface Section {
  id: string;
  label: `nav.${keyof typeof en.nav}`;
  render: (context: SectionContext) => ReactNode;
}

export const SECTIONS: readonly Section[] = [
  {
    id: "dashboard",
    label: "nav.dashboard",
    render: ({ version, now }) => <DashboardScreen version={version} now={now} />,
  },
  {
    id: "bills",
    label: "nav.bills",
    render: ({ version, openLesson }) => (
      <BillsScreen version={version} onOpenLesson={openLesson} />
    ),
  },
  {
    id: "offers",
    label: "nav.offers",
    render: ({ version, now }) => <OffersScreen version={version} now={now} />,
  },
  {
    id: "learn",
    label: "nav.learn",
    render: ({ version, lesson }) => <LearnScreen version={version} openLesson={lesson} />,
  },
  {
    id: "badges",
    label: "nav.badges",
    render: ({ version }) => <BadgesScreen version={version} />,
  },
  {
    id: "import",
    label: "nav.import",
    render: ({ imports, pickImports }) => <ImportScreen imports={imports} onPick={pickImports} />,
  },
  {
    id: "diagnostics",
    label: "nav.diagnostics",
    render: ({ version }) => <DiagnosticsScreen version={version} />,
  },
  {
    id: "settings",
    label: "nav.settings",
    render: ({ status, resetDemo }) => <SettingsScreen status={status} onResetDemo={resetDemo} />,
  },
];
