//! `greenmile quiz`: the education channel from a terminal.
//!
//! `list` shows the lessons, `take LESSON` runs a quiz (interactive in a terminal, numbered
//! choices; `--answers` for scripts), `progress` shows XP, mastery and the streak, and
//! `badges` the badge wall (with `--card ID --out FILE`, a badge's share card as PNG). Texts
//! are shown in the language of `--lang`, or of `LANG` when it is Chinese, else English.

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use chrono::Utc;
use chrono_tz::Tz;
use greenmile_core::learn::content::QuestionKind;
use greenmile_core::learn::{self, Answer, Catalog, Lang, Lesson, Question, QuizAttempt};
use greenmile_core::{Cache, CoreError};
use serde::Serialize;

use crate::outln;
use crate::output;

/// What `greenmile quiz` was asked to do.
#[derive(Debug, clap::Subcommand)]
pub enum QuizCommand {
    /// List the lessons with their question counts.
    List,
    /// Take a lesson's quiz; each answer is explained after it is given.
    Take {
        /// The lesson's id, such as energy-labels (see `greenmile quiz list`).
        lesson: String,
        /// Answers by choice number, one per question in order, such as 1,2,1+3,2 (join the
        /// numbers of a multiple-choice answer with +). Without it, asks in the terminal.
        #[arg(long, value_name = "LIST", allow_hyphen_values = true)]
        answers: Option<String>,
    },
    /// XP, mastery per lesson and the streak.
    Progress,
    /// The badge wall: every badge, earned or with its criteria.
    Badges {
        /// Write this badge's share card (PNG) to --out.
        #[arg(long, value_name = "BADGE_ID", requires = "out")]
        card: Option<String>,
        /// Where to write the share card.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// Runs `greenmile quiz`.
pub async fn run(
    json: bool,
    lang: Option<&str>,
    cache: &Cache,
    command: &QuizCommand,
) -> anyhow::Result<()> {
    let catalog = learn::active_catalog(cache).await?;
    let catalog: &Catalog = &catalog;
    let lang = language(lang)?;
    let zone = greenmile_core::dashboard::system_time_zone();

    match command {
        QuizCommand::List => list(json, lang, catalog, cache, zone).await,
        QuizCommand::Take { lesson, answers } => {
            take(json, lang, catalog, cache, zone, lesson, answers.as_deref()).await
        }
        QuizCommand::Progress => progress(json, lang, catalog, cache, zone).await,
        QuizCommand::Badges { card, out } => match (card, out) {
            (Some(id), Some(out)) => share_card(json, lang, catalog, cache, zone, id, out).await,
            _ => badges(json, lang, catalog, cache, zone).await,
        },
    }
}

/// The language of `--lang` (zh-CN or en; zh and en-GB style tags are read as those), else
/// of `LANG` when it is Chinese, else English. A language the lessons are not written in is
/// refused rather than shown in another.
fn language(flag: Option<&str>) -> Result<Lang, CoreError> {
    let Some(tag) = flag else {
        return Ok(std::env::var("LANG").map(|l| Lang::from_tag(&l)).unwrap_or(Lang::En));
    };
    let primary = tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
    match primary.as_str() {
        "zh" => Ok(Lang::ZhCn),
        "en" => Ok(Lang::En),
        _ => Err(CoreError::InvalidInput(format!(
            "the lessons are not written in {tag:?}; use --lang zh-CN or --lang en"
        ))),
    }
}

#[derive(Serialize)]
struct LessonJson<'a> {
    id: &'a str,
    title: &'a learn::Text,
    categories: Vec<&'static str>,
    questions: usize,
}

async fn list(
    json: bool,
    lang: Lang,
    catalog: &Catalog,
    cache: &Cache,
    zone: Tz,
) -> anyhow::Result<()> {
    if json {
        let lessons: Vec<_> = catalog
            .lessons
            .iter()
            .map(|l| LessonJson {
                id: &l.id,
                title: &l.title,
                categories: l.categories.iter().map(|c| c.as_str()).collect(),
                questions: l.questions.len(),
            })
            .collect();
        return output::json(
            &serde_json::json!({ "version": catalog.version, "lessons": lessons }),
        );
    }

    let progress = learn::progress(cache, catalog, zone, Utc::now()).await?;
    for (lesson, p) in catalog.lessons.iter().zip(&progress.lessons) {
        let mark = if p.mastered {
            "★"
        } else if p.passed {
            "✓"
        } else {
            " "
        };
        outln!(
            "{mark} {:<24} {:>2} questions  {}",
            lesson.id,
            lesson.questions.len(),
            lesson.title.get(lang)
        );
    }
    outln!("Take one with `greenmile quiz take LESSON`.");
    Ok(())
}

async fn take(
    json: bool,
    lang: Lang,
    catalog: &Catalog,
    cache: &Cache,
    zone: Tz,
    lesson_id: &str,
    scripted: Option<&str>,
) -> anyhow::Result<()> {
    let lesson = catalog.lesson(lesson_id).ok_or_else(|| {
        let ids: Vec<_> = catalog.lessons.iter().map(|l| l.id.as_str()).collect();
        CoreError::InvalidInput(format!("no lesson {lesson_id:?}; use one of {}", ids.join(", ")))
    })?;
    let started_at = Utc::now();

    let answers = match scripted {
        Some(text) => parse_answers(lesson, text)?,
        None if std::io::stdin().is_terminal() && !json => ask(lang, lesson)?,
        None => {
            return Err(CoreError::InvalidInput(
                "not a terminal: give the answers with --answers, such as --answers 1,2,1+3"
                    .to_owned(),
            )
            .into());
        }
    };

    let attempt = QuizAttempt::new(&lesson.id, answers, started_at, Utc::now(), zone);
    let outcome = learn::record_attempt(cache, catalog, &attempt, Utc::now()).await?;
    if json {
        return output::json(&outcome);
    }

    if scripted.is_some() {
        for (n, (question, answer)) in lesson.questions.iter().zip(&attempt.answers).enumerate() {
            outln!("{}. {}", n + 1, question.prompt.get(lang));
            explain(lang, question, &answer.choices)?;
        }
    }
    let verdict = if outcome.score.mastered {
        "mastered"
    } else if outcome.score.passed {
        "passed"
    } else {
        "not passed yet (80 % passes)"
    };
    outln!(
        "Score: {} of {}, {verdict}. +{} XP",
        outcome.score.correct,
        outcome.score.total,
        outcome.xp_gained
    );
    outln!("Streak: {} (longest {})", days(outcome.streak.current), days(outcome.streak.longest));
    for id in &outcome.badges_earned {
        if let Some(badge) = catalog.badge(id) {
            outln!("Badge earned: {}", badge.title.get(lang));
        }
    }
    Ok(())
}

/// Reads `1,2,1+3,...` into one answer per question, by choice number.
fn parse_answers(lesson: &Lesson, text: &str) -> Result<Vec<Answer>, CoreError> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    if parts.len() != lesson.questions.len() {
        return Err(CoreError::InvalidInput(format!(
            "{} answers given; the {} quiz has {} questions",
            parts.len(),
            lesson.id,
            lesson.questions.len()
        )));
    }
    lesson.questions.iter().zip(parts).map(|(q, part)| pick(q, part)).collect()
}

