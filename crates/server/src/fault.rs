//! The fault mode: a server that misbehaves on purpose, reproducibly from a seed.
//!
//! [`Faults`] is an axum middleware layered over the whole router. For each request it draws
//! one fault from a generator seeded once, so a seed names one sequence of faults for the
//! same sequence of requests. The faults are the ways a real network and server fail: a 5xx
//! before or after the work was done (a write applied whose answer is lost), 429 with
//! `Retry-After` in both its forms, small delays, bodies cut off mid-way, connections dropped,
//! malformed JSON, invalid items slipped into a page (ids starting `bad-`), pages served again
//! from an earlier cursor, and items reordered inside a page. Waits are milliseconds, so a
//! suite of many runs stays fast. The fault-injection suite (`greenmile-faults`) turns it on;
//! `greenmile-server --faults SEED` does the same from a terminal.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use greenmile_api::ProblemCode;

use crate::routes::ApiError;

/// The largest body the layer reads to change it.
const MAX_BODY: usize = 32 * 1024 * 1024;

/// What can happen to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Served as it should be.
    None,
    /// Served after a pause of this many milliseconds.
    Delay(u64),
    /// 503 before any work was done.
    Unavailable,
    /// 429 with `Retry-After: 0`.
    RateLimitedSeconds,
    /// 429 with `Retry-After` as an HTTP date (now, so no real wait).
    RateLimitedDate,
    /// The work is done, then the answer is replaced by a 500.
    FailAfter,
    /// The work is done, then the connection drops before any body byte.
    DropAfter,
    /// The work is done, then the body stops half-way and the connection drops.
    Truncate,
    /// The body ends early but cleanly: malformed JSON.
    MalformedJson,
    /// An invalid item is added to a feed page.
    BadItem,
    /// A feed page is served from an earlier cursor than asked: changes seen again.
    Replay,
    /// The items of a feed page come in another order.
    Reorder,
}

/// The fault layer's state: its generator, and whether it is on.
#[derive(Debug)]
pub struct Faults {
    rng: Mutex<fastrand::Rng>,
    enabled: AtomicBool,
}

impl Faults {
    /// Faults drawn from `seed`, on from the start.
    pub fn new(seed: u64) -> Arc<Self> {
        Arc::new(Self {
            rng: Mutex::new(fastrand::Rng::with_seed(seed)),
            enabled: AtomicBool::new(true),
        })
    }

    /// Turns the faults on or off (off: every request is served as it should be).
    pub fn set_enabled(&self, on: bool) {
        self.enabled.store(on, Ordering::SeqCst);
    }

    /// The fault for the next request, with a number the fault may use for its details.
    fn draw(&self) -> (Fault, u64) {
        if !self.enabled.load(Ordering::SeqCst) {
            return (Fault::None, 0);
        }
        let mut rng = self.rng.lock().unwrap_or_else(|p| p.into_inner());
        let detail = rng.u64(..);
        let fault = match rng.u32(0..100) {
            0..50 => Fault::None,
            50..58 => Fault::Delay(1 + detail % 4),
            58..63 => Fault::Unavailable,
            63..66 => Fault::RateLimitedSeconds,
            66..69 => Fault::RateLimitedDate,
            69..74 => Fault::FailAfter,
            74..78 => Fault::DropAfter,
            78..82 => Fault::Truncate,
            82..84 => Fault::MalformedJson,
            84..90 => Fault::BadItem,
            90..95 => Fault::Replay,
            _ => Fault::Reorder,
        };
        (fault, detail)
    }
}

