/**
 * Diagnostics: what support staff read when something is wrong — the same checks as
 * `greenmile doctor` plus what only the window knows (webview, log folder) — and a button that
 * saves them with the newest logs, redacted, as a zip to send.
 */
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";

import type { AppError, SupportBundle } from "../bindings";
import { ErrorNotice } from "../components/ErrorNotice";
import { toAppError } from "../errors";
import * as ipc from "../ipc";
import { useResource } from "../resource";

function Check({ ok, label, children }: { ok: boolean | null; label: string; children: string }) {
  const { t } = useTranslation();
  const mark = ok === null ? "—" : ok ? t("diagnostics.ok") : t("diagnostics.fail");
  return (
    <tr data-testid="diagnostics-check" data-ok={ok === null ? "skipped" : String(ok)}>
      <th scope="row">{label}</th>
      <td className={ok === false ? "diagnostics-fail" : undefined}>{mark}</td>
      <td>{children}</td>
    </tr>
  );
}

export function DiagnosticsScreen({ version }: { version: number }) {
  const { t } = useTranslation();
  const [run, setRun] = useState(0);
  const load = useCallback(() => ipc.diagnostics(), []);
  const report = useResource(load, version * 1000 + run);
  const [bundle, setBundle] = useState<SupportBundle | null>(null);
  const [bundleError, setBundleError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);

  const save = () => {
    setSaving(true);
    setBundleError(null);
    ipc.saveSupportBundle().then(
      (saved) => {
        setBundle(saved);
        setSaving(false);
      },
      (reason: unknown) => {
        setBundleError(toAppError(reason));
        setSaving(false);
      },
    );
  };

  const d = report.value;
  return (
    <div className="diagnostics" data-testid="diagnostics">
      <h2>{t("diagnostics.title")}</h2>
      {report.error !== null && <ErrorNotice error={report.error} onRetry={report.retry} />}
      {d === undefined ? (
        <p className="muted" role="status">
          {t("common.loading")}
        </p>
      ) : (
        <>
          <p data-testid="diagnostics-summary" data-healthy={String(d.checks.healthy)}>
            {d.checks.healthy ? t("diagnostics.healthy") : t("diagnostics.unhealthy")}
          </p>
          <section className="card">
            <table className="diagnostics-table">
              <caption className="visually-hidden">{t("diagnostics.title")}</caption>
              <tbody>
                <Check ok={null} label={t("diagnostics.version")}>
                  {`GreenMile ${d.checks.version} · Tauri ${d.tauri_version} · ${d.webview_version} · ${d.checks.platform}`}
                </Check>
                <Check ok={null} label={t("diagnostics.dataDir")}>
                  {d.checks.demo ? `${d.checks.data_dir} (${t("app.demo")})` : d.checks.data_dir}
                </Check>
                <Check ok={d.checks.cache.integrity === "ok"} label={t("diagnostics.cache")}>
                  {t("diagnostics.cacheDetail", {
                    bytes: d.checks.cache.size_bytes,
                    integrity: d.checks.cache.integrity,
                    bills: d.checks.cache.bills,
                    offers: d.checks.cache.offers,
                    imported: d.checks.cache.imported_bills,
                  })}
                </Check>
                {d.checks.last_sync.map((s) => (
                  <Check key={s.collection} ok={null} label={t("diagnostics.lastSync")}>
                    {`${s.collection}: ${s.synced_at}`}
                  </Check>
                ))}
                {d.checks.server !== null && (
                  <Check
                    ok={
                      d.checks.demo
                        ? null
                        : d.checks.server.reachable && d.checks.server.same_server
                    }
                    label={t("diagnostics.server")}
                  >
                    {d.checks.server.error ??
                      t("diagnostics.serverOk", {
                        url: d.checks.server.base_url,
                        ms: d.checks.server.latency_ms ?? 0,
                      })}
                  </Check>
                )}
                <Check ok={d.checks.keychain.available} label={t("diagnostics.keychain")}>
                  {d.checks.keychain.error ?? d.checks.keychain.store}
                </Check>
                <Check ok={null} label={t("diagnostics.logs")}>
                  {d.log_dir ?? t("diagnostics.noLogs")}
                </Check>
              </tbody>
            </table>
          </section>
          <p className="diagnostics-actions">
            <button
              type="button"
              className="button button-quiet"
              onClick={() => {
                setRun((n) => n + 1);
              }}
            >
              {t("diagnostics.again")}
            </button>{" "}
            <button
              type="button"
              className="button"
              onClick={save}
              disabled={saving}
              data-testid="support-bundle"
            >
              {t("diagnostics.saveBundle")}
            </button>
          </p>
          <p className="muted">{t("diagnostics.bundleHint")}</p>
          {bundle !== null && (
            <p role="status" data-testid="support-bundle-saved">
              {t("diagnostics.saved", { path: bundle.path, files: bundle.files.length })}
            </p>
          )}
          {bundleError !== null && <ErrorNotice error={bundleError} />}
        </>
      )}
    </div>
  );
}
