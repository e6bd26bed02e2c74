//! Offers: the list, one offer's schedules, a comparison, and the instalment calculator.

use std::sync::Arc;

use chrono::{Months, Utc};
use greenmile_core::AppError;
use greenmile_core::db::offers::{self, OfferDetail, OfferRow};
use greenmile_core::instalment::{self, CalcRequest, ComparisonRow, PlanDetail};
use serde::{Deserialize, Serialize};
use tauri::State;
use ts_rs::TS;

use crate::shell::Shell;

/// Every cached offer with its plans worked out, valid ones first.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn offers(shell: State<'_, Arc<Shell>>) -> Result<Vec<OfferRow>, AppError> {
    let cache = shell.cache().await?;
    Ok(offers::list(cache.pool(), Utc::now()).await?)
}

/// One offer with every plan's schedule, the first instalment a month from today.
#[tauri::command]
#[tracing::instrument(skip_all, fields(offer.id = %id))]
pub async fn offer_detail(
    shell: State<'_, Arc<Shell>>,
    id: String,
) -> Result<OfferDetail, AppError> {
    let cache = shell.cache().await?;
    let today = chrono::Local::now().date_naive();
    let first_due = today.checked_add_months(Months::new(1)).unwrap_or(today);

    offers::detail(cache.pool(), &id, first_due).await?.ok_or_else(|| AppError {
        code: greenmile_core::ErrorCode::InvalidInput,
        message: format!("there is no offer {id:?} in the cache"),
    })
}

/// One plan chosen for a comparison: an offer and the index of one of its plans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlanPick {
    /// The offer's id.
    pub offer_id: String,
    /// The plan's position in the offer's list, from 0.
    pub plan: u32,
}

/// 2 to 4 plans side by side, cheapest in total first.
#[tauri::command]
#[tracing::instrument(skip_all, fields(picks = picks.len()))]
pub async fn compare_plans(
    shell: State<'_, Arc<Shell>>,
    picks: Vec<PlanPick>,
) -> Result<Vec<ComparisonRow>, AppError> {
    let cache = shell.cache().await?;
    let picks: Vec<(String, usize)> =
        picks.into_iter().map(|p| (p.offer_id, p.plan as usize)).collect();
    Ok(offers::compare(cache.pool(), &picks).await?)
}

/// Any plan's schedule and true cost, without an offer.
#[tauri::command]
#[tracing::instrument(skip_all, fields(calc.method = ?request.method, calc.months = request.months))]
pub async fn instalment_calc(request: CalcRequest) -> Result<PlanDetail, AppError> {
    Ok(instalment::calculate(&request, chrono::Local::now().date_naive())?)
}