/// One answer from choice numbers such as `2` or `1+3`.
fn pick(question: &Question, text: &str) -> Result<Answer, CoreError> {
    let choices = question.choices();
    let mut picked = Vec::new();
    for n in text.split('+').map(str::trim) {
        let index = n.parse::<usize>().ok().filter(|i| (1..=choices.len()).contains(i));
        let Some(i) = index else {
            return Err(CoreError::InvalidInput(format!(
                "{n:?} is not a choice of question {}; use 1 to {}",
                question.id,
                choices.len()
            )));
        };
        picked.push(choices[i - 1].id.clone());
    }
    if question.kind != QuestionKind::Multiple && picked.len() > 1 {
        return Err(CoreError::InvalidInput(format!(
            "question {} takes one choice, not {:?}; join numbers with + only where every \
             answer that applies is asked for",
            question.id, text
        )));
    }
    Ok(Answer { question_id: question.id.clone(), choices: picked })
}

/// Asks every question in the terminal, explaining each answer as it is given.
fn ask(lang: Lang, lesson: &Lesson) -> anyhow::Result<Vec<Answer>> {
    outln!("{}\n", lesson.title.get(lang));
    let body = match lang {
        Lang::ZhCn => &lesson.body.zh_cn,
        Lang::En => &lesson.body.en,
    };
    for para in body {
        outln!("{para}\n");
    }

    let stdin = std::io::stdin();
    let mut answers = Vec::with_capacity(lesson.questions.len());
    for (n, question) in lesson.questions.iter().enumerate() {
        outln!("{}. {}", n + 1, question.prompt.get(lang));
        for (i, choice) in question.choices().iter().enumerate() {
            outln!("   {}) {}", i + 1, choice.text.get(lang));
        }
        let answer = loop {
            let hint = if question.kind == learn::content::QuestionKind::Multiple {
                "numbers joined by +"
            } else {
                "a number"
            };
            write!(std::io::stdout().lock(), "Your answer ({hint}): ")?;
            std::io::stdout().flush()?;
            let mut line = String::new();
            if stdin.lock().read_line(&mut line).context("cannot read the answer")? == 0 {
                anyhow::bail!(CoreError::InvalidInput(
                    "the quiz was left before its end".to_owned()
                ));
            }
            match pick(question, &line) {
                Ok(answer) => break answer,
                Err(e) => outln!("{e}"),
            }
        };
        explain(lang, question, &answer.choices)?;
        answers.push(answer);
    }
    Ok(answers)
}

