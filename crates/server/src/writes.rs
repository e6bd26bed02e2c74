//! `POST /v1/writes`: local writes from clients, applied once per idempotency key.
//!
//! The handler reads the key and the body, checks the kind and its payload, and hands the
//! write to the store, which records the key and applies the change in one transaction. A
//! repeat of a key with the same body is a duplicate and changes nothing; with another body it
//! is a conflict. Kinds: `setting` (applied to the user's settings) and `quiz_attempt`
//! (checked, scored against the server's catalogue and recorded once).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use greenmile_api::writes::{IDEMPOTENCY_KEY, MAX_IDEMPOTENCY_KEY};
use greenmile_api::{ProblemCode, SettingPayload, WriteAck, WriteRequest, WriteStatus};
use serde::Deserialize;

use crate::auth::AuthUser;
use crate::routes::{ApiError, AppState};
use crate::store::WriteOutcome;

/// `POST /v1/writes` with an `Idempotency-Key` header.
pub async fn post_write(
    State(state): State<AppState>,
    who: AuthUser,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<WriteAck>, ApiError> {
    let key = idempotency_key(&headers)?;
    let body = crate::auth::read_body(body)?;
    let request: WriteRequest = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(ProblemCode::InvalidPayload, format!("the body is not a write: {e}"))
    })?;
    let user = who.user;
    tracing::debug!(http.route = "/v1/writes", user.id = user.0, write.kind = %request.kind);

    check(&key, &request)?;

    // The transaction runs in its own task: a client that hangs up drops this handler's
    // future, and a write transaction cut off there would leave its pooled connection inside
    // an open transaction holding the write lock.
    let store = state.store.clone();
    let (task_key, task_request) = (key.clone(), request.clone());
    let outcome = tokio::spawn(async move {
        store.record_write(user, &task_key, &task_request, Utc::now()).await
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "the write task failed");
        ApiError::new(ProblemCode::Internal, "the write could not be completed")
    })??;
    let status = match outcome {
        WriteOutcome::Applied => WriteStatus::Applied,
        WriteOutcome::Duplicate => WriteStatus::Duplicate,
        WriteOutcome::Conflict => {
            return Err(ApiError::new(
                ProblemCode::IdempotencyConflict,
                "this idempotency key was used for a different write; pick a new key",
            ));
        }
    };
    tracing::info!(write.kind = %request.kind, write.status = ?status, "write received");
    Ok(Json(WriteAck { key, status }))
}

/// The `Idempotency-Key` header: 1 to 128 visible ASCII characters.
fn idempotency_key(headers: &HeaderMap) -> Result<String, ApiError> {
    let missing = || {
        ApiError::new(
            ProblemCode::MissingIdempotencyKey,
            format!(
                "send an Idempotency-Key header of 1 to {MAX_IDEMPOTENCY_KEY} visible ASCII \
                 characters"
            ),
        )
    };
    let key = headers.get(IDEMPOTENCY_KEY).ok_or_else(missing)?.to_str().map_err(|_| missing())?;
    let usable = !key.is_empty()
        && key.len() <= MAX_IDEMPOTENCY_KEY
        && key.bytes().all(|b| b.is_ascii_graphic());
    if !usable {
        return Err(missing());
    }
    Ok(key.to_owned())
}

/// Checks that `request`'s payload has the shape its kind needs.
fn check(key: &str, request: &WriteRequest) -> Result<(), ApiError> {
    let invalid = |why: String| ApiError::new(ProblemCode::InvalidPayload, why);
    match request.kind.as_str() {
        "setting" => {
            let setting: SettingPayload = serde_json::from_value(request.payload.clone())
                .map_err(|e| invalid(format!("a setting payload is {{key, value}}: {e}")))?;
            setting.check().map_err(invalid)
        }
        "quiz_attempt" => {
            // The shape is checked here; the store scores it against the catalogue
            // (learn::record_quiz_attempt) in the write's own transaction.
            let attempt: QuizAttempt = serde_json::from_value(request.payload.clone())
                .map_err(|e| invalid(format!("not a quiz attempt: {e}")))?;
            check_attempt(key, &attempt).map_err(invalid)
        }
        other => Err(ApiError::new(
            ProblemCode::UnknownKind,
            format!("no write kind {other:?}; this server knows setting and quiz_attempt"),
        )),
    }
}

/// The shape of a `quiz_attempt` payload.
#[derive(Debug, Deserialize)]
struct QuizAttempt {
    attempt_id: String,
    lesson_id: String,
    answers: Vec<QuizAnswer>,
    started_at: DateTime<Utc>,
    finished_at: DateTime<Utc>,
    time_zone: String,
}

#[derive(Debug, Deserialize)]
struct QuizAnswer {
    question_id: String,
    choices: Vec<String>,
}

fn check_attempt(key: &str, attempt: &QuizAttempt) -> Result<(), String> {
    if attempt.attempt_id != key {
        return Err("attempt_id must be the write's idempotency key".to_owned());
    }
    if attempt.lesson_id.is_empty() || attempt.answers.iter().any(|a| a.question_id.is_empty()) {
        return Err("the lesson and every question need an id".to_owned());
    }
    if attempt.answers.iter().any(|a| a.choices.iter().any(String::is_empty)) {
        return Err("a choice is empty".to_owned());
    }
    if attempt.finished_at < attempt.started_at {
        return Err("the attempt finished before it started".to_owned());
    }
    let zone_ok = !attempt.time_zone.is_empty()
        && attempt.time_zone.len() <= 64
        && attempt.time_zone.bytes().all(|b| b.is_ascii_alphanumeric() || b"/_+-".contains(&b));
    if !zone_ok {
        return Err(format!("{:?} is not an IANA time zone name", attempt.time_zone));
    }
    Ok(())
}
