//! The green-consumption education channel: lessons, quizzes, streaks and badges, offline.
//!
//! The catalogue ([`content`]) is data compiled into the binary, so every lesson works without
//! a network. Taking a quiz is scored by [`quiz`] on correctness only; [`record_attempt`]
//! stores the attempt and its outbox row in one transaction, so an attempt made offline is
//! never lost and is delivered later with its id as the idempotency key. Progress, XP, mastery
//! and the streak ([`streak`]) are computed from the stored attempts, which are only ever
//! added, so nothing rolls local progress back. Badges ([`badges`]) are earned from quiz
//! results and from reviewed or certified bills in the cache, and kept once earned; [`card`]
//! draws a badge's share card. [`remote`] keeps the catalogue the Green API serves, which
//! takes over from the bundled one once it has arrived and passed the same checks.

pub mod badges;
pub mod card;
pub mod content;
pub mod quiz;
pub mod remote;
pub mod streak;

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use content::{Badge, BadgeRule, Catalog, Lang, Lesson, Question, Text, bundled};
pub use quiz::{Answer, AnswerFeedback, QuestionResult, Score};
pub use remote::{active_catalog, refresh_catalog};
pub use streak::Streak;

use crate::db::{earned_badges, instant_text, parse_instant, quiz_attempts};
use crate::error::{CoreError, Result};
use crate::{Cache, outbox};

/// The outbox kind of a quiz attempt.
pub const OUTBOX_KIND: &str = "quiz_attempt";

/// A finished quiz attempt, as it is stored and as it travels to the server in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct QuizAttempt {
    /// A random id made for the attempt on the device that took it; also its idempotency key.
    pub attempt_id: String,
    /// The lesson whose quiz was taken.
    pub lesson_id: String,
    /// One answer for each question.
    pub answers: Vec<Answer>,
    /// When the quiz was started.
    #[ts(type = "string")]
    pub started_at: DateTime<Utc>,
    /// When the last answer was given; its local date is the day the attempt counts for.
    #[ts(type = "string")]
    pub finished_at: DateTime<Utc>,
    /// The IANA time zone the learner was in, such as `Asia/Shanghai`.
    pub time_zone: String,
}

impl QuizAttempt {
    /// A new attempt with a fresh random id.
    pub fn new(
        lesson_id: &str,
        answers: Vec<Answer>,
        started_at: DateTime<Utc>,
        finished_at: DateTime<Utc>,
        zone: Tz,
    ) -> Self {
        Self {
            attempt_id: uuid::Uuid::new_v4().to_string(),
            lesson_id: lesson_id.to_owned(),
            answers,
            started_at,
            finished_at,
            time_zone: zone.name().to_owned(),
        }
    }
}

/// What recording an attempt did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AttemptOutcome {
    /// The attempt's id.
    pub attempt_id: String,
    /// The lesson.
    pub lesson_id: String,
    /// False when this attempt id was already recorded; nothing changed then.
    pub new: bool,
    /// How it scored.
    pub score: Score,
    /// XP this attempt added.
    pub xp_gained: u32,
    /// Badges earned just now.
    pub badges_earned: Vec<String>,
    /// The streak after the attempt.
    pub streak: Streak,
}

/// One lesson's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LessonProgress {
    /// The lesson.
    pub lesson_id: String,
    /// Attempts made.
    pub attempts: u32,
    /// The most questions answered right in one attempt.
    pub best_correct: u32,
    /// Questions in the quiz (as of its latest attempt, or the catalogue's quiz).
    pub total: u32,
    /// Whether an attempt passed.
    pub passed: bool,
    /// Whether an attempt got every question right.
    pub mastered: bool,
}

/// The learner's progress over the whole channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Progress {
    /// Points for understanding: see [`quiz::XP_PER_QUESTION`] and [`quiz::XP_MASTERY`].
    pub xp: u32,
    /// The streak as it stands today.
    pub streak: Streak,
    /// Every lesson of the catalogue, in its order.
    pub lessons: Vec<LessonProgress>,
    /// Lessons mastered.
    pub mastered: u32,
}

/// A badge and whether it was earned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BadgeStatus {
    /// The badge, with its published criteria.
    pub badge: Badge,
    /// When it was earned, if it was.
    #[ts(type = "string | null")]
    pub earned_at: Option<DateTime<Utc>>,
    /// The badge's SVG artwork.
    pub art_svg: String,
}

