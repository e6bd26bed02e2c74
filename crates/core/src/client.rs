//! The Green API over HTTP.
//!
//! [`GreenApi`] checks the base URL once (HTTPS, or plain HTTP to a loopback address only),
//! then reads feed pages and delivers writes. Every answer is checked against the contract
//! before anything else sees it: the status, the media type, a size limit, and the JSON shape.
//! What fails becomes a [`CoreError`] with a code the UI can explain; nothing half-read reaches
//! the cache.
//!
//! Requests that may pass on a second try (a dropped connection, a timeout, 429, 500, 502, 503,
//! 504) are retried under a [`RetryPolicy`], but only when repeating them cannot change
//! anything twice: reads, and writes that carry an idempotency key. Every call can be
//! cancelled by dropping its future; nothing is committed by this module.
//!
//! A client made [`GreenApi::with_session`] signs its requests with the session's access token
//! (`Authorization: Bearer`). When the server answers 401, it trades the refresh token for a
//! new pair once, hands the new refresh token to the session's save hook, and sends the request
//! again; a second 401 means the sign-in is over ([`CoreError::SignInRequired`]). Refreshing is
//! never retried blindly: the server spends a refresh token on first use, and showing it again
//! would end the sign-in. TLS uses rustls with the webpki roots only: a self-signed certificate
//! or one for another host is refused ([`CoreError::CertificateRefused`]) and never retried.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use greenmile_api::writes::IDEMPOTENCY_KEY;
use greenmile_api::{
    LoginRequest, Me, PROBLEM_JSON, RefreshRequest, STORE_ID_HEADER, TokenPair, WriteAck,
    WriteRequest,
};
use reqwest::header::{ETAG, HeaderMap, IF_NONE_MATCH, RETRY_AFTER};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use url::Url;

use crate::auth::{SaveRefresh, Session};
use crate::error::{CoreError, Result};
use crate::retry::{RetryPolicy, parse_retry_after};

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
    retry: RetryPolicy,
    rng: Arc<Mutex<fastrand::Rng>>,
    requests: Arc<AtomicU64>,
    auth: Option<Arc<SignedIn>>,
}

/// The sign-in a client acts under. The lock is held across a refresh, so concurrent requests
/// that meet a 401 together refresh once.
struct SignedIn {
    session: tokio::sync::Mutex<Session>,
    save: Option<SaveRefresh>,
}

impl std::fmt::Debug for SignedIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SignedIn { .. }")
    }
}

/// One answer of a feed: a page, or word that nothing changed.
#[derive(Debug)]
pub struct FeedAnswer<T> {
    /// The id of the store the server serves (the `Green-Store-Id` header).
    pub store_id: String,
    /// The feed's state, to send back as `If-None-Match` once the feed is read to its end.
    pub etag: Option<String>,
    /// The page; `None` when the server answered `304 Not Modified`.
    pub page: Option<T>,
}

/// An answer read in full, before it is interpreted.
struct Answer {
    status: u16,
    headers: HeaderMap,
    media_type: String,
    body: Vec<u8>,
}

/// Why one try failed, and whether another may pass.
enum Failure {
    /// Worth another try, after the server's `Retry-After` if it gave one.
    Transient(CoreError, Option<Duration>),
    /// Final.
    Permanent(CoreError),
}

impl GreenApi {
    /// A client for the server at `base_url` (for example `https://api.example.com/`), with
    /// the default retry policy.
    pub fn new(base_url: &str) -> Result<Self> {
        Self::with_retry(base_url, RetryPolicy::default(), fastrand::u64(..))
    }

    /// A client that retries under `retry`, drawing its jitter from a generator seeded with
    /// `seed`.
    pub fn with_retry(base_url: &str, retry: RetryPolicy, seed: u64) -> Result<Self> {
        Self::build(base_url, retry, seed, reqwest::Client::builder())
    }

    fn build(
        base_url: &str,
        retry: RetryPolicy,
        seed: u64,
        http: reqwest::ClientBuilder,
    ) -> Result<Self> {
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

        let http = http
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

        Ok(Self {
            http,
            base,
            retry,
            rng: Arc::new(Mutex::new(fastrand::Rng::with_seed(seed))),
            requests: Arc::new(AtomicU64::new(0)),
            auth: None,
        })
    }

