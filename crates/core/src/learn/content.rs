//! The catalogue: lessons with their quizzes, and badges, read from `assets/learn`.
//!
//! The files are data, written in zh-CN and en. [`Catalog::from_files`] reads them and checks
//! everything a person could get wrong when editing one (a missing translation, a question
//! without an answer, an answer that is not a choice, a duplicate id, an unknown badge rule, a
//! quiz of the wrong length); each problem names the file and the field. [`bundled`] is the
//! copy compiled into the binary, which is what works offline.

use std::collections::{BTreeSet, HashSet};
use std::sync::OnceLock;

use greenmile_api::GreenCategory;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

/// The fewest questions a quiz may have.
pub const MIN_QUESTIONS: usize = 6;
/// The most questions a quiz may have.
pub const MAX_QUESTIONS: usize = 10;

/// The content files compiled into the binary: the badge file, then every lesson in the order
/// the channel lists them. A test checks this list against the folder.
const BUNDLED: &[(&str, &str)] = &[
    ("badges.json", include_str!("../../../../assets/learn/badges.json")),
    (
        "lessons/energy-labels.json",
        include_str!("../../../../assets/learn/lessons/energy-labels.json"),
    ),
    (
        "lessons/transport-choices.json",
        include_str!("../../../../assets/learn/lessons/transport-choices.json"),
    ),
    ("lessons/food-waste.json", include_str!("../../../../assets/learn/lessons/food-waste.json")),
    (
        "lessons/second-hand-recycling.json",
        include_str!("../../../../assets/learn/lessons/second-hand-recycling.json"),
    ),
    ("lessons/ev-charging.json", include_str!("../../../../assets/learn/lessons/ev-charging.json")),
    (
        "lessons/greenwashing.json",
        include_str!("../../../../assets/learn/lessons/greenwashing.json"),
    ),
    (
        "lessons/green-credit.json",
        include_str!("../../../../assets/learn/lessons/green-credit.json"),
    ),
    (
        "lessons/carbon-figures.json",
        include_str!("../../../../assets/learn/lessons/carbon-figures.json"),
    ),
];

/// The badge artwork compiled into the binary, by file name under `assets/learn/badges`.
const ART: &[(&str, &str)] = &[
    (
        "first-quiz-passed.svg",
        include_str!("../../../../assets/learn/badges/first-quiz-passed.svg"),
    ),
    (
        "all-lessons-mastered.svg",
        include_str!("../../../../assets/learn/badges/all-lessons-mastered.svg"),
    ),
    ("streak-7.svg", include_str!("../../../../assets/learn/badges/streak-7.svg")),
    ("streak-30.svg", include_str!("../../../../assets/learn/badges/streak-30.svg")),
    (
        "certified-appliance.svg",
        include_str!("../../../../assets/learn/badges/certified-appliance.svg"),
    ),
    ("carbon-100kg.svg", include_str!("../../../../assets/learn/badges/carbon-100kg.svg")),
    (
        "green-transport-year.svg",
        include_str!("../../../../assets/learn/badges/green-transport-year.svg"),
    ),
];

/// A badge's SVG artwork, by its file name.
pub fn badge_art(file: &str) -> Option<&'static str> {
    ART.iter().find(|(name, _)| *name == file).map(|(_, svg)| *svg)
}

/// The names of the bundled files, relative to `assets/learn`.
pub fn bundled_file_names() -> impl Iterator<Item = &'static str> {
    BUNDLED.iter().map(|(name, _)| *name)
}

/// The catalogue compiled into the binary.
///
/// The content is checked by the test suite, so a failure here is a build that skipped its
/// tests; it is reported as an empty catalogue with the problems logged rather than a panic.
pub fn bundled() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| match Catalog::from_files(BUNDLED) {
        Ok(catalog) => catalog,
        Err(problems) => {
            for p in &problems {
                tracing::error!(learn.file = %p.file, learn.field = %p.field, "{}", p.problem);
            }
            Catalog { version: String::new(), lessons: Vec::new(), badges: Vec::new() }
        }
    })
}

/// A language the content is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum Lang {
    /// Simplified Chinese, as used in mainland China.
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// The language for a locale tag such as `zh-CN`, `zh` or `en-GB`; English otherwise.
    pub fn from_tag(tag: &str) -> Self {
        if tag.to_ascii_lowercase().starts_with("zh") { Lang::ZhCn } else { Lang::En }
    }
}

/// A short text in every language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Simplified Chinese.
    #[serde(rename = "zh-CN")]
    pub zh_cn: String,
    /// English.
    pub en: String,
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.zh_cn,
            Lang::En => &self.en,
        }
    }

    fn new(zh_cn: &str, en: &str) -> Self {
        Self { zh_cn: zh_cn.to_owned(), en: en.to_owned() }
    }
}

