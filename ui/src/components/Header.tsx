/**
 * The app header: the name, a "Demo" badge in demo mode, and the sync status area.
 */
import { useTranslation } from "react-i18next";

import type { SyncState } from "../sync";
import { SyncStatus } from "./SyncStatus";

interface HeaderProps {
  sync: SyncState;
  now: number;
  onSyncNow: () => void;
}

export function Header({ sync, now, onSyncNow }: HeaderProps) {
  const { t } = useTranslation();

  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <h1 className="brand-name">{t("app.name")}</h1>
        {sync.status?.mode === "demo" && (
          <span className="badge badge-demo" data-testid="demo-badge" title={t("app.demoHint")}>
            {t("app.demo")}
          </span>
        )}
      </div>
      <SyncStatus state={sync} now={now} onSyncNow={onSyncNow} />
    </header>
  );
}
