//! `greenmile quiz`: the education channel from a terminal.
//!
//! `list` shows the lessons, `take LESSON` runs a quiz (interactive in a terminal, numbered
//! choices; `--answers` for scripts), `progress` shows XP, mastery and the streak, and
//! `badges` the badge wall (with `--card ID --out FILE`, a badge's share card as PNG). Lessons
//! and everything the quiz says, its errors included, are in the language of `--lang`, else
//! of the data folder's `locale` setting, else of the environment ([`crate::locale`]).
//! Questions are named by their number in the quiz, the one shown beside them; their ids are
//! the content's own and mean nothing to the person answering.

use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use chrono::Utc;
use chrono_tz::Tz;
use greenmile_core::learn::content::QuestionKind;
use greenmile_core::learn::{self, Answer, Catalog, Lang, Lesson, Question, QuizAttempt};
use greenmile_core::{Cache, CoreError};
use serde::Serialize;

use crate::locale::{self, text};
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
    let zone = crate::zone::current();

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
/// the CLI's ([`locale::current`]). A language the lessons are not written in is refused
/// rather than shown in another.
fn language(flag: Option<&str>) -> Result<Lang, CoreError> {
    let Some(tag) = flag else {
        return Ok(locale::current());
    };
    let lower = tag.to_ascii_lowercase();
    let mut parts = lower.split(['-', '_']);
    let primary = parts.next().unwrap_or_default();
    // The lessons are written in Simplified Chinese: a Traditional script or a region that
    // writes it (Taiwan, Hong Kong, Macao) would be shown a script it did not ask for.
    let traditional = parts.any(|p| matches!(p, "hant" | "tw" | "hk" | "mo"));
    match primary {
        "zh" if !traditional => Ok(Lang::ZhCn),
        "en" => Ok(Lang::En),
        _ => Err(CoreError::InvalidInput(match locale::current() {
            Lang::ZhCn => format!("课程没有 {tag:?} 版本；请用 --lang zh-CN 或 --lang en"),
            Lang::En => {
                format!("the lessons are not written in {tag:?}; use --lang zh-CN or --lang en")
            }
        })),
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
        let count = match lang {
            Lang::ZhCn => format!("{:>2} 题", lesson.questions.len()),
            Lang::En => format!("{:>2} questions", lesson.questions.len()),
        };
        outln!("{mark} {:<24} {count}  {}", lesson.id, lesson.title.get(lang));
    }
    outln!(
        "{}",
        text(
            lang,
            "用 `greenmile quiz take LESSON` 开始测验，LESSON 是上面列出的课程编号。",
            "Take one with `greenmile quiz take LESSON`."
        )
    );
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
        let ids = catalog.lessons.iter().map(|l| l.id.as_str()).collect::<Vec<_>>().join(", ");
        CoreError::InvalidInput(match lang {
            Lang::ZhCn => format!("没有课程 {lesson_id:?}；可用的课程有 {ids}"),
            Lang::En => format!("no lesson {lesson_id:?}; use one of {ids}"),
        })
    })?;
    let started_at = Utc::now();

    let answers = match scripted {
        Some(answers) => parse_answers(lang, lesson, answers)?,
        None if std::io::stdin().is_terminal() && !json => ask(lang, lesson)?,
        None => {
            let message = text(
                lang,
                "这里不是终端：请用 --answers 给出答案，例如 --answers 1,2,1+3",
                "not a terminal: give the answers with --answers, such as --answers 1,2,1+3",
            );
            return Err(CoreError::InvalidInput(message.to_owned()).into());
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
    let score = &outcome.score;
    let verdict = if score.mastered {
        text(lang, "已掌握", "mastered")
    } else if score.passed {
        text(lang, "已通过", "passed")
    } else {
        text(lang, "尚未通过（答对 80% 即可通过）", "not passed yet (80 % passes)")
    };
    let (current, longest) =
        (days(lang, outcome.streak.current), days(lang, outcome.streak.longest));
    match lang {
        Lang::ZhCn => {
            outln!(
                "得分：答对 {} 题，共 {} 题，{verdict}。经验值 +{}",
                score.correct,
                score.total,
                outcome.xp_gained
            );
            outln!("连续学习：{current}（最长 {longest}）");
        }
        Lang::En => {
            outln!(
                "Score: {} of {}, {verdict}. +{} XP",
                score.correct,
                score.total,
                outcome.xp_gained
            );
            outln!("Streak: {current} (longest {longest})");
        }
    }
    for id in &outcome.badges_earned {
        if let Some(badge) = catalog.badge(id) {
            outln!("{}{}", text(lang, "获得徽章：", "Badge earned: "), badge.title.get(lang));
        }
    }
    Ok(())
}

/// Reads `1,2,1+3,...` into one answer per question, by choice number.
fn parse_answers(lang: Lang, lesson: &Lesson, answers: &str) -> Result<Vec<Answer>, CoreError> {
    let parts: Vec<&str> = answers.split(',').map(str::trim).collect();
    let (given, asked) = (parts.len(), lesson.questions.len());
    if given != asked {
        return Err(CoreError::InvalidInput(match lang {
            Lang::ZhCn => format!("给出了 {given} 个答案，但 {} 测验有 {asked} 道题", lesson.id),
            Lang::En => {
                format!("{given} answers given; the {} quiz has {asked} questions", lesson.id)
            }
        }));
    }
    let mut picked = Vec::with_capacity(asked);
    for (n, (question, part)) in lesson.questions.iter().zip(parts).enumerate() {
        picked.push(pick(lang, question, n + 1, part)?);
    }
    Ok(picked)
}

/// One answer from choice numbers such as `2` or `1+3`, to the question shown as `number`.
fn pick(lang: Lang, question: &Question, number: usize, answer: &str) -> Result<Answer, CoreError> {
    let answer = answer.trim();
    let choices = question.choices();
    let mut picked = Vec::new();
    for n in answer.split('+').map(str::trim) {
        let index = n.parse::<usize>().ok().filter(|i| (1..=choices.len()).contains(i));
        let Some(i) = index else {
            let most = choices.len();
            return Err(CoreError::InvalidInput(match lang {
                Lang::ZhCn => format!("{n:?} 不是第 {number} 题的选项；请选 1 到 {most}"),
                Lang::En => format!("{n:?} is not a choice of question {number}; use 1 to {most}"),
            }));
        };
        picked.push(choices[i - 1].id.clone());
    }
    if question.kind != QuestionKind::Multiple && picked.len() > 1 {
        return Err(CoreError::InvalidInput(match lang {
            Lang::ZhCn => format!(
                "第 {number} 题只能选一个答案，不能选 {answer:?}；只有要求选出所有正确答案的题\
                 才用 + 连接编号"
            ),
            Lang::En => format!(
                "question {number} takes one choice, not {answer:?}; join numbers with + only \
                 where every answer that applies is asked for"
            ),
        }));
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
            let prompt = match (lang, question.kind == QuestionKind::Multiple) {
                (Lang::ZhCn, true) => "你的答案（用 + 连接多个编号）：",
                (Lang::ZhCn, false) => "你的答案（一个编号）：",
                (Lang::En, true) => "Your answer (numbers joined by +): ",
                (Lang::En, false) => "Your answer (a number): ",
            };
            write!(std::io::stdout().lock(), "{prompt}")?;
            std::io::stdout().flush()?;
            let mut line = String::new();
            let read = stdin.lock().read_line(&mut line);
            if read.context(text(lang, "无法读取答案", "cannot read the answer"))? == 0 {
                let left = text(lang, "测验在结束前被退出", "the quiz was left before its end");
                anyhow::bail!(CoreError::InvalidInput(left.to_owned()));
            }
            match pick(lang, question, n + 1, &line) {
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
        outln!("   {}", text(lang, "回答正确。", "Right."));
    } else {
        let answer: Vec<String> = question
            .choices()
            .iter()
            .enumerate()
            .filter(|(_, c)| question.answer.contains(&c.id))
            .map(|(i, c)| format!("{}) {}", i + 1, c.text.get(lang)))
            .collect();
        match lang {
            Lang::ZhCn => outln!("   不太对：正确答案是 {}。", answer.join("；")),
            Lang::En => outln!("   Not quite: the answer is {}.", answer.join("; ")),
        }
    }
    outln!("   {}", question.explanation.get(lang));
    outln!("   {}{}\n", text(lang, "出处：", "Source: "), question.source);
    Ok(())
}

/// `n days`, with one day in the singular.
fn days(lang: Lang, n: u32) -> String {
    match lang {
        Lang::ZhCn => format!("{n} 天"),
        Lang::En if n == 1 => "1 day".to_owned(),
        Lang::En => format!("{n} days"),
    }
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

    let (current, longest) = (days(lang, p.streak.current), days(lang, p.streak.longest));
    match lang {
        Lang::ZhCn => {
            outln!("经验值：{}", p.xp);
            let today = if p.streak.today_done { "，今天已完成" } else { "" };
            outln!("连续学习：{current}{today}（最长 {longest}）");
            outln!("已掌握：{} 课，共 {} 课", p.mastered, p.lessons.len());
        }
        Lang::En => {
            outln!("XP: {}", p.xp);
            let today = if p.streak.today_done { ", today done" } else { "" };
            outln!("Streak: {current}{today} (longest {longest})");
            outln!("Mastered: {} of {} lessons", p.mastered, p.lessons.len());
        }
    }
    for (lesson, l) in catalog.lessons.iter().zip(&p.lessons) {
        let state = match (l.mastered, l.passed, l.attempts) {
            (true, _, _) => text(lang, "已掌握", "mastered"),
            (_, true, _) => text(lang, "已通过", "passed"),
            (_, _, 0) => text(lang, "尚未测验", "not taken"),
            _ => text(lang, "尚未通过", "not passed yet"),
        };
        let (id, title) = (&l.lesson_id, lesson.title.get(lang));
        match lang {
            // Padded with U+3000, a space as wide as a Chinese character, so columns line up.
            Lang::ZhCn => outln!(
                "  {id:<24} 最好成绩 {}/{}  测验 {:>2} 次  {state:\u{3000}<4} {title}",
                l.best_correct,
                l.total,
                l.attempts
            ),
            Lang::En => outln!(
                "  {id:<24} best {}/{}  {:>2} attempts  {state:<14} {title}",
                l.best_correct,
                l.total,
                l.attempts
            ),
        }
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
                "★ {}  {}{}",
                status.badge.title.get(lang),
                text(lang, "获得于 ", "earned "),
                at.with_timezone(&zone).format("%Y-%m-%d")
            ),
            None => outln!(
                "  {}  {}{}",
                status.badge.title.get(lang),
                text(lang, "未解锁：", "locked: "),
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
    std::fs::write(out, &card.png).map_err(|e| {
        let context = match lang {
            Lang::ZhCn => format!("无法写入 {}", out.display()),
            Lang::En => format!("cannot write {}", out.display()),
        };
        CoreError::io(context, e)
    })?;
    if json {
        return output::json(&serde_json::json!({
            "badge": id,
            "file": out,
            "bytes": card.png.len(),
            "text": card.text_drawn,
        }));
    }
    let (file, bytes, font_env) = (out.display(), card.png.len(), learn::card::FONT_ENV);
    match lang {
        Lang::ZhCn => outln!("已写入 {file}（{bytes} 字节）"),
        Lang::En => outln!("Wrote {file} ({bytes} bytes)"),
    }
    if !card.text_drawn {
        match lang {
            Lang::ZhCn => outln!(
                "这台电脑上没有含卡片文字字形的字体，所以卡片上只有奖章：请安装思源黑体 \
                 Noto Sans CJK（Debian：fonts-noto-cjk），或把 {font_env} 设为一个字体文件"
            ),
            Lang::En => outln!(
                "No font here has the glyphs of the card's text, so the card has the medal \
                 only: install Noto Sans CJK (Debian: fonts-noto-cjk) or set {font_env} to a \
                 font file"
            ),
        }
    }
    Ok(())
}
