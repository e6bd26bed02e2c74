//! `greenmile quiz` as a user runs it: the real binary and a temporary data folder, offline.

mod common;

use serde_json::Value;

fn greenmile(data_dir: &std::path::Path, args: &[&str]) -> (i32, Value, String) {
    let r = common::run(data_dir, args, &[("TZ", "Asia/Shanghai")]);
    (r.code, r.json, r.stdout)
}

/// The questions in a lesson file on disk, counted independently of the core.
fn questions_on_disk(id: &str) -> usize {
    let path = format!("{}/../../assets/learn/lessons/{id}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("lesson file");
    let json: Value = serde_json::from_str(&text).expect("lesson JSON");
    json["questions"].as_array().map_or(0, Vec::len)
}

#[test]
fn list_gives_every_lesson_in_both_languages_with_its_question_count() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, list, out) = greenmile(dir.path(), &["quiz", "list", "--json"]);
    assert_eq!(code, 0, "quiz list succeeds: {out}");

    let lessons = list["lessons"].as_array().expect("a list of lessons");
    assert_eq!(lessons.len(), 8);
    for lesson in lessons {
        let id = lesson["id"].as_str().expect("an id");
        assert!(lesson["title"]["zh-CN"].as_str().is_some_and(|t| !t.is_empty()), "{id} zh-CN");
        assert!(lesson["title"]["en"].as_str().is_some_and(|t| !t.is_empty()), "{id} en");
        assert_eq!(lesson["questions"].as_u64(), Some(questions_on_disk(id) as u64), "{id}");
    }
    assert_eq!(lessons[0]["title"]["en"], "Energy labels: what grade 1 means");
}

#[test]
fn a_scripted_quiz_is_scored_and_counts_for_progress_and_badges() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Choice numbers worked out by hand from lessons/ev-charging.json: all right but the
    // multiple-choice question, where the brand (4) is picked as well.
    let answers = "1,1,1,1,2,1+2+3+4";
    let (code, outcome, out) =
        greenmile(dir.path(), &["quiz", "take", "ev-charging", "--answers", answers, "--json"]);
    assert_eq!(code, 0, "the quiz is taken: {out}");
    assert_eq!(outcome["score"]["correct"], 5);
    assert_eq!(outcome["score"]["total"], 6);
    assert_eq!(outcome["score"]["passed"], true, "5 of 6 reaches 80 %");
    assert_eq!(outcome["score"]["results"][5]["correct"], false);
    assert_eq!(outcome["xp_gained"], 50);
    assert_eq!(outcome["badges_earned"], serde_json::json!(["first-quiz-passed"]));
    assert_eq!(outcome["streak"]["current"], 1);

    let (code, progress, _) = greenmile(dir.path(), &["quiz", "progress", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(progress["xp"], 50);
    assert_eq!(progress["streak"]["today_done"], true);
    let ev = progress["lessons"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["lesson_id"] == "ev-charging"));
    assert_eq!(
        ev.map(|l| (l["passed"].clone(), l["mastered"].clone())),
        Some((true.into(), false.into()))
    );

    let (code, wall, _) = greenmile(dir.path(), &["quiz", "badges", "--json"]);
    assert_eq!(code, 0);
    let badges = wall["badges"].as_array().expect("badges");
    let earned: Vec<_> = badges.iter().filter(|b| !b["earned_at"].is_null()).collect();
    assert_eq!(earned.len(), 1, "only the quiz badge: no bills are cached");
    assert_eq!(earned[0]["badge"]["id"], "first-quiz-passed");
    let locked = badges.iter().find(|b| b["badge"]["id"] == "streak-30").expect("streak-30");
    assert!(locked["badge"]["criteria"]["zh-CN"].as_str().is_some_and(|c| c.contains("30")));
}