/// Paragraphs in every language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Paragraphs {
    /// Simplified Chinese.
    #[serde(rename = "zh-CN")]
    pub zh_cn: Vec<String>,
    /// English.
    pub en: Vec<String>,
}

/// A short lesson and its quiz.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Stable id, such as `energy-labels`.
    pub id: String,
    /// The bill categories this lesson explains; a green bill links to the first lesson that
    /// names its category.
    pub categories: Vec<GreenCategory>,
    /// The lesson's title.
    pub title: Text,
    /// One sentence on what the lesson teaches.
    pub summary: Text,
    /// The lesson itself, a few paragraphs.
    pub body: Paragraphs,
    /// The quiz, 6 to 10 questions.
    pub questions: Vec<Question>,
}

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Exactly one choice is right.
    Single,
    /// One or more choices are right, and all of them must be picked.
    Multiple,
    /// A statement that is true or false; the choices are `true` and `false`.
    TrueFalse,
}

/// One question of a quiz, with its answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Id, unique within the lesson.
    pub id: String,
    /// How it is answered.
    pub kind: QuestionKind,
    /// What is asked.
    pub prompt: Text,
    /// The choices; empty in the file for a true/false question (see [`Question::choices`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
    /// The ids of the right choices.
    pub answer: Vec<String>,
    /// Why the answer is right, shown after the question is answered.
    pub explanation: Text,
    /// The document the claim comes from.
    pub source: String,
}

impl Question {
    /// The choices a person picks from; for a true/false question, "true" and "false".
    pub fn choices(&self) -> Vec<Choice> {
        match self.kind {
            QuestionKind::TrueFalse => vec![
                Choice { id: "true".to_owned(), text: Text::new("正确", "True") },
                Choice { id: "false".to_owned(), text: Text::new("错误", "False") },
            ],
            _ => self.choices.clone(),
        }
    }
}

/// One choice of a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Id, unique within the question, such as `a`.
    pub id: String,
    /// What the choice says.
    pub text: Text,
}

/// A badge: its rule, its look and the criteria people read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct Badge {
    /// Stable id, such as `streak-7`.
    pub id: String,
    /// What earns it.
    pub rule: BadgeRule,
    /// Its main colour, `#rrggbb`.
    pub colour: String,
    /// The SVG artwork's file name under `assets/learn/badges`.
    pub art: String,
    /// Its name.
    pub title: Text,
    /// What earns it, in words; shown on a locked badge.
    pub criteria: Text,
}

/// What earns a badge. Every kind reads quiz results or reviewed or certified bills in the
/// cache; none reads anything a person says about themselves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[serde(deny_unknown_fields)]
pub enum BadgeRule {
    /// This many quiz attempts passed, counting retakes of a lesson once.
    QuizzesPassed {
        /// How many lessons' quizzes passed.
        count: u32,
    },
    /// Every lesson of the catalogue mastered (all questions right in one attempt).
    AllLessonsMastered,
    /// The longest streak reached this many days.
    StreakDays {
        /// Days in a row.
        days: u32,
    },
    /// This many reviewed or certified bills of a category, not refunded in full.
    CertifiedBills {
        /// The category.
        category: GreenCategory,
        /// How many bills.
        count: u32,
    },
    /// Carbon saved by reviewed or certified bills, in all.
    CertifiedCarbonSaved {
        /// Grams of CO2e.
        #[ts(type = "number")]
        grams: i64,
    },
    /// A reviewed or certified bill of these categories in each of this many calendar months
    /// in a row.
    CertifiedMonthsInARow {
        /// The categories that count.
        categories: Vec<GreenCategory>,
        /// Months in a row.
        months: u32,
    },
}

/// The whole catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Catalog {
    /// A digest of the content; changes whenever any file does.
    pub version: String,
    /// The lessons, in the order the channel lists them.
    pub lessons: Vec<Lesson>,
    /// The badges.
    pub badges: Vec<Badge>,
}

/// The badge file's shape.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BadgeFile {
    #[serde(rename = "about")]
    _about: String,
    badges: Vec<Badge>,
}

/// Something wrong in a content file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {field}: {problem}")]
pub struct ContentProblem {
    /// The file, relative to `assets/learn`.
    pub file: String,
    /// Where in the file, as a path such as `questions[2].answer`.
    pub field: String,
    /// What is wrong.
    pub problem: String,
}

