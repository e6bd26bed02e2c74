//! The bill list, and exporting what it shows.
//!
//! Export writes from Rust: [`export_bills`] opens the native save dialog through
//! tauri-plugin-dialog's Rust API and writes the file through the core, so the UI holds no
//! dialog or file-system permission of its own (as with the import picker).

use std::path::PathBuf;
use std::sync::Arc;

use greenmile_core::AppError;
use greenmile_core::dashboard::system_time_zone;
use greenmile_core::db::bills::{BillFilter, BillList, BillQuery};
use greenmile_core::export::{self, Existing, ExportFormat};
use serde::Serialize;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use crate::shell::Shell;

/// A page of bills, newest first; the core checks the limit, the filter and the position.
#[tauri::command]
#[tracing::instrument(skip_all, fields(bills.limit = query.limit, bills.after = query.after.is_some()))]
pub async fn bills(shell: State<'_, Arc<Shell>>, query: BillQuery) -> Result<BillList, AppError> {
    let cache = shell.cache().await?;
    Ok(greenmile_core::db::bills::list(cache.pool(), &query, system_time_zone()).await?)
}

/// Where an export was written, and how many bills it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ExportOutcome {
    /// The file, as the user chose it.
    pub file: String,
    /// CSV or JSON, from the file's extension.
    pub format: ExportFormat,
    /// Bills written.
    #[ts(type = "number")]
    pub rows: u64,
}

/// Asks where to save (CSV or JSON, chosen by the extension; CSV when there is none) and
/// writes every bill `filter` takes there; `None` when the dialog is cancelled.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn export_bills(
    app: AppHandle,
    shell: State<'_, Arc<Shell>>,
    filter: BillFilter,
) -> Result<Option<ExportOutcome>, AppError> {
    // The blocking dialog must not run on the main thread: this async command does not.
    let picked = app
        .dialog()
        .file()
        .set_file_name("greenmile-bills.csv")
        .add_filter("CSV", &["csv"])
        .add_filter("JSON", &["json"])
        .blocking_save_file();
    let Some(path) = picked.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    let outcome = write_export(&shell, &filter, path).await?;
    tracing::info!(rows.exported = outcome.rows, "bills exported");
    Ok(Some(outcome))
}

async fn write_export(
    shell: &Shell,
    filter: &BillFilter,
    mut path: PathBuf,
) -> Result<ExportOutcome, AppError> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let format = match ExportFormat::from_file_name(&name) {
        Some(format) => format,
        None => {
            // Some dialogs return the name as typed, without the filter's extension.
            path.set_file_name(format!("{name}.csv"));
            ExportFormat::Csv
        }
    };
    let cache = shell.cache().await?;

    // The save dialog already asked before a file was replaced.
    let tz = system_time_zone();
    let rows =
        export::write_bills_to_file(cache.pool(), filter, tz, format, &path, Existing::Replace)
            .await?;
    Ok(ExportOutcome { file: path.display().to_string(), format, rows })
}