#[test]
fn bad_answers_are_coded_errors_and_store_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (answers, words) in
        [("1,1,1", "6 questions"), ("1,1,1,1,2,9", "use 1 to 4"), ("1,1,x,1,2,1", "\"x\"")]
    {
        let (code, error, out) =
            greenmile(dir.path(), &["quiz", "take", "ev-charging", "--answers", answers, "--json"]);
        assert_eq!(code, 1, "{answers} is refused: {out}");
        assert_eq!(error["error"]["code"], "invalid_input");
        let message = error["error"]["message"].as_str().unwrap_or("");
        assert!(message.contains(words), "{answers}: {message}");
    }
    let (_, unknown, _) =
        greenmile(dir.path(), &["quiz", "take", "astrology", "--answers", "1", "--json"]);
    assert_eq!(unknown["error"]["code"], "invalid_input");

    let (_, progress, _) = greenmile(dir.path(), &["quiz", "progress", "--json"]);
    assert_eq!(progress["xp"], 0, "nothing was recorded");
}

#[test]
fn without_a_terminal_take_asks_for_scripted_answers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, error, _) = greenmile(dir.path(), &["quiz", "take", "food-waste", "--json"]);
    assert_eq!(code, 1);
    assert!(error["error"]["message"].as_str().is_some_and(|m| m.contains("--answers")));
}

#[test]
fn a_share_card_is_written_for_an_earned_badge_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("card.png");
    let out_text = out.to_string_lossy().into_owned();
    let card = |badge: &str, lang: &str| {
        greenmile(
            dir.path(),
            &["quiz", "badges", "--card", badge, "--out", &out_text, "--lang", lang, "--json"],
        )
    };

    let (code, error, text) = card("first-quiz-passed", "en");
    assert_eq!(code, 1, "a locked badge has no card: {text}");
    assert_eq!(error["error"]["code"], "invalid_input");
    let message = error["error"]["message"].as_str().unwrap_or("");
    assert!(message.contains("not earned yet"), "{message}");
    assert!(!out.exists(), "nothing written for a locked badge");

    let (code, _, text) =
        greenmile(dir.path(), &["quiz", "take", "ev-charging", "--answers", "1,1,1,1,2,1+2+3"]);
    assert_eq!(code, 0, "a passed quiz earns the first badge: {text}");
    for lang in ["zh-CN", "en"] {
        let (code, report, text) = card("first-quiz-passed", lang);
        assert_eq!(code, 0, "{lang}: {text}");
        let bytes = std::fs::read(&out).expect("card written");
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG signature");
        assert_eq!(report["bytes"].as_u64(), Some(bytes.len() as u64));
        assert_eq!(report["text"], true, "{lang}: a font with the glyphs is installed here");
    }
}

#[test]
fn a_language_without_lessons_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, error, text) = greenmile(dir.path(), &["quiz", "list", "--lang", "fr", "--json"]);
    assert_eq!(code, 1, "French is refused, not shown in English: {text}");
    assert_eq!(error["error"]["code"], "invalid_input");
    let message = error["error"]["message"].as_str().unwrap_or("");
    assert!(message.contains("\"fr\"") && message.contains("zh-CN"), "{message}");

    let (code, _, text) = greenmile(dir.path(), &["quiz", "list", "--lang", "zh-CN"]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("能效标识"), "the lessons in Chinese: {text}");
}

#[test]
fn several_choices_for_a_single_choice_question_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    // grid-value (the first question of lessons/ev-charging.json) has one right choice.
    let (code, error, text) = greenmile(
        dir.path(),
        &["quiz", "take", "ev-charging", "--answers", "1+2,1,1,1,2,1+2+3", "--json"],
    );
    assert_eq!(code, 1, "{text}");
    assert_eq!(error["error"]["code"], "invalid_input");
    let message = error["error"]["message"].as_str().unwrap_or("");
    assert!(message.contains("grid-value") && message.contains("one choice"), "{message}");

    let (code, error, _) = greenmile(
        dir.path(),
        &["quiz", "take", "ev-charging", "--answers", "1,1,1+2,1,2,1+2+3", "--json"],
    );
    assert_eq!(code, 1, "a true/false question takes one choice too");
    assert!(error["error"]["message"].as_str().is_some_and(|m| m.contains("cleaner-grid")));

    let (_, progress, _) = greenmile(dir.path(), &["quiz", "progress", "--json"]);
    assert_eq!(progress["xp"], 0, "nothing was recorded");
}
