//! The education channel's feed: quiz attempts the server recorded, from every device.
//!
//! A learner may take quizzes on several devices. Each attempt reaches the server once, as a
//! `quiz_attempt` write whose idempotency key is the attempt's id; the server scores it against
//! its own catalogue and appends it to the attempts feed (`GET /v1/learn/attempts`), which is
//! read with the same cursor, paging and `ETag` contract as the other feeds. A device reading
//! it keeps each attempt once by id, so its own attempts echoed back are not counted twice.
//! Attempts are never changed or deleted: every item has version 1 and no page carries a
//! tombstone.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::feed::Tombstone;

/// One answer of an attempt: the choices picked for a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AttemptAnswer {
    /// The question's id within its lesson.
    pub question_id: String,
    /// The ids of the choices picked.
    pub choices: Vec<String>,
}

/// Whether one question of an attempt was answered right, as the server scored it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AttemptResult {
    /// The question's id within its lesson.
    pub question_id: String,
    /// Whether the choices picked were exactly the answer.
    pub correct: bool,
}

/// A quiz attempt as the server recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RecordedAttempt {
    /// The attempt's id, made on the device that took it; also the idempotency key it was
    /// delivered with.
    #[schema(example = "6f1c2a9e-8a51-4c1e-9b8e-2f7d1e0c4a11")]
    pub id: String,
    /// The lesson whose quiz was taken.
    #[schema(example = "energy-labels")]
    pub lesson_id: String,
    /// The catalogue version the server scored it against.
    pub catalog_version: String,
    /// The answers given.
    pub answers: Vec<AttemptAnswer>,
    /// Each question's result, in the quiz's order.
    pub results: Vec<AttemptResult>,
    /// Questions answered right.
    pub correct: u32,
    /// Questions in the quiz.
    pub total: u32,
    /// Whether the attempt reached the pass mark.
    pub passed: bool,
    /// When the quiz was started (UTC).
    pub started_at: DateTime<Utc>,
    /// When the last answer was given (UTC); its date in `time_zone` is the day the attempt
    /// counts for in a streak.
    pub finished_at: DateTime<Utc>,
    /// The IANA time zone the learner was in.
    #[schema(example = "Asia/Shanghai")]
    pub time_zone: String,
    /// Always 1: a recorded attempt never changes.
    pub version: i64,
}

/// A page of the quiz attempts feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AttemptPage {
    /// Attempts recorded since the cursor, oldest first.
    pub upserts: Vec<RecordedAttempt>,
    /// Always empty: attempts are never deleted. Present so every feed page has one shape.
    pub tombstones: Vec<Tombstone>,
    /// The cursor to send next; store it with the page.
    pub next_cursor: String,
    /// Whether more changes wait after this page.
    pub has_more: bool,
}