    /// This client, signing its requests with `session`; `save` is called with every new
    /// refresh token the server hands out (pass `None` where the sign-in lives in memory only,
    /// as in demo mode).
    pub fn with_session(mut self, session: Session, save: Option<SaveRefresh>) -> Self {
        self.auth = Some(Arc::new(SignedIn { session: tokio::sync::Mutex::new(session), save }));
        self
    }

    /// This client with another retry policy and jitter seed.
    pub fn retrying(mut self, retry: RetryPolicy, seed: u64) -> Self {
        self.retry = retry;
        self.rng = Arc::new(Mutex::new(fastrand::Rng::with_seed(seed)));
        self
    }

    /// `POST /v1/auth/login`: signs in and returns the new session. Not retried: a wrong
    /// password must not count twice against the sign-in limit.
    pub async fn login(&self, email: &str, password: &SecretString) -> Result<Session> {
        let url = self.url("v1/auth/login")?;
        let body =
            LoginRequest { email: email.to_owned(), password: password.expose_secret().to_owned() };
        let answer = self.send_retrying(|| self.http.post(url.clone()).json(&body), false).await?;
        let pair: TokenPair = json(&answer, "v1/auth/login")?;
        tracing::info!(user.id = pair.user.user_id, "signed in");
        Ok(Session::from(pair))
    }

    /// `POST /v1/auth/logout`: ends this client's sign-in on the server.
    pub async fn logout(&self) -> Result<()> {
        let url = self.url("v1/auth/logout")?;
        self.send(|| self.http.post(url.clone()), false).await?;
        Ok(())
    }

    /// `GET /v1/me`: the signed-in account.
    pub async fn me(&self) -> Result<Me> {
        let url = self.url("v1/me")?;
        let answer = self.send(|| self.http.get(url.clone()), true).await?;
        let me: Me = json(&answer, "v1/me")?;
        if let Some(auth) = &self.auth {
            auth.session.lock().await.user = Some(me.clone());
        }
        Ok(me)
    }

    /// The current refresh token of this client's sign-in, if it has one.
    pub async fn refresh_token(&self) -> Option<SecretString> {
        match &self.auth {
            Some(auth) => auth.session.lock().await.refresh.clone(),
            None => None,
        }
    }

    /// The HTTP client behind every request of this API (one connection pool, one set of TLS
    /// roots), for requests outside the feeds such as the catalogue's.
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// HTTP requests sent so far by this client and its clones, retries included.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }

    /// `GET /v1/health`.
    pub async fn health(&self) -> Result<greenmile_api::Health> {
        let url = self.url("v1/health")?;
        let answer = self.send(|| self.http.get(url.clone()), true).await?;
        json(&answer, "v1/health")
    }

    /// One page of `collection`'s feed (`bills`, `offers` or `carbon`) after `cursor`; with
    /// `etag`, the server answers `304` (no page) while the feed is still in that state.
    pub async fn page<T: DeserializeOwned>(
        &self,
        collection: &str,
        cursor: Option<&str>,
        limit: u32,
        etag: Option<&str>,
    ) -> Result<FeedAnswer<T>> {
        let path = format!("v1/{collection}");
        let url = self.url(&path)?;
        let limit = limit.to_string();
        let mut query = vec![("limit", limit.as_str())];
        if let Some(cursor) = cursor {
            query.push(("cursor", cursor));
        }
        let request = || {
            let request = self.http.get(url.clone()).query(&query);
            match etag {
                Some(tag) => request.header(IF_NONE_MATCH, tag),
                None => request,
            }
        };
        let answer = self.send(request, true).await?;

        let header = |name| answer.headers.get(name).and_then(|v| v.to_str().ok());
        let store_id = header(STORE_ID_HEADER)
            .filter(|id| !id.is_empty() && id.len() <= 128)
            .ok_or_else(|| {
                CoreError::BadResponse(format!("{path}: no usable {STORE_ID_HEADER} header"))
            })?
            .to_owned();
        let etag = header(ETAG.as_str()).map(str::to_owned);
        let page = if answer.status == 304 { None } else { Some(json(&answer, &path)?) };
        Ok(FeedAnswer { store_id, etag, page })
    }

