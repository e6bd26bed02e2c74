//! Queries of `earned_badges`: the badges this learner has earned. Rows are never removed.

use sqlx::{SqliteConnection, SqlitePool};

use crate::error::Result;

/// Records a badge as earned unless it already is; returns whether it was new.
pub async fn insert(
    conn: &mut SqliteConnection,
    badge_id: &str,
    earned_at: &str,
    evidence: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO earned_badges (badge_id, earned_at, evidence) VALUES (?, ?, ?)
         ON CONFLICT (badge_id) DO NOTHING",
    )
    .bind(badge_id)
    .bind(earned_at)
    .bind(evidence)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Every earned badge as `(badge_id, earned_at, evidence)`, earliest first.
pub async fn list(pool: &SqlitePool) -> Result<Vec<(String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT badge_id, earned_at, evidence FROM earned_badges ORDER BY earned_at, badge_id",
    )
    .fetch_all(pool)
    .await?)
}
