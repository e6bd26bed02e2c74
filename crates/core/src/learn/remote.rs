//! The catalogue from the Green API: fetched with its ETag, kept in the cache, and used in
//! place of the bundled one once it has arrived and passed the same checks as the files.
//!
//! Offline, or before the first fetch, the bundled catalogue serves; a catalogue that fails
//! its checks is logged and ignored, so bad content from a server never breaks a quiz.

use std::borrow::Cow;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use reqwest::header::{ETAG, IF_NONE_MATCH};

use super::content::{Catalog, bundled};
use crate::db::{instant_text, learn_catalog};
use crate::error::{CoreError, Result};
use crate::{Cache, GreenApi};

/// How long a catalogue request may take.
const TIMEOUT: Duration = Duration::from_secs(20);

/// What a refresh found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogRefresh {
    /// The server's catalogue is the one already held (304).
    Unchanged,
    /// A new catalogue was stored.
    Updated,
}

/// The catalogue to use: the one the Green API sent, when it passes its checks, else the
/// bundled one.
pub async fn active_catalog(cache: &Cache) -> Result<Cow<'static, Catalog>> {
    let Some((version, body)) = learn_catalog::get(cache.pool()).await? else {
        return Ok(Cow::Borrowed(bundled()));
    };
    match serde_json::from_str::<Catalog>(&body) {
        Ok(catalog) if catalog.check().is_empty() => Ok(Cow::Owned(catalog)),
        Ok(catalog) => {
            let problems = catalog.check();
            tracing::warn!(learn.version = %version, problems = problems.len(), "stored catalogue fails its checks; using the bundled one");
            Ok(Cow::Borrowed(bundled()))
        }
        Err(error) => {
            tracing::warn!(learn.version = %version, error = %error, "stored catalogue unreadable; using the bundled one");
            Ok(Cow::Borrowed(bundled()))
        }
    }
}

/// Asks the Green API for its catalogue, sending the held version as If-None-Match, and
/// stores a new one. A catalogue that fails its checks is refused and nothing is stored.
pub async fn refresh_catalog(
    cache: &Cache,
    api: &GreenApi,
    now: DateTime<Utc>,
) -> Result<CatalogRefresh> {
    let url = api
        .base_url()
        .join("v1/learn/catalog")
        .map_err(|e| CoreError::InvalidUrl(e.to_string()))?;
    let held = match learn_catalog::get(cache.pool()).await? {
        Some((version, _)) => version,
        None => bundled().version.clone(),
    };

    let unreachable =
        |e: reqwest::Error| CoreError::Unreachable { url: url.to_string(), reason: e.to_string() };
    // The API's own client: building one per sync cost ~100 ms (TLS roots, a new connection).
    let response = api
        .http()
        .get(url.clone())
        .timeout(TIMEOUT)
        .header(IF_NONE_MATCH, format!("\"{held}\""))
        .send()
        .await
        .map_err(unreachable)?;

    match response.status() {
        StatusCode::NOT_MODIFIED => return Ok(CatalogRefresh::Unchanged),
        StatusCode::OK => {}
        status => {
            return Err(CoreError::Server {
                status: status.as_u16(),
                code: None,
                detail: "the catalogue could not be fetched".to_owned(),
            });
        }
    }
    let etag = response.headers().get(ETAG).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let body = response.text().await.map_err(unreachable)?;

    let catalog: Catalog = serde_json::from_str(&body)
        .map_err(|e| CoreError::BadResponse(format!("the catalogue is not valid JSON: {e}")))?;
    if let Some(problem) = catalog.check().first() {
        return Err(CoreError::BadResponse(format!("the catalogue fails its checks: {problem}")));
    }
    if etag.as_deref().map(|t| t.trim_start_matches("W/").trim_matches('"'))
        != Some(catalog.version.as_str())
    {
        return Err(CoreError::BadResponse("the catalogue's ETag is not its version".to_owned()));
    }
    if catalog.version == held {
        return Ok(CatalogRefresh::Unchanged);
    }

    learn_catalog::put(cache.pool(), &catalog.version, &body, &instant_text(now)).await?;
    tracing::info!(learn.version = %catalog.version, "catalogue updated from the Green API");
    Ok(CatalogRefresh::Updated)
}
