//! Importing payment exports: files picked in the native file dialog, dropped on the window,
//! or named by path.
//!
//! Everything that touches the file system happens here, on the Rust side: the picker is
//! opened by [`pick_import_files`] through tauri-plugin-dialog's Rust API, and a drop arrives
//! as the window's drag-and-drop event ([`on_window_event`]), which carries the paths. The UI
//! therefore holds no dialog or file-system permission; it calls these commands, and every
//! import, however it started, ends with [`IMPORT_EVENT`] carrying the outcome of each file, so
//! the screen that shows reports has one source. Each file is imported on its own (one
//! transaction each, through the core's importers), so a file that cannot be read changes
//! nothing and does not stop the others.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::Utc;
use greenmile_core::AppError;
use greenmile_core::import::{self, FileReport};
use serde::Serialize;
use tauri::{AppHandle, DragDropEvent, Emitter, Manager, State, Window, WindowEvent};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use crate::shell::Shell;

/// The event that carries the outcome of every import, picked, dropped or named
/// (`Vec<ImportOutcome>`).
pub const IMPORT_EVENT: &str = "import://report";

/// What became of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportOutcome {
    /// The file as picked or dropped.
    pub file: String,
    /// What became of each row, when the file could be read.
    pub report: Option<FileReport>,
    /// Why the file could not be read; then nothing of it was stored.
    pub error: Option<AppError>,
}

/// Imports the files at `paths`, in order, and reports each (also as [`IMPORT_EVENT`]).
#[tauri::command]
#[tracing::instrument(skip_all, fields(import.files = paths.len()))]
pub async fn import_files(
    app: AppHandle,
    shell: State<'_, Arc<Shell>>,
    paths: Vec<String>,
) -> Result<Vec<ImportOutcome>, AppError> {
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    import_and_tell(&app, &shell, &paths).await
}

/// Opens the native file picker (bill exports: CSV and xlsx) and imports what the user picks;
/// an empty list when the picker is cancelled.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn pick_import_files(
    app: AppHandle,
    shell: State<'_, Arc<Shell>>,
) -> Result<Vec<ImportOutcome>, AppError> {
    // The blocking picker must not run on the main thread: this async command does not.
    let picked = app
        .dialog()
        .file()
        .add_filter("Alipay, WeChat Pay, JD, Meituan", &["csv", "xlsx"])
        .blocking_pick_files()
        .unwrap_or_default();
    let paths: Vec<PathBuf> = picked.into_iter().filter_map(|p| p.into_path().ok()).collect();
    if paths.is_empty() {
        return Ok(Vec::new());
    }
    import_and_tell(&app, &shell, &paths).await
}

/// The window's drag-and-drop handler: imports the dropped files and emits [`IMPORT_EVENT`].
pub fn on_window_event(window: &Window, event: &WindowEvent) {
    let WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) = event else { return };
    if paths.is_empty() {
        return;
    }

    let app = window.app_handle().clone();
    let paths = paths.clone();
    tauri::async_runtime::spawn(async move {
        let shell = app.state::<Arc<Shell>>().inner().clone();
        let _ = import_and_tell(&app, &shell, &paths).await;
    });
}

/// Imports `paths` and emits [`IMPORT_EVENT`]; when the cache itself fails, every file is
/// reported with that error.
async fn import_and_tell(
    app: &AppHandle,
    shell: &Shell,
    paths: &[PathBuf],
) -> Result<Vec<ImportOutcome>, AppError> {
    let result = import_paths(shell, paths).await;
    let outcomes = match &result {
        Ok(outcomes) => outcomes.clone(),
        Err(error) => paths
            .iter()
            .map(|p| ImportOutcome {
                file: p.display().to_string(),
                report: None,
                error: Some(error.clone()),
            })
            .collect(),
    };
    if let Err(e) = app.emit(IMPORT_EVENT, &outcomes) {
        tracing::warn!(error = %e, "import report not delivered");
    }
    result
}

async fn import_paths(shell: &Shell, paths: &[PathBuf]) -> Result<Vec<ImportOutcome>, AppError> {
    let cache = shell.cache().await?;

    let mut outcomes = Vec::with_capacity(paths.len());
    for path in paths {
        let file = path.display().to_string();
        let outcome = match import::import_file(&cache, path, Utc::now()).await {
            Ok(report) => ImportOutcome { file, report: Some(report), error: None },
            Err(error) => ImportOutcome { file, report: None, error: Some((&error).into()) },
        };
        outcomes.push(outcome);
    }

    let failed = outcomes.iter().filter(|o| o.error.is_some()).count();
    tracing::info!(import.files = paths.len(), import.failed = failed, "files imported");
    Ok(outcomes)
}