    /// Delivers one write under its idempotency key; retried like a read, since the key makes a
    /// repeat harmless. Returns the server's answer and the store id it named, if any.
    pub async fn write(
        &self,
        key: &str,
        request: &WriteRequest,
    ) -> Result<(WriteAck, Option<String>)> {
        let url = self.url("v1/writes")?;
        let build = || self.http.post(url.clone()).header(IDEMPOTENCY_KEY, key).json(request);
        let answer = self.send(build, true).await?;
        let ack: WriteAck = json(&answer, "v1/writes")?;
        if ack.key != key {
            return Err(CoreError::BadResponse(format!(
                "v1/writes: the answer names the key {:?}, not the one sent",
                ack.key
            )));
        }
        let store_id =
            answer.headers.get(STORE_ID_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
        Ok((ack, store_id))
    }

    fn url(&self, path: &str) -> Result<Url> {
        self.base.join(path).map_err(|e| CoreError::InvalidUrl(format!("{path}: {e}")))
    }

    /// Sends the request `build` makes as [`Self::send_retrying`] does, signed with the
    /// session's access token when there is a session; on 401 the tokens are refreshed once
    /// and the request sent again.
    async fn send(
        &self,
        build: impl Fn() -> reqwest::RequestBuilder,
        retryable: bool,
    ) -> Result<Answer> {
        let Some(auth) = &self.auth else { return self.send_retrying(build, retryable).await };
        let mut refreshed = false;
        loop {
            let used = self.access_token(auth).await?;
            let signed = || build().bearer_auth(used.expose_secret());
            match self.send_retrying(signed, retryable).await {
                Err(CoreError::SignInRequired(_)) if !refreshed => {
                    refreshed = true;
                    self.refresh(auth, Some(&used)).await?;
                }
                other => return other,
            }
        }
    }

    /// The session's access token, refreshing first when it has none yet.
    async fn access_token(&self, auth: &SignedIn) -> Result<SecretString> {
        if let Some(token) = auth.session.lock().await.access.clone() {
            return Ok(token);
        }
        self.refresh(auth, None).await?;
        auth.session
            .lock()
            .await
            .access
            .clone()
            .ok_or_else(|| CoreError::SignInRequired("the server gave no access token".to_owned()))
    }

    /// Trades the refresh token for a new pair, unless another request already replaced the
    /// access token `used` while this one waited for the lock.
    async fn refresh(&self, auth: &SignedIn, used: Option<&SecretString>) -> Result<()> {
        let mut session = auth.session.lock().await;
        let current = session.access.as_ref().map(|t| t.expose_secret().to_owned());
        if current.is_some() && current.as_deref() != used.map(|t| t.expose_secret()) {
            return Ok(());
        }
        let refresh = session.refresh.clone().ok_or_else(|| {
            CoreError::SignInRequired("this sign-in cannot be renewed; sign in again".to_owned())
        })?;

        let url = self.url("v1/auth/refresh")?;
        let body = RefreshRequest { refresh_token: refresh.expose_secret().to_owned() };
        let answer = self.send_retrying(|| self.http.post(url.clone()).json(&body), false).await;
        let pair: TokenPair = match answer {
            Ok(answer) => json(&answer, "v1/auth/refresh")?,
            Err(error) => {
                if matches!(error, CoreError::SignInRequired(_)) {
                    // The sign-in is over; keep nothing that looks like it still works.
                    session.access = None;
                    session.refresh = None;
                }
                return Err(error);
            }
        };
        let next = Session::from(pair);
        if let (Some(save), Some(token)) = (&auth.save, &next.refresh) {
            save(token.clone()).await?;
        }
        tracing::debug!("tokens refreshed");
        *session = next;
        Ok(())
    }

    /// Sends the request `build` makes, again after a wait while a try fails in a way that
    /// may pass and `retryable` allows it, and returns the answer read in full. Statuses other
    /// than success and 304 become errors.
    async fn send_retrying(
        &self,
        build: impl Fn() -> reqwest::RequestBuilder,
        retryable: bool,
    ) -> Result<Answer> {
        let mut retry = 0;
        loop {
            let (error, retry_after) = match self.try_once(build()).await {
                Ok(answer) => return Ok(answer),
                Err(Failure::Permanent(error)) => return Err(error),
                Err(Failure::Transient(error, retry_after)) => (error, retry_after),
            };
            if !retryable || retry + 1 >= self.retry.attempts {
                return Err(match error {
                    CoreError::Server { status: 429, .. } if !retryable => {
                        let wait = retry_after.map_or(60, |w| w.as_secs().max(1));
                        CoreError::RateLimited { retry_after_s: wait }
                    }
                    other => other,
                });
            }
            let wait = {
                let mut rng = self.rng.lock().unwrap_or_else(|p| p.into_inner());
                self.retry.wait(retry, retry_after, &mut rng)
            };
            let Some(wait) = wait else { return Err(error) };
            tracing::debug!(error = %error, retry, wait_ms = wait.as_millis() as u64, "retrying");
            tokio::time::sleep(wait).await;
            retry += 1;
        }
    }

    async fn try_once(&self, request: reqwest::RequestBuilder) -> Result<Answer, Failure> {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let unreachable = |e: reqwest::Error| {
            if e.is_redirect() {
                return Failure::Permanent(CoreError::BadResponse(describe(&e)));
            }
            if let Some(reason) = certificate_problem(&e) {
                let url = self.base.to_string();
                return Failure::Permanent(CoreError::CertificateRefused { url, reason });
            }
            let error = CoreError::Unreachable { url: self.base.to_string(), reason: describe(&e) };
            Failure::Transient(error, None)
        };

        let mut response = request.send().await.map_err(unreachable)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let media_type = headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
            .unwrap_or_default();
        let too_big = |length: String| {
            Failure::Permanent(CoreError::BadResponse(format!(
                "the body is {length} bytes, over the limit of {MAX_BODY_BYTES}"
            )))
        };
        if let Some(length) = response.content_length() {
            if length > MAX_BODY_BYTES as u64 {
                return Err(too_big(length.to_string()));
            }
        }

        let mut body = Vec::new();
        loop {
            let chunk = response.chunk().await.map_err(|e| {
                // The connection broke inside the body: what arrived is cut off, never used.
                let reason = format!("the response was cut off before its end ({})", describe(&e));
                Failure::Transient(CoreError::BadResponse(reason), None)
            })?;
            let Some(chunk) = chunk else { break };
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(too_big("more than that".to_owned()));
            }
            body.extend_from_slice(&chunk);
        }

        if (200..300).contains(&status) || status == 304 {
            return Ok(Answer { status, headers, media_type, body });
        }
        let error = server_error(status, &media_type, &body);
        if matches!(status, 429 | 500 | 502 | 503 | 504) {
            let now = SystemTime::now();
            let retry_after = headers
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| parse_retry_after(v, now));
            return Err(Failure::Transient(error, retry_after));
        }
        Err(Failure::Permanent(error))
    }
}

