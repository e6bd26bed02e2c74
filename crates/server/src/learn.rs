//! The education channel on the server: the catalogue, and quiz attempts recorded once.
//!
//! `GET /v1/learn/catalog` serves the server's copy of the catalogue, the same content the
//! clients compile in; its version is the ETag, so a client that holds it gets 304.
//! [`record_quiz_attempt`] is what the generic writes endpoint calls for the `quiz_attempt`
//! kind: it scores the attempt against the server's catalogue (never trusting a client's
//! score) and records it once under its attempt id.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, Utc};
use greenmile_api::ProblemCode;
use greenmile_core::learn::{self, Catalog, QuizAttempt, Score};
use sqlx::SqliteConnection;

use crate::accounts::UserId;
use crate::routes::{ApiError, AppState};

/// How far in the future an attempt's finish may lie (clocks drift); later is refused.
const CLOCK_SKEW_HOURS: i64 = 24;

/// The catalogue this server scores against.
pub fn catalog() -> &'static Catalog {
    learn::bundled()
}

/// `GET /v1/learn/catalog`: the catalogue, or 304 when If-None-Match names its version.
pub async fn get_catalog(State(_state): State<AppState>, headers: HeaderMap) -> Response {
    let catalog = catalog();
    let etag = format!("\"{}\"", catalog.version);
    tracing::debug!(http.route = "/v1/learn/catalog", learn.version = %catalog.version);

    let matches = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag.trim_start_matches("W/") == etag
        });
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        Json(catalog).into_response()
    };

    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// Why an attempt was refused.
#[derive(Debug, thiserror::Error)]
pub enum AttemptError {
    /// The payload is not a quiz attempt, or its answers do not fit the lesson's quiz (an
    /// unknown lesson or question, a question answered twice, a choice not offered).
    #[error("{0}")]
    Invalid(String),
    /// The attempt id was recorded before with other answers.
    #[error("the attempt {0} was already recorded with other answers")]
    Conflict(String),
    /// The database failed.
    #[error("the server's database failed: {0}")]
    Sqlite(#[from] sqlx::Error),
}

impl From<AttemptError> for ApiError {
    fn from(error: AttemptError) -> Self {
        match error {
            AttemptError::Invalid(detail) => ApiError::new(ProblemCode::InvalidPayload, detail),
            AttemptError::Conflict(id) => ApiError::new(
                ProblemCode::IdempotencyConflict,
                format!("the attempt {id} was already recorded with other answers"),
            ),
            AttemptError::Sqlite(e) => {
                tracing::error!(error = %e, "recording a quiz attempt failed");
                ApiError::new(ProblemCode::Internal, "the server failed; try again later")
            }
        }
    }
}

/// What recording an attempt did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// False when the attempt id was already recorded with the same answers.
    pub new: bool,
    /// The score the server worked out.
    pub score: Score,
}

/// Records `user`'s `quiz_attempt` write `payload` on `conn` (the caller's transaction),
/// scored against the server's catalogue. A replay of the same attempt changes nothing and
/// answers `new: false`; the same attempt id with other answers is a conflict.
pub async fn record_quiz_attempt(
    conn: &mut SqliteConnection,
    user: UserId,
    payload: &serde_json::Value,
    received_at: DateTime<Utc>,
) -> Result<Recorded, AttemptError> {
    let attempt: QuizAttempt = serde_json::from_value(payload.clone())
        .map_err(|e| AttemptError::Invalid(format!("not a quiz attempt: {e}")))?;
    let (zone, score) = learn::check_attempt(catalog(), &attempt)
        .map_err(|e| AttemptError::Invalid(e.to_string()))?;
    if attempt.finished_at > received_at + chrono::Duration::hours(CLOCK_SKEW_HOURS) {
        return Err(AttemptError::Invalid("the attempt finishes in the future".to_owned()));
    }
    let answers = serde_json::to_string(&attempt.answers)
        .map_err(|e| AttemptError::Invalid(format!("the answers cannot be stored: {e}")))?;
    let text = |at: DateTime<Utc>| at.to_rfc3339_opts(SecondsFormat::Millis, true);

    let inserted = sqlx::query(
        "INSERT INTO quiz_attempts (user_id, attempt_id, lesson_id, catalog_version, answers,
             correct, total, passed, started_at, finished_at, time_zone, local_date, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (user_id, attempt_id) DO NOTHING",
    )
    .bind(user.0)
    .bind(&attempt.attempt_id)
    .bind(&attempt.lesson_id)
    .bind(&catalog().version)
    .bind(&answers)
    .bind(score.correct)
    .bind(score.total)
    .bind(score.passed)
    .bind(text(attempt.started_at))
    .bind(text(attempt.finished_at))
    .bind(&attempt.time_zone)
    .bind(learn::streak::local_date(attempt.finished_at, zone).to_string())
    .bind(text(received_at))
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;

    if !inserted {
        let (lesson, stored): (String, String) = sqlx::query_as(
            "SELECT lesson_id, answers FROM quiz_attempts WHERE user_id = ? AND attempt_id = ?",
        )
        .bind(user.0)
        .bind(&attempt.attempt_id)
        .fetch_one(&mut *conn)
        .await?;
        if lesson != attempt.lesson_id || stored != answers {
            return Err(AttemptError::Conflict(attempt.attempt_id));
        }
    }
    tracing::info!(learn.lesson = %attempt.lesson_id, learn.correct = score.correct, new = inserted, "quiz attempt recorded");
    Ok(Recorded { new: inserted, score })
}
