//! Carbon figures, explained.

use std::sync::Arc;

use greenmile_core::AppError;
use greenmile_core::carbon::explain::{self, CarbonExplanation};
use tauri::State;

use crate::shell::Shell;

/// How one bill's carbon figure was computed, recomputed from the cache: method, inputs,
/// factors with their sources, baseline, arithmetic, and both figures when they differ.
#[tauri::command]
#[tracing::instrument(skip_all, fields(bill.id = %bill_id))]
pub async fn carbon_explain(
    shell: State<'_, Arc<Shell>>,
    bill_id: String,
) -> Result<CarbonExplanation, AppError> {
    let cache = shell.cache().await?;
    Ok(explain::explain_bill(cache.pool(), &bill_id).await?)
}
