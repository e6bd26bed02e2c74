//! The offer list.

use std::sync::Arc;

use greenmile_core::AppError;
use greenmile_core::db::offers::OfferRow;
use tauri::State;

use crate::shell::Shell;

/// Every cached offer with its plans worked out.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn offers(shell: State<'_, Arc<Shell>>) -> Result<Vec<OfferRow>, AppError> {
    let cache = shell.cache().await?;
    Ok(greenmile_core::db::offers::list(cache.pool()).await?)
}