/// Says whether an answer is right, and why.
fn explain(lang: Lang, question: &Question, picked: &[String]) -> anyhow::Result<()> {
    if learn::quiz::is_right(question, picked) {
        outln!("   Right.");
    } else {
        let answer: Vec<String> = question
            .choices()
            .iter()
            .enumerate()
            .filter(|(_, c)| question.answer.contains(&c.id))
            .map(|(i, c)| format!("{}) {}", i + 1, c.text.get(lang)))
            .collect();
        outln!("   Not quite: the answer is {}.", answer.join("; "));
    }
    outln!("   {}", question.explanation.get(lang));
    outln!("   Source: {}\n", question.source);
    Ok(())
}

/// `n days`, with one day in the singular.
fn days(n: u32) -> String {
    if n == 1 { "1 day".to_owned() } else { format!("{n} days") }
}

async fn progress(
    json: bool,
    lang: Lang,
    catalog: &Catalog,
    cache: &Cache,
    zone: Tz,
) -> anyhow::Result<()> {
    let p = learn::progress(cache, catalog, zone, Utc::now()).await?;
    if json {
        return output::json(&p);
    }

    outln!("XP: {}", p.xp);
    outln!(
        "Streak: {}{} (longest {})",
        days(p.streak.current),
        if p.streak.today_done { ", today done" } else { "" },
        days(p.streak.longest)
    );
    outln!("Mastered: {} of {} lessons", p.mastered, p.lessons.len());
    for (lesson, l) in catalog.lessons.iter().zip(&p.lessons) {
        let state = match (l.mastered, l.passed, l.attempts) {
            (true, _, _) => "mastered",
            (_, true, _) => "passed",
            (_, _, 0) => "not taken",
            _ => "not passed yet",
        };
        outln!(
            "  {:<24} best {}/{}  {:>2} attempts  {state:<14} {}",
            l.lesson_id,
            l.best_correct,
            l.total,
            l.attempts,
            lesson.title.get(lang)
        );
    }
    Ok(())
}

async fn badges(
    json: bool,
    lang: Lang,
    catalog: &Catalog,
    cache: &Cache,
    zone: Tz,
) -> anyhow::Result<()> {
    let wall = learn::badge_wall(cache, catalog, zone, Utc::now()).await?;
    if json {
        return output::json(&serde_json::json!({ "badges": wall }));
    }

    for status in &wall {
        match status.earned_at {
            Some(at) => outln!(
                "★ {}  earned {}",
                status.badge.title.get(lang),
                at.with_timezone(&zone).format("%Y-%m-%d")
            ),
            None => outln!(
                "  {}  locked: {}",
                status.badge.title.get(lang),
                status.badge.criteria.get(lang)
            ),
        }
    }
    Ok(())
}

async fn share_card(
    json: bool,
    lang: Lang,
    catalog: &Catalog,
    cache: &Cache,
    zone: Tz,
    id: &str,
    out: &Path,
) -> anyhow::Result<()> {
    let card = learn::badge_card(cache, catalog, id, lang, zone, Utc::now()).await?;
    std::fs::write(out, &card.png)
        .map_err(|e| CoreError::io(format!("cannot write {}", out.display()), e))?;
    if json {
        return output::json(&serde_json::json!({
            "badge": id,
            "file": out,
            "bytes": card.png.len(),
            "text": card.text_drawn,
        }));
    }
    outln!("Wrote {} ({} bytes)", out.display(), card.png.len());
    if !card.text_drawn {
        outln!(
            "No font here has the glyphs of the card's text, so the card has the medal only: \
             install Noto Sans CJK (Debian: fonts-noto-cjk) or set {} to a font file",
            learn::card::FONT_ENV
        );
    }
    Ok(())
}
