//! Queries of `quiz_attempts`: every quiz attempt made on this device.
//!
//! Rows are only ever inserted; the attempt id is the primary key and also the idempotency
//! key, so recording an attempt twice leaves one row.

use sqlx::{SqliteConnection, SqlitePool};

use crate::error::Result;

/// One stored attempt. Instants are [`super::instant_text`] strings, `answers` and `results`
/// JSON arrays, `local_date` the attempt's calendar date in `time_zone`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AttemptRow {
    /// The attempt id, also its idempotency key.
    pub id: String,
    /// The lesson whose quiz was taken.
    pub lesson_id: String,
    /// The catalogue version it was scored against.
    pub catalog_version: String,
    /// The answers given, as JSON.
    pub answers: String,
    /// Each question's result, as JSON.
    pub results: String,
    /// Questions answered right.
    pub correct: i64,
    /// Questions in the quiz.
    pub total: i64,
    /// Whether the attempt passed.
    pub passed: bool,
    /// When the quiz was started.
    pub started_at: String,
    /// When the last answer was given.
    pub finished_at: String,
    /// The IANA time zone the attempt was made in.
    pub time_zone: String,
    /// The calendar date of `finished_at` in `time_zone`, `YYYY-MM-DD`.
    pub local_date: String,
}

/// Inserts `row` unless an attempt with its id exists; returns whether it was new.
pub async fn insert(conn: &mut SqliteConnection, row: &AttemptRow) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO quiz_attempts (id, lesson_id, catalog_version, answers, results, correct,
             total, passed, started_at, finished_at, time_zone, local_date)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&row.id)
    .bind(&row.lesson_id)
    .bind(&row.catalog_version)
    .bind(&row.answers)
    .bind(&row.results)
    .bind(row.correct)
    .bind(row.total)
    .bind(row.passed)
    .bind(&row.started_at)
    .bind(&row.finished_at)
    .bind(&row.time_zone)
    .bind(&row.local_date)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The attempt with this id.
pub async fn get(pool: &SqlitePool, id: &str) -> Result<Option<AttemptRow>> {
    Ok(sqlx::query_as("SELECT * FROM quiz_attempts WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await?)
}

/// Every attempt, oldest first.
pub async fn list(pool: &SqlitePool) -> Result<Vec<AttemptRow>> {
    Ok(sqlx::query_as("SELECT * FROM quiz_attempts ORDER BY finished_at, id")
        .fetch_all(pool)
        .await?)
}
