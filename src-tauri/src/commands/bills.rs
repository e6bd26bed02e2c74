//! The bill list.

use std::sync::Arc;

use greenmile_core::AppError;
use greenmile_core::dashboard::system_time_zone;
use greenmile_core::db::bills::{BillList, BillQuery};
use tauri::State;

use crate::shell::Shell;

/// A page of bills, newest first; the core checks the limit and the month.
#[tauri::command]
#[tracing::instrument(skip_all, fields(bills.offset = query.offset, bills.limit = query.limit))]
pub async fn bills(shell: State<'_, Arc<Shell>>, query: BillQuery) -> Result<BillList, AppError> {
    let cache = shell.cache().await?;
    Ok(greenmile_core::db::bills::list(cache.pool(), &query, system_time_zone()).await?)
}
