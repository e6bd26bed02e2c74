//! The user's settings: written on this device first, then delivered to the server.
//!
//! [`set`] stores the value and enqueues a `setting` write in one transaction, so the change
//! survives a restart and reaches the server exactly once in effect with the next sync.

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use greenmile_api::SettingPayload;
use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteConnectOptions;
use ts_rs::TS;

use crate::db::Cache;
use crate::error::{CoreError, Result};
use crate::outbox;

/// A setting as this device holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Setting {
    /// Its name.
    pub key: String,
    /// Its value.
    pub value: String,
    /// When it was last written here (UTC text).
    pub updated_at: String,
    /// Whether a write of it still waits to reach the server.
    pub pending: bool,
}

/// Sets `key` to `value` here and enqueues the write under `idempotency_key`.
pub async fn set(
    cache: &Cache,
    key: &str,
    value: &str,
    idempotency_key: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    let payload = SettingPayload { key: key.to_owned(), value: value.to_owned() };
    payload.check().map_err(CoreError::InvalidInput)?;
    check_known(key, value).map_err(CoreError::InvalidInput)?;
    let json = serde_json::to_value(&payload)
        .map_err(|e| CoreError::InvalidInput(format!("setting {key}: {e}")))?;

    let mut tx = cache.begin_write().await?;
    crate::db::settings::put(&mut tx, key, value, at).await?;
    outbox::enqueue(&mut tx, "setting", idempotency_key, &json, at).await?;
    tx.commit().await?;
    tracing::info!(setting.key = key, "setting written");
    Ok(())
}

/// The settings this app reads itself, checked before they are kept and sent: a locale it
/// has messages for, an ISO 4217 currency code, an IANA time zone. Other keys pass as they
/// are (the server keeps what it is given).
fn check_known(key: &str, value: &str) -> std::result::Result<(), String> {
    let fine = match key {
        "locale" => matches!(value, "zh-CN" | "en"),
        "currency" => value.len() == 3 && value.bytes().all(|b| b.is_ascii_uppercase()),
        "time_zone" => value.parse::<chrono_tz::Tz>().is_ok(),
        _ => true,
    };
    if fine {
        return Ok(());
    }
    Err(match key {
        "locale" => format!("locale must be zh-CN or en, not {value:?}"),
        "currency" => format!("currency must be a three-letter code such as CNY, not {value:?}"),
        _ => format!("time_zone must be a zone such as Asia/Shanghai, not {value:?}"),
    })
}

/// The value of `key` in the cache file at `path`, read without creating, migrating or writing
/// anything: for a choice a program needs before it opens the cache, or when it never does
/// (the language of its messages, errors included). `None` when there is no cache file, no
/// such setting, or the file cannot be read; the caller then falls back to its default.
pub async fn peek(path: &Path, key: &str) -> Option<String> {
    use sqlx::Connection as _;

    if !path.is_file() {
        return None;
    }
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .busy_timeout(Duration::from_millis(500));
    let mut conn = sqlx::SqliteConnection::connect_with(&options).await.ok()?;
    let value = crate::db::settings::get(&mut conn, key).await.ok().flatten();
    let _ = conn.close().await;
    value
}

/// Every setting, by name, with whether its last write still waits for the server.
pub async fn list(cache: &Cache) -> Result<Vec<Setting>> {
    let rows = crate::db::settings::list(cache.pool()).await?;
    Ok(rows
        .into_iter()
        .map(|(key, value, updated_at, pending)| Setting { key, value, updated_at, pending })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::check_known;

    #[test]
    fn the_settings_the_app_reads_are_checked() {
        assert_eq!(check_known("locale", "zh-CN"), Ok(()));
        assert_eq!(check_known("locale", "en"), Ok(()));
        assert_eq!(
            check_known("locale", "fr"),
            Err("locale must be zh-CN or en, not \"fr\"".to_owned())
        );
        assert!(check_known("locale", "").is_err(), "an empty locale");
        assert_eq!(check_known("currency", "USD"), Ok(()));
        assert!(check_known("currency", "usd").is_err(), "lower case");
        assert!(check_known("currency", "¥").is_err());
        assert_eq!(check_known("time_zone", "Asia/Shanghai"), Ok(()));
        assert!(check_known("time_zone", "Mars/Olympus").is_err());
        assert_eq!(check_known("notify.enabled", "anything"), Ok(()), "not one of them");
    }
}