/// A lesson as a screen shows it before its quiz is answered: the questions without their
/// answers, each with its choices (true and false for a true/false question).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LessonView {
    /// Stable id.
    pub id: String,
    /// The bill categories it explains.
    pub categories: Vec<greenmile_api::GreenCategory>,
    /// Title.
    pub title: Text,
    /// One sentence on what it teaches.
    pub summary: Text,
    /// The lesson's paragraphs.
    pub body: content::Paragraphs,
    /// The quiz.
    pub questions: Vec<QuestionView>,
}

/// A question without its answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct QuestionView {
    /// Id within the lesson.
    pub id: String,
    /// How it is answered.
    pub kind: content::QuestionKind,
    /// What is asked.
    pub prompt: Text,
    /// The choices.
    pub choices: Vec<content::Choice>,
}

impl From<&Lesson> for LessonView {
    fn from(lesson: &Lesson) -> Self {
        Self {
            id: lesson.id.clone(),
            categories: lesson.categories.clone(),
            title: lesson.title.clone(),
            summary: lesson.summary.clone(),
            body: lesson.body.clone(),
            questions: lesson
                .questions
                .iter()
                .map(|q| QuestionView {
                    id: q.id.clone(),
                    kind: q.kind,
                    prompt: q.prompt.clone(),
                    choices: q.choices(),
                })
                .collect(),
        }
    }
}

/// Checks one answer of `lesson_id`'s quiz as it is given.
pub fn check_answer(catalog: &Catalog, lesson_id: &str, answer: &Answer) -> Result<AnswerFeedback> {
    let lesson = catalog
        .lesson(lesson_id)
        .ok_or_else(|| CoreError::InvalidInput(format!("there is no lesson {lesson_id:?}")))?;
    quiz::feedback(lesson, answer).map_err(|e| CoreError::InvalidInput(e.to_string()))
}

/// Parses an IANA time zone name.
pub fn parse_zone(name: &str) -> Result<Tz> {
    name.parse::<Tz>()
        .map_err(|_| CoreError::InvalidInput(format!("{name:?} is not an IANA time zone")))
}

/// Checks an attempt against `catalog` and scores it. Shared by the app and the server.
pub fn check_attempt(catalog: &Catalog, attempt: &QuizAttempt) -> Result<(Tz, Score)> {
    let id_ok = !attempt.attempt_id.is_empty()
        && attempt.attempt_id.len() <= 64
        && attempt.attempt_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !id_ok {
        return Err(CoreError::InvalidInput(format!(
            "the attempt id {:?} is not 1 to 64 letters, digits, - or _",
            attempt.attempt_id
        )));
    }
    let zone = parse_zone(&attempt.time_zone)?;
    if attempt.finished_at < attempt.started_at {
        return Err(CoreError::InvalidInput("the attempt finished before it started".to_owned()));
    }
    let lesson = catalog.lesson(&attempt.lesson_id).ok_or_else(|| {
        CoreError::InvalidInput(format!("there is no lesson {:?}", attempt.lesson_id))
    })?;
    let score = quiz::score(lesson, &attempt.answers)
        .map_err(|e| CoreError::InvalidInput(e.to_string()))?;
    Ok((zone, score))
}

