//! The HTTP face of the reference server: the Green API v1 routes.
//!
//! Every data route takes [`AuthUser`]: without a valid access token it answers 401, and with
//! one it reads and writes that account's rows only. Each feed handler reads its query, checks it, reads a page from the store and answers with
//! the wire type and an `ETag` naming the feed's state; a request whose
//! `If-None-Match` names the current state gets `304` without a page. Writes are handled in
//! [`crate::writes`]. Every error is an RFC 9457 problem document with a stable code; what caused
//! it goes to the log, not to the client.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use greenmile_api::{
    Bill, BillPage, CarbonEntry, CarbonPage, DEFAULT_PAGE_LIMIT, Health, MAX_PAGE_LIMIT,
    MAX_REQUEST_BYTES, Offer, OfferPage, PROBLEM_JSON, Problem, ProblemCode,
};

use crate::auth::{AuthUser, LoginLimiter};
use crate::store::{Collection, FeedPage, Store, StoreError};

/// The prefix of every cursor this server hands out; what follows is the last seq seen.
const CURSOR_PREFIX: &str = "s";

/// What the handlers share.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The store behind the feeds.
    pub store: Store,
    /// Failed sign-ins, counted per account and per client address.
    pub limiter: Arc<LoginLimiter>,
}

impl AppState {
    /// The state of a server over `store`, with no sign-ins counted yet.
    pub fn new(store: Store) -> Self {
        Self { store, limiter: Arc::default() }
    }
}

/// The router of the Green API v1.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/health", get(health))
        .route("/v1/auth/login", post(crate::auth::login))
        .route("/v1/auth/refresh", post(crate::auth::refresh))
        .route("/v1/auth/logout", post(crate::auth::logout))
        .route("/v1/me", get(crate::auth::me))
        .route("/v1/bills", get(feed::<Bill>))
        .route("/v1/offers", get(feed::<Offer>))
        .route("/v1/carbon", get(feed::<CarbonEntry>))
        .route("/v1/learn/catalog", get(crate::learn::get_catalog))
        .route("/v1/learn/attempts", get(crate::learn::get_attempts))
        .route("/v1/writes", post(crate::writes::post_write))
        .route("/v1/openapi.json", get(openapi))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        .with_state(state)
}

/// An error answered as a problem document, with any headers it needs (`Retry-After`,
/// `WWW-Authenticate`).
#[derive(Debug)]
pub struct ApiError(Problem, Vec<(HeaderName, HeaderValue)>);

impl ApiError {
    /// The problem document for `code` with `detail` for people.
    pub fn new(code: ProblemCode, detail: impl Into<String>) -> Self {
        Self(Problem::new(code, Some(detail.into())), Vec::new())
    }

    /// The same error answered with the header `name: value` too.
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.1.push((name, value));
        self
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        if let StoreError::Attempt(refused) = error {
            return refused.into();
        }
        tracing::error!(error = %error, "store failed");
        Self(Problem::new(ProblemCode::Internal, None), Vec::new())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(self.0)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        for (name, value) in self.1 {
            headers.insert(name, value);
        }
        response
    }
}

async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    let demo = state.store.is_demo().await?;
    let server_id = state.store.id().await?;
    Ok(Json(Health { status: "ok".to_owned(), api: "v1".to_owned(), demo, server_id }))
}

/// An item type served as a feed, and how its page is shaped on the wire.
trait FeedItem: serde::de::DeserializeOwned + Send + 'static {
    /// The store's collection.
    const COLLECTION: Collection;
    /// The route, for logs.
    const ROUTE: &'static str;
    /// The wire type of a page.
    type Page: serde::Serialize;
    /// Builds the wire page.
    fn page(page: FeedPage<Self>, next_cursor: String) -> Self::Page;
}

impl FeedItem for Bill {
    const COLLECTION: Collection = Collection::Bills;
    const ROUTE: &'static str = "/v1/bills";
    type Page = BillPage;
    fn page(p: FeedPage<Self>, next_cursor: String) -> BillPage {
        BillPage { upserts: p.upserts, tombstones: p.tombstones, next_cursor, has_more: p.has_more }
    }
}