/// The middleware: draws a fault and applies it around the real handler.
pub async fn inject(State(faults): State<Arc<Faults>>, request: Request, next: Next) -> Response {
    let (fault, detail) = faults.draw();
    if fault != Fault::None {
        tracing::debug!(fault = ?fault, http.path = %request.uri().path(), "injecting a fault");
    }
    let is_feed = request.method() == axum::http::Method::GET
        && matches!(
            request.uri().path(),
            "/v1/bills" | "/v1/offers" | "/v1/carbon" | "/v1/learn/attempts"
        );

    match fault {
        Fault::None => next.run(request).await,
        Fault::Delay(ms) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(request).await
        }
        Fault::Unavailable => {
            ApiError::new(ProblemCode::Internal, "injected: unavailable").into_response()
        }
        Fault::RateLimitedSeconds | Fault::RateLimitedDate => {
            let after = if fault == Fault::RateLimitedSeconds {
                "0".to_owned()
            } else {
                httpdate::fmt_http_date(std::time::SystemTime::now())
            };
            let mut response =
                ApiError::new(ProblemCode::RateLimited, "injected: slow down").into_response();
            if let Ok(value) = HeaderValue::from_str(&after) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        Fault::FailAfter => {
            let _ = next.run(request).await;
            ApiError::new(ProblemCode::Internal, "injected: failed after the work").into_response()
        }
        Fault::DropAfter => {
            let _ = next.run(request).await;
            broken(StatusCode::OK, Bytes::new())
        }
        Fault::Truncate => {
            let (status, body) = collect(next.run(request).await).await;
            let cut = body.slice(..body.len() / 2);
            broken(status, cut)
        }
        Fault::MalformedJson => {
            let response = next.run(request).await;
            let (parts, body) = response.into_parts();
            let body = axum::body::to_bytes(body, MAX_BODY).await.unwrap_or_default();
            let cut = body.slice(..body.len().saturating_sub(1 + (detail as usize % 8)));
            let mut response = Response::from_parts(parts, Body::from(cut));
            response.headers_mut().remove(header::CONTENT_LENGTH);
            response
        }
        Fault::Replay if is_feed => next.run(replay(request, detail)).await,
        Fault::BadItem | Fault::Reorder if is_feed => {
            let response = next.run(request).await;
            if response.status() != StatusCode::OK {
                return response;
            }
            let (parts, body) = response.into_parts();
            let body = axum::body::to_bytes(body, MAX_BODY).await.unwrap_or_default();
            let Ok(mut page) = serde_json::from_slice::<serde_json::Value>(&body) else {
                return Response::from_parts(parts, Body::from(body));
            };
            let mut rng = fastrand::Rng::with_seed(detail);
            if fault == Fault::BadItem {
                add_bad_item(&mut page, &mut rng);
            } else {
                for list in ["upserts", "tombstones"] {
                    if let Some(items) = page[list].as_array_mut() {
                        rng.shuffle(items);
                    }
                }
            }
            let mut response = Response::from_parts(parts, Body::from(page.to_string()));
            response.headers_mut().remove(header::CONTENT_LENGTH);
            response
        }
        // Page faults on other routes: served as they should be.
        Fault::Replay | Fault::BadItem | Fault::Reorder => next.run(request).await,
    }
}

/// The status and whole body of `response`.
async fn collect(response: Response) -> (StatusCode, Bytes) {
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), MAX_BODY).await.unwrap_or_default();
    (status, body)
}

/// A response that sends `head` of its body and then breaks the connection, announcing a
/// longer body than it sends.
fn broken(status: StatusCode, head: Bytes) -> Response {
    let announced = head.len() * 2 + 16;
    let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(head),
        Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "injected: dropped")),
    ];
    let mut response = Response::new(Body::from_stream(futures_util::stream::iter(chunks)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(announced));
    response
}

/// `request` with its feed cursor moved back by up to a few changes.
fn replay(mut request: Request, detail: u64) -> Request {
    let uri = request.uri().clone();
    let query = uri.query().unwrap_or("");
    let moved: Vec<String> = query
        .split('&')
        .map(|pair| match pair.strip_prefix("cursor=s").and_then(|n| n.parse::<u64>().ok()) {
            Some(seq) => format!("cursor=s{}", seq.saturating_sub(1 + detail % 5)),
            None => pair.to_owned(),
        })
        .collect();
    let text = format!("{}?{}", uri.path(), moved.join("&"));
    if let Ok(new) = text.parse() {
        *request.uri_mut() = new;
    }
    request
}

/// Adds to `page` one item that fails the contract's validation, with an id starting `bad-`
/// that no store holds.
fn add_bad_item(page: &mut serde_json::Value, rng: &mut fastrand::Rng) {
    let id = format!("bad-{}", rng.u32(..));
    let Some(upserts) = page["upserts"].as_array_mut() else { return };
    let mut item = match upserts.first() {
        Some(first) => first.clone(),
        None => serde_json::json!({}),
    };
    item["id"] = id.clone().into();
    match rng.u32(0..5) {
        0 if item.get("amount").is_some() => item["amount"]["minor"] = (-100).into(),
        1 if item.get("amount").is_some() => item["amount"]["currency"] = "XYZ".into(),
        2 if item.get("occurred_at").is_some() => {
            item["occurred_at"] = "2026-02-30T25:00:00Z".into()
        }
        3 if item.get("merchant").is_some() => item["merchant"] = "x".repeat(600).into(),
        _ => {
            if let Some(object) = item.as_object_mut() {
                object.retain(|k, _| k == "id");
            }
        }
    }
    upserts.push(item);
}
