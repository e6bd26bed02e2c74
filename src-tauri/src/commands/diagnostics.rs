//! The Diagnostics page: the doctor's checks plus what only the window knows, and the support
//! bundle.

use std::sync::Arc;

use greenmile_core::doctor::{self, Diagnostics, DoctorOptions};
use greenmile_core::vault::{Backend, Vault};
use greenmile_core::{AppError, ErrorCode};
use serde::Serialize;
use tauri::{AppHandle, Manager, State};
use ts_rs::TS;

use crate::platform::Platform;
use crate::shell::Shell;

/// What the Diagnostics page shows.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DesktopDiagnostics {
    /// The same checks as `greenmile doctor`.
    pub checks: Diagnostics,
    /// The webview engine's version (WebKitGTK, WebView2 or WKWebView).
    pub webview_version: String,
    /// The Tauri version the app was built with.
    pub tauri_version: String,
    /// Where the log files are, if logs are written to files.
    pub log_dir: Option<String>,
    /// Whether the WebKitGTK DMA-BUF workaround was applied at start.
    pub webkit_dmabuf_workaround: bool,
}

/// Where a support bundle was saved.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SupportBundle {
    /// The zip file.
    pub path: String,
    /// The files inside it.
    pub files: Vec<String>,
}

async fn collect(app: &AppHandle, shell: &Shell, platform: &Platform) -> DesktopDiagnostics {
    let vault = Backend::from_env().ok().map(Vault::new);
    let options = DoctorOptions {
        version: app.package_info().version.to_string(),
        check_server: true,
        vault,
    };
    DesktopDiagnostics {
        checks: doctor::diagnose(shell.data_dir(), &options).await,
        webview_version: tauri::webview_version().unwrap_or_else(|e| format!("unknown ({e})")),
        tauri_version: tauri::VERSION.to_owned(),
        log_dir: platform.log_dir.as_ref().map(|d| d.display().to_string()),
        webkit_dmabuf_workaround: platform.dmabuf_workaround,
    }
}

/// Runs every check.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn diagnostics(
    app: AppHandle,
    shell: State<'_, Arc<Shell>>,
    platform: State<'_, Platform>,
) -> Result<DesktopDiagnostics, AppError> {
    Ok(collect(&app, &shell, &platform).await)
}

/// Saves the diagnostics and the newest logs, redacted, as a zip in the Downloads folder (or the
/// data folder where there is none) and says where.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn save_support_bundle(
    app: AppHandle,
    shell: State<'_, Arc<Shell>>,
    platform: State<'_, Platform>,
) -> Result<SupportBundle, AppError> {
    let report = collect(&app, &shell, &platform).await;
    let json = serde_json::to_string_pretty(&report).map_err(|e| AppError {
        code: ErrorCode::Internal,
        message: format!("cannot write the diagnostics: {e}"),
    })?;
    let folder = app.path().download_dir().unwrap_or_else(|_| shell.data_dir().to_owned());
    let name = format!("greenmile-support-{}.zip", chrono::Local::now().format("%Y%m%d-%H%M%S"));
    let target = folder.join(name);
    let home = directories::BaseDirs::new().map(|b| b.home_dir().to_owned());
    let log_dir = platform.log_dir.clone();
    let path = target.clone();
    let files = tauri::async_runtime::spawn_blocking(move || {
        crate::support::write_bundle(&path, &json, log_dir.as_deref(), home.as_deref())
    })
    .await
    .map_err(|e| AppError { code: ErrorCode::Internal, message: e.to_string() })?
    .map_err(|e| AppError {
        code: ErrorCode::Cache,
        message: format!("cannot save the support bundle to {}: {e}", target.display()),
    })?;
    tracing::info!(files = files.len(), "support bundle saved");
    Ok(SupportBundle { path: target.display().to_string(), files })
}
