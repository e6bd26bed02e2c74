//! The education channel: lessons, answers explained as they are given, attempts, progress
//! and the badge wall. Everything works offline: the catalogue is the one the Green API last
//! sent (the sync engine refreshes it after the feeds, for the app as for the CLI), or the one
//! compiled into the core.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use greenmile_core::dashboard::system_time_zone;
use greenmile_core::learn::{
    self, Answer, AnswerFeedback, AttemptOutcome, BadgeStatus, Lang, LessonView, Progress,
    QuizAttempt,
};
use greenmile_core::{AppError, CoreError};
use serde::Serialize;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use crate::commands::notifications;
use crate::shell::Shell;

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
    app: AppHandle,
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
    let outcome = learn::record_attempt(&cache, &catalog, &attempt, now).await?;
    notifications::badges_earned(&app, &cache, &outcome.badges_earned).await;
    Ok(outcome)
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

/// Where a badge's share card was saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SavedCard {
    /// The PNG file written.
    pub path: String,
    /// Whether the card has its text; false when no font here has the glyphs it needs.
    pub text_drawn: bool,
}

/// Draws an earned badge's share card in `lang` and writes it where the user picks in the
/// native save dialog; `None` when the dialog is cancelled. A locked badge is refused
/// (`invalid_input`) before any dialog opens.
#[tauri::command]
#[tracing::instrument(skip_all, fields(learn.badge = %badge_id))]
pub async fn learn_save_badge_card(
    app: AppHandle,
    shell: State<'_, Arc<Shell>>,
    badge_id: String,
    lang: Lang,
) -> Result<Option<SavedCard>, AppError> {
    let cache = shell.cache().await?;
    let catalog = learn::active_catalog(&cache).await?;
    let card = learn::badge_card(&cache, &catalog, &badge_id, lang, system_time_zone(), Utc::now())
        .await?;

    // The blocking dialog must not run on the main thread: this async command does not.
    let picked = app
        .dialog()
        .file()
        .add_filter("PNG", &["png"])
        .set_file_name(format!("greenmile-{badge_id}.png"))
        .blocking_save_file();
    let Some(path) = picked.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    std::fs::write(&path, &card.png)
        .map_err(|e| CoreError::io(format!("cannot write {}", path.display()), e))?;
    tracing::info!(learn.text = card.text_drawn, "share card saved");
    Ok(Some(SavedCard { path: path.display().to_string(), text_drawn: card.text_drawn }))
}