impl Catalog {
    /// Reads and checks content files given as `(name, text)`: `badges.json` and lessons under
    /// `lessons/`. Returns every problem found, not only the first.
    pub fn from_files(files: &[(&str, &str)]) -> Result<Catalog, Vec<ContentProblem>> {
        let mut problems = Vec::new();
        let mut lessons = Vec::new();
        let mut badges = Vec::new();
        let mut digest = Sha256::new();

        for (name, text) in files {
            digest.update(name.as_bytes());
            digest.update([0]);
            digest.update(text.as_bytes());
            digest.update([0]);

            if *name == "badges.json" {
                match parse::<BadgeFile>(name, text) {
                    Ok(file) => badges = file.badges,
                    Err(p) => problems.push(p),
                }
            } else {
                match parse::<Lesson>(name, text) {
                    Ok(lesson) => {
                        problems.extend(check_lesson(name, &lesson));
                        lessons.push(lesson);
                    }
                    Err(p) => problems.push(p),
                }
            }
        }
        if !files.iter().any(|(name, _)| *name == "badges.json") {
            problems.push(problem("badges.json", "", "the badge file is missing"));
        }
        problems.extend(check_catalog(files, &lessons, &badges));

        if !problems.is_empty() {
            return Err(problems);
        }
        let hex: String = digest.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect();
        Ok(Catalog { version: hex, lessons, badges })
    }

    /// The lesson with this id.
    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.id == id)
    }

    /// The lesson that explains `category`: the first that names it.
    pub fn lesson_for(&self, category: GreenCategory) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.categories.contains(&category))
    }

    /// The badge with this id.
    pub fn badge(&self, id: &str) -> Option<&Badge> {
        self.badges.iter().find(|b| b.id == id)
    }
}

fn problem(file: &str, field: impl Into<String>, text: impl Into<String>) -> ContentProblem {
    ContentProblem { file: file.to_owned(), field: field.into(), problem: text.into() }
}

/// Parses `text`, naming the field of a type error or missing field.
fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, ContentProblem> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        problem(file, if field == "." { String::new() } else { field }, e.inner().to_string())
    })
}

fn check_text(out: &mut Vec<ContentProblem>, file: &str, field: &str, text: &Text) {
    for (lang, value) in [("zh-CN", &text.zh_cn), ("en", &text.en)] {
        if value.trim().is_empty() {
            out.push(problem(file, format!("{field}.{lang}"), "the translation is empty"));
        }
    }
}

fn check_lesson(file: &str, lesson: &Lesson) -> Vec<ContentProblem> {
    let mut out = Vec::new();

    let stem = file.trim_start_matches("lessons/").trim_end_matches(".json");
    if lesson.id != stem {
        out.push(problem(file, "id", format!("the id {:?} is not the file's name", lesson.id)));
    }
    check_text(&mut out, file, "title", &lesson.title);
    check_text(&mut out, file, "summary", &lesson.summary);
    for (lang, paras) in [("zh-CN", &lesson.body.zh_cn), ("en", &lesson.body.en)] {
        if paras.is_empty() || paras.iter().any(|p| p.trim().is_empty()) {
            out.push(problem(file, format!("body.{lang}"), "the translation is missing or empty"));
        }
    }
    if lesson.body.zh_cn.len() != lesson.body.en.len() {
        out.push(problem(file, "body", "zh-CN and en have a different number of paragraphs"));
    }

    let n = lesson.questions.len();
    if !(MIN_QUESTIONS..=MAX_QUESTIONS).contains(&n) {
        out.push(problem(
            file,
            "questions",
            format!("the quiz has {n} questions; it needs {MIN_QUESTIONS} to {MAX_QUESTIONS}"),
        ));
    }
    let mut ids = HashSet::new();
    for (i, q) in lesson.questions.iter().enumerate() {
        let at = format!("questions[{i}]");
        if !ids.insert(q.id.as_str()) {
            out.push(problem(file, format!("{at}.id"), format!("the id {:?} is used twice", q.id)));
        }
        check_question(&mut out, file, &at, q);
    }
    out
}

fn check_question(out: &mut Vec<ContentProblem>, file: &str, at: &str, q: &Question) {
    check_text(out, file, &format!("{at}.prompt"), &q.prompt);
    check_text(out, file, &format!("{at}.explanation"), &q.explanation);
    if q.source.trim().is_empty() {
        out.push(problem(file, format!("{at}.source"), "the question names no source"));
    }

    match q.kind {
        QuestionKind::TrueFalse if !q.choices.is_empty() => out.push(problem(
            file,
            format!("{at}.choices"),
            "a true/false question has no choices of its own",
        )),
        QuestionKind::Single | QuestionKind::Multiple if q.choices.len() < 2 => {
            out.push(problem(file, format!("{at}.choices"), "a question needs two choices or more"))
        }
        _ => {}
    }
    let mut choice_ids = HashSet::new();
    for (j, c) in q.choices.iter().enumerate() {
        if !choice_ids.insert(c.id.as_str()) {
            out.push(problem(
                file,
                format!("{at}.choices[{j}].id"),
                format!("the id {:?} is used twice", c.id),
            ));
        }
        check_text(out, file, &format!("{at}.choices[{j}].text"), &c.text);
    }

    let answer: BTreeSet<&str> = q.answer.iter().map(String::as_str).collect();
    if answer.is_empty() {
        out.push(problem(file, format!("{at}.answer"), "the question has no answer"));
    }
    if answer.len() != q.answer.len() {
        out.push(problem(file, format!("{at}.answer"), "the answer names a choice twice"));
    }
    let valid: Vec<String> = q.choices().into_iter().map(|c| c.id).collect();
    for a in &answer {
        if !valid.iter().any(|v| v == a) {
            out.push(problem(
                file,
                format!("{at}.answer"),
                format!("{a:?} is not among the choices ({})", valid.join(", ")),
            ));
        }
    }
    if matches!(q.kind, QuestionKind::Single | QuestionKind::TrueFalse) && answer.len() > 1 {
        out.push(problem(file, format!("{at}.answer"), "this kind of question has one answer"));
    }
}

