//! The HTTP face of accounts: sign in, refresh, sign out, who am I, and the bearer check every
//! data route runs.
//!
//! [`AuthUser`] is the extractor data handlers take: it reads `Authorization: Bearer`, asks the
//! store whose token it is, and hands the handler the [`UserId`] to filter by, or answers 401
//! before the handler runs. Sign-in answers carry `Cache-Control: no-store`. Failed sign-ins
//! are counted per account and per client address by [`LoginLimiter`]; past
//! [`MAX_FAILURES`] in [`FAILURE_WINDOW`] the answer is 429 with `Retry-After`, before any
//! password is checked.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use greenmile_api::auth::{MAX_PASSWORD_BYTES, fold_email};
use greenmile_api::{LoginRequest, Me, ProblemCode, RefreshRequest, TokenPair};

use crate::accounts::{RefreshRefused, UserId};
use crate::routes::{ApiError, AppState};

/// Failed sign-ins allowed per account, and per client address, within [`FAILURE_WINDOW`].
pub const MAX_FAILURES: usize = 5;

/// The window failed sign-ins are counted over.
pub const FAILURE_WINDOW: Duration = Duration::minutes(5);

/// Keys tracked before old ones are swept, so a flood of addresses cannot grow memory forever.
const MAX_TRACKED: usize = 100_000;

/// The signed-in account of a request; taking it makes a route require a valid access token.
#[derive(Debug, Clone)]
pub struct AuthUser {
    /// The account whose data the request may touch.
    pub user: UserId,
    /// The sign-in the token belongs to.
    pub family: String,
    /// The account's address.
    pub email: String,
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() <= 128)
            .ok_or_else(|| unauthenticated("send Authorization: Bearer with an access token"))?;
        let found = state.store.authenticate(token, Utc::now()).await?;
        let who = found.ok_or_else(|| {
            unauthenticated("the access token is unknown, expired or revoked; refresh it")
        })?;
        Ok(AuthUser { user: who.user, family: who.family, email: who.email })
    }
}

fn unauthenticated(detail: &str) -> ApiError {
    ApiError::new(ProblemCode::Unauthenticated, detail)
        .with_header(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))
}

// TODO(accounts-rate-limit): the counts live in this process's memory, so a restart forgets
// them and two server processes count apart; a shared store (the database, or Redis in front
// of PostgreSQL) is needed once the server runs on more than one machine.
/// Counts failed sign-ins by key (an account, a client address) over a sliding window.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, VecDeque<DateTime<Utc>>>>,
}

impl LoginLimiter {
    /// `None` when a sign-in under every one of `keys` may be tried at `now`; otherwise how
    /// long to wait.
    pub fn blocked(&self, keys: &[String], now: DateTime<Utc>) -> Option<Duration> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let mut wait: Option<Duration> = None;
        for key in keys {
            let Some(times) = map.get_mut(key) else { continue };
            prune(times, now);
            if times.len() >= MAX_FAILURES {
                let oldest = times[times.len() - MAX_FAILURES];
                let until = oldest + FAILURE_WINDOW - now;
                wait = Some(wait.map_or(until, |w| w.max(until)));
            }
        }
        wait
    }

    /// Counts a failed sign-in under each of `keys`.
    pub fn failed(&self, keys: &[String], now: DateTime<Utc>) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > MAX_TRACKED {
            map.retain(|_, times| {
                prune(times, now);
                !times.is_empty()
            });
        }
        for key in keys {
            let times = map.entry(key.clone()).or_default();
            prune(times, now);
            times.push_back(now);
        }
    }

    /// Forgets the failures under `key` (an account that signed in).
    pub fn succeeded(&self, key: &str) {
        self.failures.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }
}

fn prune(times: &mut VecDeque<DateTime<Utc>>, now: DateTime<Utc>) {
    while times.front().is_some_and(|t| *t + FAILURE_WINDOW <= now) {
        times.pop_front();
    }
}

/// `POST /v1/auth/login`.
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let request: LoginRequest = parse_body(body)?;
    let account = fold_email(&request.email).unwrap_or_default();
    tracing::debug!(http.route = "/v1/auth/login");

    let now = Utc::now();
    let keys = [format!("account:{account}"), format!("addr:{}", client_key(peer.ip()))];
    if let Some(wait) = state.limiter.blocked(&keys, now) {
        tracing::warn!("sign-in refused: too many failed attempts");
        let seconds = wait.num_seconds().max(1).to_string();
        let mut error = ApiError::new(
            ProblemCode::RateLimited,
            "too many failed sign-ins; wait before trying again",
        );
        if let Ok(value) = HeaderValue::from_str(&seconds) {
            error = error.with_header(header::RETRY_AFTER, value);
        }
        return Err(error);
    }
    if request.password.len() > MAX_PASSWORD_BYTES {
        state.limiter.failed(&keys, now);
        return Err(wrong_credentials());
    }

    let Some(me) = state.store.check_password(&request.email, &request.password).await? else {
        state.limiter.failed(&keys, now);
        tracing::info!("sign-in failed");
        return Err(wrong_credentials());
    };
    state.limiter.succeeded(&keys[0]);
    let pair = state.store.issue_tokens(UserId(me.user_id), now).await?;
    Ok(no_store(Json(pair)))
}

