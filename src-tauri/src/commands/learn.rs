//! The education channel: lessons, answers explained as they are given, attempts, progress
//! and the badge wall. Everything works offline: the catalogue is the one the Green API last
//! sent, or the one compiled into the core.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use greenmile_core::AppError;
use greenmile_core::dashboard::system_time_zone;
use greenmile_core::learn::{
    self, Answer, AnswerFeedback, AttemptOutcome, BadgeStatus, LessonView, Progress, QuizAttempt,
};
use tauri::State;

use crate::shell::Shell;

// TODO(learn-sync): the app reads the catalogue the CLI's sync stored, but its own sync run
// (shell.rs, reworked on the sync branch) does not call learn::refresh_catalog yet; wire it
// after sync_all there once that branch lands.

/// Every lesson with its quiz, answers left out.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn learn_lessons(shell: State<'_, Arc<Shell>>) -> Result<Vec<LessonView>, AppError> {
    let catalog = learn::active_catalog(&shell.cache().await?).await?;
    Ok(catalog.lessons.iter().map(LessonView::from).collect())
}

/// Whether one answer is right, with the explanation and source shown after it.
#[tauri::command]
#[tracing::instrument(skip_all, fields(learn.lesson = %lesson_id))]
pub async fn learn_check_answer(
    shell: State<'_, Arc<Shell>>,
    lesson_id: String,
    answer: Answer,
) -> Result<AnswerFeedback, AppError> {
    let catalog = learn::active_catalog(&shell.cache().await?).await?;
    Ok(learn::check_answer(&catalog, &lesson_id, &answer)?)
}

/// Records a finished quiz (with its outbox row) and returns its score, XP, streak and any
/// badges it earned.
#[tauri::command]
#[tracing::instrument(skip_all, fields(learn.lesson = %lesson_id))]
pub async fn learn_submit_attempt(
    shell: State<'_, Arc<Shell>>,
    lesson_id: String,
    answers: Vec<Answer>,
    started_at: DateTime<Utc>,
) -> Result<AttemptOutcome, AppError> {
    let cache = shell.cache().await?;
    let now = Utc::now();
    let attempt =
        QuizAttempt::new(&lesson_id, answers, started_at.min(now), now, system_time_zone());
    let catalog = learn::active_catalog(&cache).await?;
    Ok(learn::record_attempt(&cache, &catalog, &attempt, now).await?)
}

/// XP, the streak and each lesson's progress.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn learn_progress(shell: State<'_, Arc<Shell>>) -> Result<Progress, AppError> {
    let cache = shell.cache().await?;
    let catalog = learn::active_catalog(&cache).await?;
    Ok(learn::progress(&cache, &catalog, system_time_zone(), Utc::now()).await?)
}

/// Every badge, earned or locked with its criteria.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn learn_badges(shell: State<'_, Arc<Shell>>) -> Result<Vec<BadgeStatus>, AppError> {
    let cache = shell.cache().await?;
    let catalog = learn::active_catalog(&cache).await?;
    Ok(learn::badge_wall(&cache, &catalog, system_time_zone(), Utc::now()).await?)
}