fn check_catalog(
    files: &[(&str, &str)],
    lessons: &[Lesson],
    badges: &[Badge],
) -> Vec<ContentProblem> {
    let mut out = Vec::new();

    let mut names = HashSet::new();
    for (name, _) in files {
        if !names.insert(*name) {
            out.push(problem(name, "", "the file is given twice"));
        }
    }
    let lesson_files = files.iter().filter(|(n, _)| *n != "badges.json").map(|(n, _)| *n);
    let mut lesson_ids = HashSet::new();
    for (lesson, file) in lessons.iter().zip(lesson_files) {
        if !lesson_ids.insert(lesson.id.as_str()) {
            out.push(problem(file, "id", format!("the lesson id {:?} is used twice", lesson.id)));
        }
    }
    out.extend(check_badges(badges));
    out
}

fn check_badges(badges: &[Badge]) -> Vec<ContentProblem> {
    let mut out = Vec::new();
    let mut badge_ids = HashSet::new();
    for (i, b) in badges.iter().enumerate() {
        let at = format!("badges[{i}]");
        if !badge_ids.insert(b.id.as_str()) {
            out.push(problem(
                "badges.json",
                format!("{at}.id"),
                format!("the id {:?} is used twice", b.id),
            ));
        }
        check_text(&mut out, "badges.json", &format!("{at}.title"), &b.title);
        check_text(&mut out, "badges.json", &format!("{at}.criteria"), &b.criteria);
        let hex = b.colour.strip_prefix('#').unwrap_or("");
        if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            out.push(problem("badges.json", format!("{at}.colour"), "not a #rrggbb colour"));
        }
        if !b.art.ends_with(".svg") || b.art.contains('/') {
            out.push(problem("badges.json", format!("{at}.art"), "not an SVG file name"));
        }
        let zero = match &b.rule {
            BadgeRule::QuizzesPassed { count } | BadgeRule::CertifiedBills { count, .. } => {
                *count == 0
            }
            BadgeRule::StreakDays { days } => *days == 0,
            BadgeRule::CertifiedCarbonSaved { grams } => *grams <= 0,
            BadgeRule::CertifiedMonthsInARow { categories, months } => {
                categories.is_empty() || *months == 0
            }
            BadgeRule::AllLessonsMastered => false,
        };
        if zero {
            out.push(problem(
                "badges.json",
                format!("{at}.rule"),
                "the rule would be met by nothing",
            ));
        }
    }
    out
}

impl Catalog {
    /// Checks a catalogue that arrived whole (from the Green API) as the files are checked;
    /// a lesson is named as the file it would have come from.
    pub fn check(&self) -> Vec<ContentProblem> {
        let mut out = Vec::new();
        let mut ids = HashSet::new();
        for lesson in &self.lessons {
            let file = format!("lessons/{}.json", lesson.id);
            if !ids.insert(lesson.id.as_str()) {
                out.push(problem(
                    &file,
                    "id",
                    format!("the lesson id {:?} is used twice", lesson.id),
                ));
            }
            out.extend(check_lesson(&file, lesson));
        }
        if self.lessons.is_empty() {
            out.push(problem("", "lessons", "the catalogue has no lessons"));
        }
        out.extend(check_badges(&self.badges));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_catalogue_is_valid() {
        let catalog = bundled();
        assert_eq!(catalog.lessons.len(), 8, "eight lessons are bundled");
        assert_eq!(catalog.version.len(), 16, "the version is 8 bytes of hex");
    }

    #[test]
    fn every_badge_has_bundled_artwork() {
        for badge in &bundled().badges {
            assert!(
                badge_art(&badge.art).is_some_and(|svg| svg.starts_with("<svg")),
                "{}",
                badge.id
            );
        }
    }

    #[test]
    fn every_category_has_a_lesson() {
        for category in GreenCategory::ALL {
            assert!(bundled().lesson_for(category).is_some(), "{category:?} has a lesson");
        }
    }
}