/// Scores `attempt` and stores it with its outbox row in one transaction, then awards any
/// badges it earned. Recording the same attempt id again changes nothing and returns the
/// stored score; the same id with other answers is refused.
pub async fn record_attempt(
    cache: &Cache,
    catalog: &Catalog,
    attempt: &QuizAttempt,
    now: DateTime<Utc>,
) -> Result<AttemptOutcome> {
    let (zone, score) = check_attempt(catalog, attempt)?;
    let before = quiz_attempts::list(cache.pool()).await?;
    let xp_before = xp(&before)?;

    let row = quiz_attempts::AttemptRow {
        id: attempt.attempt_id.clone(),
        lesson_id: attempt.lesson_id.clone(),
        catalog_version: catalog.version.clone(),
        answers: json_text(&attempt.answers)?,
        results: json_text(&score.results)?,
        correct: score.correct.into(),
        total: score.total.into(),
        passed: score.passed,
        started_at: instant_text(attempt.started_at),
        finished_at: instant_text(attempt.finished_at),
        time_zone: attempt.time_zone.clone(),
        local_date: streak::local_date(attempt.finished_at, zone).to_string(),
    };
    let payload = serde_json::to_value(attempt)
        .map_err(|e| CoreError::InvalidInput(format!("the attempt cannot be written: {e}")))?;
    let mut tx = cache.begin_write().await?;
    let new = quiz_attempts::insert(&mut tx, &row).await?;
    if new {
        outbox::enqueue(&mut tx, OUTBOX_KIND, &attempt.attempt_id, &payload, now).await?;
    }
    tx.commit().await?;

    if !new {
        let stored = quiz_attempts::get(cache.pool(), &attempt.attempt_id).await?;
        if stored.as_ref().is_none_or(|s| s.lesson_id != row.lesson_id || s.answers != row.answers)
        {
            return Err(CoreError::InvalidInput(format!(
                "the attempt id {} was already used for other answers",
                attempt.attempt_id
            )));
        }
    }
    tracing::info!(learn.lesson = %attempt.lesson_id, learn.correct = score.correct, new, "quiz attempt recorded");

    let after = quiz_attempts::list(cache.pool()).await?;
    let xp_gained = xp(&after)?.saturating_sub(xp_before);
    let badges_earned = refresh_badges(cache, catalog, zone, now).await?;
    let streak = streak::streak(&days(&after)?, streak::local_date(now, zone));
    Ok(AttemptOutcome {
        attempt_id: attempt.attempt_id.clone(),
        lesson_id: attempt.lesson_id.clone(),
        new,
        score,
        xp_gained,
        badges_earned,
        streak,
    })
}

/// The learner's progress as it stands at `now` in `zone`.
pub async fn progress(
    cache: &Cache,
    catalog: &Catalog,
    zone: Tz,
    now: DateTime<Utc>,
) -> Result<Progress> {
    let rows = quiz_attempts::list(cache.pool()).await?;

    let mut lessons = Vec::with_capacity(catalog.lessons.len());
    for lesson in &catalog.lessons {
        let mine: Vec<_> = rows.iter().filter(|r| r.lesson_id == lesson.id).collect();
        lessons.push(LessonProgress {
            lesson_id: lesson.id.clone(),
            attempts: mine.len() as u32,
            best_correct: mine.iter().map(|r| r.correct as u32).max().unwrap_or(0),
            total: mine.last().map_or(lesson.questions.len() as u32, |r| r.total as u32),
            passed: mine.iter().any(|r| r.passed),
            mastered: mine.iter().any(|r| r.total > 0 && r.correct == r.total),
        });
    }
    let mastered = lessons.iter().filter(|l| l.mastered).count() as u32;

    Ok(Progress {
        xp: xp(&rows)?,
        streak: streak::streak(&days(&rows)?, streak::local_date(now, zone)),
        lessons,
        mastered,
    })
}

/// Awards every badge whose rule is now met; returns the ids earned just now. Earned badges
/// are never taken back.
pub async fn refresh_badges(
    cache: &Cache,
    catalog: &Catalog,
    zone: Tz,
    now: DateTime<Utc>,
) -> Result<Vec<String>> {
    let rows = quiz_attempts::list(cache.pool()).await?;
    let today = streak::local_date(now, zone);
    let facts = badges::Facts {
        lessons_passed: rows.iter().filter(|r| r.passed).map(|r| r.lesson_id.clone()).collect(),
        lessons_mastered: rows
            .iter()
            .filter(|r| r.total > 0 && r.correct == r.total)
            .map(|r| r.lesson_id.clone())
            .collect(),
        lessons_in_catalog: catalog.lessons.iter().map(|l| l.id.clone()).collect(),
        longest_streak: streak::streak(&days(&rows)?, today).longest,
        bills: badges::counted_bills(cache.pool(), zone).await?,
    };

    // TODO(learn-sync): a badge is dated when this device first finds its rule met, so one
    // earned through attempts made on another device is dated the day they arrived here, not
    // the day of the attempt that earned it.
    let mut earned = Vec::new();
    let mut tx = cache.begin_write().await?;
    for badge in &catalog.badges {
        if let Some(value) = badges::meets(&badge.rule, &facts) {
            let evidence = serde_json::json!({ "rule": badge.rule, "value": value }).to_string();
            if earned_badges::insert(&mut tx, &badge.id, &instant_text(now), &evidence).await? {
                earned.push(badge.id.clone());
            }
        }
    }
    tx.commit().await?;
    if !earned.is_empty() {
        tracing::info!(learn.badges = ?earned, "badges earned");
    }
    Ok(earned)
}