impl FeedItem for Offer {
    const COLLECTION: Collection = Collection::Offers;
    const ROUTE: &'static str = "/v1/offers";
    type Page = OfferPage;
    fn page(p: FeedPage<Self>, next_cursor: String) -> OfferPage {
        OfferPage {
            upserts: p.upserts,
            tombstones: p.tombstones,
            next_cursor,
            has_more: p.has_more,
        }
    }
}

impl FeedItem for CarbonEntry {
    const COLLECTION: Collection = Collection::Carbon;
    const ROUTE: &'static str = "/v1/carbon";
    type Page = CarbonPage;
    fn page(p: FeedPage<Self>, next_cursor: String) -> CarbonPage {
        CarbonPage {
            upserts: p.upserts,
            tombstones: p.tombstones,
            next_cursor,
            has_more: p.has_more,
        }
    }
}

/// `GET /v1/{collection}?cursor=&limit=`: the changes after the cursor, or `304` when the
/// feed is still in the state `If-None-Match` names.
async fn feed<T: FeedItem>(
    State(state): State<AppState>,
    who: AuthUser,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (after, limit) = feed_query(&query)?;
    let user = who.user;
    tracing::debug!(
        http.route = T::ROUTE,
        user.id = user.0,
        feed.after = after,
        feed.limit = limit
    );

    // The tag is read before the page: a change landing in between makes the tag older than
    // the page, which costs one extra request later, never a missed change.
    let store_id = state.store.id().await?;
    let etag = etag(&store_id, T::ROUTE, state.store.feed_state(user, T::COLLECTION).await?);
    let tagged = |mut response: Response| {
        let headers = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&etag) {
            headers.insert(header::ETAG, value);
        }
        response
    };
    if none_match(&headers, &etag) {
        return Ok(tagged(StatusCode::NOT_MODIFIED.into_response()));
    }

    let page = state.store.feed::<T>(user, T::COLLECTION, after, limit).await?;
    let next = cursor(page.last_seq);
    Ok(tagged(Json(T::page(page, next)).into_response()))
}

/// The entity tag of a feed in the state `seq`: it changes with every write to the feed.
pub(crate) fn etag(store_id: &str, route: &str, seq: i64) -> String {
    let name = route.trim_start_matches("/v1/");
    format!("\"{store_id}.{name}.{seq}\"")
}

/// Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 asks for this header).
pub(crate) fn none_match(headers: &HeaderMap, etag: &str) -> bool {
    let strip = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| tag.trim() == "*" || strip(tag) == strip(etag))
}

async fn openapi() -> Response {
    let mut response = greenmile_api::openapi::document_json().into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        ProblemCode::MethodNotAllowed,
        "the feeds answer GET only, and /v1/writes POST only",
    )
}

async fn not_found() -> ApiError {
    ApiError::new(ProblemCode::NotFound, "no such route in the Green API v1")
}

/// The seq after which to read and the page size, from `cursor` and `limit`.
pub(crate) fn feed_query(query: &HashMap<String, String>) -> Result<(i64, u32), ApiError> {
    let after = match query.get("cursor").map(String::as_str) {
        None | Some("") => 0,
        Some(text) => text
            .strip_prefix(CURSOR_PREFIX)
            .and_then(|n| n.parse::<i64>().ok())
            .filter(|n| *n >= 0)
            .ok_or_else(|| {
                ApiError::new(ProblemCode::InvalidCursor, "send a next_cursor this server gave")
            })?,
    };
    let limit = match query.get("limit") {
        None => DEFAULT_PAGE_LIMIT,
        Some(text) => text.parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(|| {
            ApiError::new(ProblemCode::InvalidQuery, "limit must be a whole number from 1")
        })?,
    };
    Ok((after, limit.min(MAX_PAGE_LIMIT)))
}

pub(crate) fn cursor(seq: i64) -> String {
    format!("{CURSOR_PREFIX}{seq}")
}
