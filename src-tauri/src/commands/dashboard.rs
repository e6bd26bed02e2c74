//! The dashboard's figures.

use std::sync::Arc;

use greenmile_core::AppError;
use greenmile_core::dashboard::{Dashboard, system_time_zone};
use tauri::State;

use crate::shell::Shell;

/// Green spend and carbon saved, this month, by month and by category.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn dashboard(shell: State<'_, Arc<Shell>>) -> Result<Dashboard, AppError> {
    let cache = shell.cache().await?;
    // TODO(zone-setting): the screens print times in the webview's zone, which is the
    // system's, so the app takes months in it too; the `time_zone` setting is honoured by the
    // CLI only until the screens format times in the zone the core chose.
    Ok(greenmile_core::dashboard::dashboard(cache.pool(), chrono::Utc::now(), system_time_zone())
        .await?)
}