/// Every badge of the catalogue with when it was earned, after awarding what is due.
pub async fn badge_wall(
    cache: &Cache,
    catalog: &Catalog,
    zone: Tz,
    now: DateTime<Utc>,
) -> Result<Vec<BadgeStatus>> {
    refresh_badges(cache, catalog, zone, now).await?;
    let earned: HashMap<String, String> =
        earned_badges::list(cache.pool()).await?.into_iter().map(|(id, at, _)| (id, at)).collect();

    let mut wall = Vec::with_capacity(catalog.badges.len());
    for badge in &catalog.badges {
        let earned_at = earned.get(&badge.id).map(|at| parse_instant(at)).transpose()?;
        let art_svg = content::badge_art(&badge.art).unwrap_or_default().to_owned();
        wall.push(BadgeStatus { badge: badge.clone(), earned_at, art_svg });
    }
    Ok(wall)
}

/// The share card of an earned badge, its text in `lang` with the day it was earned in
/// `zone`, set in a system font that has every glyph the text needs ([`card::find_font`]); the
/// card is drawn without text when there is none, and says so. A locked badge has no card.
pub async fn badge_card(
    cache: &Cache,
    catalog: &Catalog,
    badge_id: &str,
    lang: Lang,
    zone: Tz,
    now: DateTime<Utc>,
) -> Result<card::ShareCard> {
    let wall = badge_wall(cache, catalog, zone, now).await?;
    let status = wall
        .iter()
        .find(|s| s.badge.id == badge_id)
        .ok_or_else(|| CoreError::InvalidInput(format!("there is no badge {badge_id:?}")))?;
    let Some(earned_at) = status.earned_at else {
        return Err(CoreError::InvalidInput(format!(
            "the badge {badge_id} is not earned yet, so it has no share card; it needs: {}",
            status.badge.criteria.get(lang)
        )));
    };

    let text = card::CardText::new(&status.badge, lang, streak::local_date(earned_at, zone));
    let font = card::find_font(&text.all());
    if font.is_none() {
        tracing::warn!(learn.badge = badge_id, "no font has the card's glyphs; drawn without text");
    }
    card::share_card_png(&status.badge, &text, font.as_ref())
}

/// XP from every attempt, oldest first: [`quiz::XP_PER_QUESTION`] for each question the first
/// time it is answered right, [`quiz::XP_MASTERY`] the first time a lesson is mastered. Speed
/// earns nothing, and retaking a quiz earns only for what was not yet right.
fn xp(rows: &[quiz_attempts::AttemptRow]) -> Result<u32> {
    let mut right = HashSet::new();
    let mut mastered = HashSet::new();
    let mut xp = 0;
    for row in rows {
        let results: Vec<QuestionResult> = serde_json::from_str(&row.results)
            .map_err(|e| CoreError::BadResponse(format!("stored quiz results: {e}")))?;
        for r in results.iter().filter(|r| r.correct) {
            if right.insert((row.lesson_id.as_str(), r.question_id.clone())) {
                xp += quiz::XP_PER_QUESTION;
            }
        }
        if row.total > 0 && row.correct == row.total && mastered.insert(row.lesson_id.as_str()) {
            xp += quiz::XP_MASTERY;
        }
    }
    Ok(xp)
}

/// The local dates with an attempt.
fn days(rows: &[quiz_attempts::AttemptRow]) -> Result<BTreeSet<NaiveDate>> {
    rows.iter()
        .map(|r| {
            r.local_date
                .parse()
                .map_err(|e| CoreError::BadResponse(format!("stored date {:?}: {e}", r.local_date)))
        })
        .collect()
}

fn json_text<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value)
        .map_err(|e| CoreError::InvalidInput(format!("cannot write the attempt: {e}")))
}
