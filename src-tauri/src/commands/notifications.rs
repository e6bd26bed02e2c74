//! Native notifications, opt-in: a badge earned, and an instalment due within a few days.
//!
//! They are off until the user turns them on in Settings; the choice is a setting in the cache
//! (`notify.enabled`), so it is saved with the others. They are sent from Rust through
//! tauri-plugin-notification; the UI holds no notification permission. The text follows the
//! language setting the UI saved (`locale`), Chinese or English.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use chrono::{Duration, Local, NaiveDate, Utc};
use greenmile_core::dashboard::UpcomingPayment;
use greenmile_core::{AppError, Cache, settings};
use tauri::{AppHandle, State};
use tauri_plugin_notification::NotificationExt;

use crate::shell::Shell;

/// The setting that turns notifications on (`on`); anything else, or none, is off.
pub const SETTING: &str = "notify.enabled";

/// How many days ahead an instalment is announced.
const DUE_WITHIN_DAYS: i64 = 3;

/// Which instalments were announced in this run, so a sync every few minutes does not repeat
/// them.
// TODO(notify): the announced instalments are remembered only while the app runs; after a
// restart one still due is announced again. A table of sent notifications would fix it.
#[derive(Debug, Default)]
pub struct Announced(Mutex<HashSet<(String, u32)>>);

/// Whether notifications are on.
pub async fn enabled(cache: &Cache) -> bool {
    setting(cache, SETTING).await.as_deref() == Some("on")
}

async fn setting(cache: &Cache, key: &str) -> Option<String> {
    let all = settings::list(cache).await.ok()?;
    all.into_iter().find(|s| s.key == key).map(|s| s.value)
}

async fn chinese(cache: &Cache) -> bool {
    setting(cache, "locale").await.is_some_and(|l| l.starts_with("zh"))
}

/// Whether notifications are on.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn notifications_enabled(shell: State<'_, Arc<Shell>>) -> Result<bool, AppError> {
    Ok(enabled(&shell.cache().await?).await)
}

/// Turns notifications on or off; saved like every setting.
#[tauri::command]
#[tracing::instrument(skip_all, fields(notify.enabled = enabled))]
pub async fn set_notifications(
    shell: State<'_, Arc<Shell>>,
    enabled: bool,
) -> Result<bool, AppError> {
    let cache = shell.cache().await?;
    let value = if enabled { "on" } else { "off" };
    let key = format!("notify-{}", uuid::Uuid::new_v4());
    settings::set(&cache, SETTING, value, &key, Utc::now()).await?;
    Ok(enabled)
}

/// Announces `badges` (their ids), when notifications are on.
pub async fn badges_earned(app: &AppHandle, cache: &Cache, badges: &[String]) {
    if badges.is_empty() || !enabled(cache).await {
        return;
    }
    let zh = chinese(cache).await;
    for badge in badges {
        let (title, body) = if zh {
            ("获得新徽章".to_owned(), format!("你获得了徽章 {badge}。在“徽章”中查看。"))
        } else {
            ("New badge".to_owned(), format!("You earned the {badge} badge. See it under Badges."))
        };
        show(app, &title, &body);
    }
}

/// Announces the next instalment when it is due within a few days, once per run, when
/// notifications are on.
pub async fn instalment_due(app: &AppHandle, cache: &Cache, announced: &Announced) {
    if !enabled(cache).await {
        return;
    }
    let today = Local::now().date_naive();
    let next = greenmile_core::dashboard::next_payment(cache.pool(), today).await;
    let Ok(Some(payment)) = next else { return };
    if !due_soon(&payment, today) {
        return;
    }
    let fresh = announced
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert((payment.bill_id.clone(), payment.number));
    if !fresh {
        return;
    }

    let amount = decimal(payment.amount.minor, &payment.amount.currency);
    let (title, body) = if chinese(cache).await {
        (
            "分期即将到期".to_owned(),
            format!(
                "{} 第 {}/{} 期 {} {}，{} 到期。",
                payment.item,
                payment.number,
                payment.months,
                amount,
                payment.amount.currency,
                payment.due
            ),
        )
    } else {
        (
            "Instalment due soon".to_owned(),
            format!(
                "{} {} for {} ({} of {}) is due on {}.",
                payment.amount.currency,
                amount,
                payment.item,
                payment.number,
                payment.months,
                payment.due
            ),
        )
    };
    show(app, &title, &body);
}

/// `minor` units of `currency` as decimal text, exactly: 123456 fen is "1234.56".
fn decimal(minor: i64, currency: &str) -> String {
    let digits = greenmile_core::money::minor_digits(currency);
    let scale = 10_i64.pow(digits);
    match digits {
        0 => minor.to_string(),
        _ => format!("{}.{:0width$}", minor / scale, minor % scale, width = digits as usize),
    }
}

/// Whether `payment` falls due between `today` and a few days on.
fn due_soon(payment: &UpcomingPayment, today: NaiveDate) -> bool {
    payment.due >= today && payment.due <= today + Duration::days(DUE_WITHIN_DAYS)
}

fn show(app: &AppHandle, title: &str, body: &str) {
    if let Err(error) = app.notification().builder().title(title).body(body).show() {
        tracing::warn!(error = %error, "a notification could not be shown");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_exactly_in_their_currencys_units() {
        assert_eq!(decimal(123_456, "CNY"), "1234.56");
        assert_eq!(decimal(5, "CNY"), "0.05");
        assert_eq!(decimal(1200, "JPY"), "1200");
    }
}