/// The body of a success answer read as `T`, after checking its media type.
fn json<T: DeserializeOwned>(answer: &Answer, path: &str) -> Result<T> {
    if answer.media_type != "application/json" {
        return Err(CoreError::BadResponse(format!(
            "{path}: expected application/json, got {:?}",
            if answer.media_type.is_empty() { "no content type" } else { &answer.media_type }
        )));
    }
    serde_json::from_slice(&answer.body)
        .map_err(|e| CoreError::BadResponse(format!("{path}: the JSON does not fit: {e}")))
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

/// The error for a non-success status: the problem document's code where there is one. A 401
/// is a wrong password on sign-in, and otherwise a sign-in that is missing or over.
fn server_error(status: u16, media_type: &str, body: &[u8]) -> CoreError {
    let (code, detail) = match serde_json::from_slice::<AnyProblem>(body) {
        Ok(problem) if media_type == PROBLEM_JSON => {
            let detail =
                problem.detail.or(problem.title).unwrap_or_else(|| format!("HTTP status {status}"));
            (problem.code, detail)
        }
        _ => (None, String::from_utf8_lossy(body).into_owned()),
    };
    let detail: String = detail.chars().take(200).collect();
    match (status, code.as_deref()) {
        (401, Some("invalid_credentials")) => CoreError::InvalidCredentials,
        (401, _) => CoreError::SignInRequired(detail),
        _ => CoreError::Server { status, code, detail },
    }
}

/// What the TLS library said when it refused the server's certificate, if that is why the
/// request failed.
fn certificate_problem(error: &reqwest::Error) -> Option<String> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = source {
        if let Some(tls) = current.downcast_ref::<rustls::Error>() {
            return matches!(tls, rustls::Error::InvalidCertificate(_)).then(|| tls.to_string());
        }
        // An io::Error hides the error it wraps from `source()` (the TLS error sits inside
        // two of them); look inside instead.
        source = match current.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()) {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => current.source(),
        };
    }
    None
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
#[cfg(test)]
mod tests {
    use super::*;

    mod tls;

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
