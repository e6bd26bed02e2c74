//! The status area: mode, last sync, whether a sync runs.

use std::sync::Arc;

use greenmile_core::AppError;
use tauri::{AppHandle, State};

use crate::shell::{AppStatus, Shell};

/// What the status area shows, with the app's version for About.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn app_status(
    app: AppHandle,
    shell: State<'_, Arc<Shell>>,
) -> Result<AppStatus, AppError> {
    shell.status(app.package_info().version.to_string()).await
}
