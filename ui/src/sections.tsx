/**
 * The app's sections, in the order the navigation lists them.
 *
 * Each is an id (which also names its tab and panel elements, `tab-<id>` and `panel-<id>`), the
 * message key of its label, and how to draw its screen from what the shell knows. Adding a
 * screen to the app is one line here and its label in both locale files.
 */
import type { ReactNode } from "react";

import type { AppStatus } from "./bindings";
import type en from "./locales/en.json";
import { BillsScreen } from "./screens/BillsScreen";
import { DashboardScreen } from "./screens/DashboardScreen";
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
  { id: "bills", label: "nav.bills", render: ({ version }) => <BillsScreen version={version} /> },
  {
    id: "offers",
    label: "nav.offers",
    render: ({ version, now }) => <OffersScreen version={version} now={now} />,
  },
  {
    id: "settings",
    label: "nav.settings",
    render: ({ status }) => <SettingsScreen status={status} />,
  },
];
