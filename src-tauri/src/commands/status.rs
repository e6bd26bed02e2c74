//! The status area: mode, last sync, whether a sync runs.

use std::sync::Arc;

use greenmile_core::AppError;
use tauri::State;

use crate::shell::{AppStatus, Shell};

/// What the status area shows.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn app_status(shell: State<'_, Arc<Shell>>) -> Result<AppStatus, AppError> {
    shell.status().await
}
