//! The education channel on the server: the catalogue, and quiz attempts recorded once.
//!
//! `GET /v1/learn/catalog` serves the server's copy of the catalogue, the same content the
//! clients compile in; its version is the ETag, so a client that holds it gets 304.
//! `GET /v1/learn/attempts` serves the recorded attempts as a change feed with the contract of
//! the other feeds (cursor, paging, ETag), so progress made on one device reaches the others.
//! [`record_quiz_attempt`] is what the generic writes endpoint calls for the `quiz_attempt`
//! kind: it scores the attempt against the server's catalogue (never trusting a client's
//! score) and records it once under its attempt id.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, Utc};
use greenmile_api::{AttemptPage, AttemptResult, ProblemCode, RecordedAttempt};
use greenmile_core::learn::{self, Answer, Catalog, QuizAttempt, Score};
use sqlx::{SqliteConnection, SqlitePool};

use crate::routes::{self, ApiError, AppState};
use crate::store::StoreError;

/// The route of the attempts feed, for logs and its ETag.
const ATTEMPTS_ROUTE: &str = "/v1/learn/attempts";
use crate::accounts::UserId;
use crate::auth::AuthUser;

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
    let results = serde_json::to_string(&score.results)
        .map_err(|e| AttemptError::Invalid(format!("the results cannot be stored: {e}")))?;
    let text = |at: DateTime<Utc>| at.to_rfc3339_opts(SecondsFormat::Millis, true);

    // The next seq of the attempts feed; the caller's write transaction holds the lock, so
    // no other attempt can take the same one.
    // Attempts are keyed by (user, attempt id): two users' ids can never collide.
    let inserted = sqlx::query(
        "INSERT INTO quiz_attempts (user_id, attempt_id, lesson_id, catalog_version, answers,
             results, correct, total, passed, started_at, finished_at, time_zone, local_date,
             received_at, seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
             (SELECT COALESCE(MAX(seq), 0) + 1 FROM quiz_attempts))
         ON CONFLICT (user_id, attempt_id) DO NOTHING",
    )
    .bind(user.0)
    .bind(&attempt.attempt_id)
    .bind(&attempt.lesson_id)
    .bind(&catalog().version)
    .bind(&answers)
    .bind(&results)
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

/// `GET /v1/learn/attempts?cursor=&limit=`: the attempts recorded after the cursor, or `304`
/// while the feed is still in the state `If-None-Match` names. Only the signed-in user's
/// attempts: the one seq across users still orders each user's, so cursors work as they are.
pub async fn get_attempts(
    State(state): State<AppState>,
    who: AuthUser,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (after, limit) = routes::feed_query(&query)?;
    let user = who.user;
    tracing::debug!(
        http.route = ATTEMPTS_ROUTE,
        user.id = user.0,
        feed.after = after,
        feed.limit = limit
    );

    // The tag is read before the page, as for the other feeds: an attempt recorded in
    // between costs one more request later, never a missed attempt.
    let pool = state.store.pool();
    let store_id = state.store.id().await?;
    let etag = routes::etag(&store_id, ATTEMPTS_ROUTE, attempts_state(pool, user).await?);
    let tagged = |mut response: Response| {
        if let Ok(value) = HeaderValue::from_str(&etag) {
            response.headers_mut().insert(header::ETAG, value);
        }
        response
    };
    if routes::none_match(&headers, &etag) {
        return Ok(tagged(StatusCode::NOT_MODIFIED.into_response()));
    }

    let page = attempts_page(pool, user, after, limit).await?;
    Ok(tagged(Json(page).into_response()))
}

/// The seq of `user`'s latest recorded attempt (0 when there is none): the feed's state.
pub async fn attempts_state(pool: &SqlitePool, user: UserId) -> Result<i64, StoreError> {
    let (seq,): (i64,) =
        sqlx::query_as("SELECT COALESCE(MAX(seq), 0) FROM quiz_attempts WHERE user_id = ?")
            .bind(user.0)
            .fetch_one(pool)
            .await?;
    Ok(seq)
}

/// A stored attempt, as the feed reads it.
type AttemptRow =
    (String, i64, String, String, String, Option<String>, u32, u32, bool, String, String, String);

/// `user`'s attempts recorded after `after_seq`, at most `limit`, oldest first.
pub async fn attempts_page(
    pool: &SqlitePool,
    user: UserId,
    after_seq: i64,
    limit: u32,
) -> Result<AttemptPage, StoreError> {
    let mut rows: Vec<AttemptRow> = sqlx::query_as(
        "SELECT attempt_id, seq, lesson_id, catalog_version, answers, results, correct, total,
             passed, started_at, finished_at, time_zone
         FROM quiz_attempts WHERE user_id = ? AND seq > ? ORDER BY seq LIMIT ?",
    )
    .bind(user.0)
    .bind(after_seq)
    .bind(i64::from(limit) + 1)
    .fetch_all(pool)
    .await?;
    let has_more = rows.len() > limit as usize;
    rows.truncate(limit as usize);

    let last_seq = rows.last().map(|r| r.1).unwrap_or(after_seq);
    let mut upserts = Vec::with_capacity(rows.len());
    for row in rows {
        upserts.push(recorded(row)?);
    }
    Ok(AttemptPage {
        upserts,
        tombstones: Vec::new(),
        next_cursor: routes::cursor(last_seq),
        has_more,
    })
}

/// Every recorded attempt's id and seq, by seq, of every user (for checks of a client's
/// cache in tests that use one account).
pub async fn attempt_ids(pool: &SqlitePool) -> Result<Vec<(String, i64)>, StoreError> {
    Ok(sqlx::query_as("SELECT attempt_id, seq FROM quiz_attempts ORDER BY seq")
        .fetch_all(pool)
        .await?)
}

fn recorded(row: AttemptRow) -> Result<RecordedAttempt, StoreError> {
    let (id, _seq, lesson_id, catalog_version, answers, results, correct, total, passed) =
        (row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8);
    let (started_at, finished_at, time_zone) = (row.9, row.10, row.11);
    let instant = |text: &str| {
        DateTime::parse_from_rfc3339(text)
            .map(|at| at.to_utc())
            .map_err(|e| StoreError::Invalid(format!("attempt {id}: the instant {text:?}: {e}")))
    };

    let results: Vec<AttemptResult> = match results {
        Some(text) => serde_json::from_str(&text)?,
        None => {
            // Recorded before results were kept: score the answers again.
            let given: Vec<Answer> = serde_json::from_str(&answers)?;
            let lesson = catalog().lesson(&lesson_id).ok_or_else(|| {
                StoreError::Invalid(format!("attempt {id}: no lesson {lesson_id:?}"))
            })?;
            let score = learn::quiz::score(lesson, &given)
                .map_err(|e| StoreError::Invalid(format!("attempt {id}: {e}")))?;
            score
                .results
                .into_iter()
                .map(|r| AttemptResult { question_id: r.question_id, correct: r.correct })
                .collect()
        }
    };
    Ok(RecordedAttempt {
        started_at: instant(&started_at)?,
        finished_at: instant(&finished_at)?,
        answers: serde_json::from_str(&answers)?,
        id,
        lesson_id,
        catalog_version,
        results,
        correct,
        total,
        passed,
        time_zone,
        version: 1,
    })
}
