//! The Green API over HTTP.
//!
//! [`GreenApi`] checks the base URL once (HTTPS, or plain HTTP to a loopback address only),
//! then reads feed pages. Every answer is checked against the contract before anything else
//! sees it: the status, the media type, a size limit, and the JSON shape. What fails becomes a
//! [`CoreError`] with a code the UI can explain; nothing half-read reaches the cache.

use std::net::IpAddr;
use std::time::Duration;

use greenmile_api::{Health, PROBLEM_JSON};
use serde::de::DeserializeOwned;
use url::Url;

use crate::error::{CoreError, Result};

/// The largest response body accepted; a full page of 1,000 bills is about 300 KB.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// The most redirects followed for one request.
const MAX_REDIRECTS: usize = 5;

/// How long to wait for a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a whole request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A client of one Green API server.
#[derive(Debug, Clone)]
pub struct GreenApi {
    http: reqwest::Client,
    base: Url,
}

impl GreenApi {
    /// A client for the server at `base_url` (for example `https://api.example.com/`).
    pub fn new(base_url: &str) -> Result<Self> {
        let mut base = Url::parse(base_url)
            .map_err(|e| CoreError::InvalidUrl(format!("{base_url:?} is not a URL ({e})")))?;
        if !base.username().is_empty() || base.password().is_some() {
            return Err(CoreError::InvalidUrl(
                "the address holds a user name or password; give the server's address alone \
                 (GreenMile signs in separately and never keeps credentials in a URL)"
                    .to_owned(),
            ));
        }
        check_scheme(&base)?;
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }

        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("greenmile/", env!("CARGO_PKG_VERSION")))
            // Every hop of a redirect must pass the same rule as the base URL, or plain HTTP
            // could leave loopback through a 302.
            .redirect(reqwest::redirect::Policy::custom(|attempt| {
                if attempt.previous().len() >= MAX_REDIRECTS {
                    attempt.error("too many redirects")
                } else if check_scheme(attempt.url()).is_err() {
                    let to = attempt.url().to_string();
                    attempt.error(format!("refused a redirect to {to}: not HTTPS or loopback"))
                } else {
                    attempt.follow()
                }
            }))
            .build()
            .map_err(|e| CoreError::InvalidInput(format!("cannot set up HTTP: {e}")))?;

        Ok(Self { http, base })
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// `GET /v1/health`.
    pub async fn health(&self) -> Result<Health> {
        self.get("v1/health", &[]).await
    }

    /// One page of `collection`'s feed (`bills`, `offers` or `carbon`) after `cursor`.
    pub async fn page<T: DeserializeOwned>(
        &self,
        collection: &str,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<T> {
        let limit = limit.to_string();
        let mut query = vec![("limit", limit.as_str())];
        if let Some(cursor) = cursor {
            query.push(("cursor", cursor));
        }
        self.get(&format!("v1/{collection}"), &query).await
    }

    async fn get<T: DeserializeOwned>(&self, path: &str, query: &[(&str, &str)]) -> Result<T> {
        let url =
            self.base.join(path).map_err(|e| CoreError::InvalidUrl(format!("{path}: {e}")))?;
        let unreachable = |e: reqwest::Error| {
            if e.is_redirect() {
                return CoreError::BadResponse(describe(&e));
            }
            CoreError::Unreachable { url: self.base.to_string(), reason: describe(&e) }
        };

        let mut response = self.http.get(url).query(query).send().await.map_err(unreachable)?;
        let status = response.status();
        let media_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
            .unwrap_or_default();
        if let Some(length) = response.content_length() {
            if length > MAX_BODY_BYTES as u64 {
                return Err(CoreError::BadResponse(format!(
                    "the body is {length} bytes, over the limit of {MAX_BODY_BYTES}"
                )));
            }
        }

        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(unreachable)? {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(CoreError::BadResponse(format!(
                    "the body is over the limit of {MAX_BODY_BYTES} bytes"
                )));
            }
            body.extend_from_slice(&chunk);
        }

        if !status.is_success() {
            return Err(server_error(status.as_u16(), &media_type, &body));
        }
        if media_type != "application/json" {
            return Err(CoreError::BadResponse(format!(
                "expected application/json, got {:?}",
                if media_type.is_empty() { "no content type" } else { media_type.as_str() }
            )));
        }
        serde_json::from_slice(&body)
            .map_err(|e| CoreError::BadResponse(format!("{path}: the JSON does not fit: {e}")))
    }
}

/// HTTPS anywhere; plain HTTP only to loopback, where nothing crosses a network.
fn check_scheme(url: &Url) -> Result<()> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        "http" => Err(CoreError::InvalidUrl(format!(
            "{url} uses plain HTTP; use https:// (plain HTTP is allowed only for 127.0.0.1, \
             [::1] and localhost)"
        ))),
        other => Err(CoreError::InvalidUrl(format!("{url}: the scheme {other:?} is not HTTP(S)"))),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// A problem document read leniently: a server may use codes this client does not know.
#[derive(serde::Deserialize)]
struct AnyProblem {
    title: Option<String>,
    detail: Option<String>,
    code: Option<String>,
}

/// The error for a non-success status: the problem document's code where there is one.
fn server_error(status: u16, media_type: &str, body: &[u8]) -> CoreError {
    if media_type == PROBLEM_JSON {
        if let Ok(problem) = serde_json::from_slice::<AnyProblem>(body) {
            let detail =
                problem.detail.or(problem.title).unwrap_or_else(|| format!("HTTP status {status}"));
            let detail: String = detail.chars().take(200).collect();
            return CoreError::Server { status, code: problem.code, detail };
        }
    }
    let text = String::from_utf8_lossy(body);
    let detail: String = text.chars().take(200).collect();
    CoreError::Server { status, code: None, detail }
}

/// The innermost cause of an HTTP error, which says more than reqwest's own wording.
fn describe(error: &reqwest::Error) -> String {
    let mut source: &dyn std::error::Error = error;
    while let Some(inner) = source.source() {
        source = inner;
    }
    if error.is_timeout() { format!("timed out ({source})") } else { source.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_refused_off_loopback() {
        let err = GreenApi::new("http://api.example.com/").unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::InvalidInput, "plain HTTP off loopback");
        assert!(err.to_string().contains("https://"), "the error says what to use instead");
    }

    #[test]
    fn loopback_http_and_https_are_accepted() {
        for url in
            ["http://127.0.0.1:8080", "http://localhost:1/", "http://[::1]:9/", "https://x.org"]
        {
            assert!(GreenApi::new(url).is_ok(), "{url} is an acceptable base URL");
        }
    }

    #[test]
    fn base_url_gains_a_trailing_slash_so_paths_join_below_it() {
        let api = GreenApi::new("https://host.example/green").unwrap();
        assert_eq!(
            api.base_url().join("v1/bills").unwrap().as_str(),
            "https://host.example/green/v1/bills"
        );
    }
}
