//! Sync on demand.

use std::sync::Arc;

use greenmile_core::{AppError, SyncReport};
use tauri::{AppHandle, State};

use crate::shell::Shell;

/// Syncs now; progress arrives as `sync://progress` events.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn sync_now(
    app: AppHandle,
    shell: State<'_, Arc<Shell>>,
) -> Result<SyncReport, AppError> {
    shell.sync(&app).await
}