/// `POST /v1/auth/refresh`.
pub async fn refresh(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let request: RefreshRequest = parse_body(body)?;
    tracing::debug!(http.route = "/v1/auth/refresh");

    let refused = |_| {
        ApiError::new(
            ProblemCode::InvalidRefreshToken,
            "the refresh token is unknown, expired, revoked or already used; sign in again",
        )
    };
    let pair: TokenPair = state
        .store
        .refresh_tokens(&request.refresh_token, Utc::now())
        .await?
        .map_err(|why: RefreshRefused| refused(why))?;
    Ok(no_store(Json(pair)))
}

/// `POST /v1/auth/logout`: revokes the sign-in of the bearer token.
pub async fn logout(State(state): State<AppState>, who: AuthUser) -> Result<Response, ApiError> {
    tracing::debug!(http.route = "/v1/auth/logout");

    state.store.revoke_family(&who.family, Utc::now()).await?;
    tracing::info!(user.id = who.user.0, "signed out");
    Ok(no_store(StatusCode::NO_CONTENT))
}

/// `GET /v1/me`.
pub async fn me(who: AuthUser) -> Response {
    no_store(Json(Me { user_id: who.user.0, email: who.email }))
}

/// A body as read, or 413 past the size limit.
pub fn read_body(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(ProblemCode::PayloadTooLarge, "the body is over the server's limit")
        } else {
            ApiError::new(ProblemCode::InvalidPayload, "the body could not be read")
        }
    })
}

/// Reads a JSON body, answering 413 past the size limit and 422 for the wrong shape.
pub fn parse_body<T: serde::de::DeserializeOwned>(
    body: Result<Bytes, BytesRejection>,
) -> Result<T, ApiError> {
    let bytes = read_body(body)?;
    // serde's message can quote the input, and the input may be a password: keep it out.
    serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::new(
            ProblemCode::InvalidPayload,
            format!(
                "the body is not the JSON this route takes (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })
}

fn wrong_credentials() -> ApiError {
    ApiError::new(ProblemCode::InvalidCredentials, "the e-mail address or password is wrong")
}

/// What failed sign-ins from `ip` are counted under: the address, or its /64 for IPv6, where
/// one client holds a whole prefix.
fn client_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

fn no_store(response: impl IntoResponse) -> Response {
    let mut response = response.into_response();
    let headers: &mut HeaderMap = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn five_failures_in_the_window_block_until_the_oldest_leaves_it() {
        let limiter = LoginLimiter::default();
        let keys = ["account:a@b.c".to_owned(), "addr:10.0.0.1".to_owned()];
        for i in 0..5 {
            assert_eq!(limiter.blocked(&keys, at(i * 10)), None, "failure {i} is allowed");
            limiter.failed(&keys, at(i * 10));
        }
        assert_eq!(limiter.blocked(&keys, at(60)), Some(Duration::seconds(240)), "blocked");
        assert_eq!(limiter.blocked(&keys, at(300)), None, "the first failure left the window");
    }

    #[test]
    fn an_address_is_blocked_across_accounts() {
        let limiter = LoginLimiter::default();
        for i in 0..5 {
            limiter.failed(&[format!("account:u{i}@b.c"), "addr:10.0.0.1".to_owned()], at(0));
        }
        let other = ["account:new@b.c".to_owned(), "addr:10.0.0.1".to_owned()];
        assert!(limiter.blocked(&other, at(1)).is_some(), "the address tried too many accounts");
        let elsewhere = ["account:new@b.c".to_owned(), "addr:10.0.0.2".to_owned()];
        assert_eq!(limiter.blocked(&elsewhere, at(1)), None, "another address is not blocked");
    }

    #[test]
    fn success_clears_the_account_count() {
        let limiter = LoginLimiter::default();
        let keys = ["account:a@b.c".to_owned()];
        for _ in 0..4 {
            limiter.failed(&keys, at(0));
        }
        limiter.succeeded(&keys[0]);
        limiter.failed(&keys, at(1));
        assert_eq!(limiter.blocked(&keys, at(2)), None, "one failure since the success");
    }
}
