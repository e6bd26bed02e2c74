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

    // The lessons are Simplified Chinese: Traditional tags are refused, not shown Simplified.
    for tag in ["zh-TW", "zh-Hant", "zh_HK", "zh-Hant-MO"] {
        let (code, error, _) = greenmile(dir.path(), &["quiz", "list", "--lang", tag, "--json"]);
        assert_eq!(code, 1, "{tag} is refused");
        assert_eq!(error["error"]["code"], "invalid_input", "{tag}");
    }

    for tag in ["zh-CN", "zh", "zh-Hans", "zh_SG"] {
        let (code, _, text) = greenmile(dir.path(), &["quiz", "list", "--lang", tag]);
        assert_eq!(code, 0, "{tag}: {text}");
        assert!(text.contains("能效标识"), "{tag}: the lessons in Chinese: {text}");
    }
}

#[test]
fn several_choices_for_a_single_choice_question_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    // grid-value (the first question of lessons/ev-charging.json) has one right choice; the
    // error names it by its number in the quiz, not by its id.
    let (code, error, text) = greenmile(
        dir.path(),
        &["quiz", "take", "ev-charging", "--answers", "1+2,1,1,1,2,1+2+3", "--json"],
    );
    assert_eq!(code, 1, "{text}");
    assert_eq!(error["error"]["code"], "invalid_input");
    let message = error["error"]["message"].as_str().unwrap_or("");
    assert_eq!(
        message,
        "question 1 takes one choice, not \"1+2\"; join numbers with + only where every answer \
         that applies is asked for"
    );

    let (code, error, _) = greenmile(
        dir.path(),
        &["quiz", "take", "ev-charging", "--answers", "1,1,1+2,1,2,1+2+3", "--json"],
    );
    assert_eq!(code, 1, "a true/false question takes one choice too");
    let message = error["error"]["message"].as_str().unwrap_or("");
    assert!(message.starts_with("question 3 takes one choice"), "{message}");
    assert!(!message.contains("cleaner-grid"), "the id stays inside: {message}");

    let (_, progress, _) = greenmile(dir.path(), &["quiz", "progress", "--json"]);
    assert_eq!(progress["xp"], 0, "nothing was recorded");
}

/// A data folder whose `locale` setting is `locale`, as the app's language menu leaves it.
fn folder_in(locale: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let set = common::run(dir.path(), &["settings", "set", "locale", locale], &[]);
    assert_eq!(set.code, 0, "{}", set.stderr);
    dir
}

#[test]
fn the_quiz_speaks_the_locale_setting_over_the_environment() {
    // Choice numbers worked out by hand from lessons/ev-charging.json: all right but the
    // multiple-choice question, where the brand (4) is picked as well.
    let take = ["quiz", "take", "ev-charging", "--answers", "1,1,1,1,2,1+2+3+4"];

    let zh = folder_in("zh-CN");
    let r = common::run(zh.path(), &take, &[("LC_ALL", "en_US.UTF-8"), ("TZ", "Asia/Shanghai")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for line in [
        "1. GreenMile 计算充电排放用的全国电网因子是多少？\n",
        "   回答正确。\n",
        "   不太对：正确答案是 1) 充电度数；2) 电网排放因子；3) 每公里耗电。\n",
        "   出处：GreenMile carbon method ev-charging@1\n",
        "得分：答对 5 题，共 6 题，已通过。经验值 +50\n",
        "连续学习：1 天（最长 1 天）\n",
        "获得徽章：初次过关\n",
    ] {
        assert!(r.stdout.contains(line), "zh-CN says {line:?}: {}", r.stdout);
    }
    for english in ["Right.", "Not quite", "Source:", "Score:", "Streak:", "Badge earned"] {
        assert!(!r.stdout.contains(english), "no English {english:?} under zh-CN: {}", r.stdout);
    }
    let progress = common::run(zh.path(), &["quiz", "progress"], &[("LC_ALL", "en_US.UTF-8")]);
    assert!(progress.stdout.starts_with("经验值：50\n"), "{}", progress.stdout);
    assert!(progress.stdout.contains("\n已掌握：0 课，共 8 课\n"), "{}", progress.stdout);

    let en = folder_in("en");
    let r = common::run(en.path(), &take, &[("LC_ALL", "zh_CN.UTF-8"), ("TZ", "Asia/Shanghai")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for line in [
        "1. Which grid factor does GreenMile use for the emissions of a charge?\n",
        "   Right.\n",
        "   Not quite: the answer is 1) The kWh charged; 2) The grid factor; 3) The kWh used \
         per km.\n",
        "   Source: GreenMile carbon method ev-charging@1\n",
        "Score: 5 of 6, passed. +50 XP\n",
        "Streak: 1 day (longest 1 day)\n",
        "Badge earned: First quiz passed\n",
    ] {
        assert!(r.stdout.contains(line), "en says {line:?}: {}", r.stdout);
    }
}

#[test]
fn quiz_errors_follow_the_locale_and_name_questions_by_their_number() {
    // Question 6 of ev-charging (id depends-on) has four choices; question 1 (grid-value)
    // takes one.
    let bad_choice = ["quiz", "take", "ev-charging", "--answers", "1,1,1,1,2,9"];
    let two_for_one = ["quiz", "take", "ev-charging", "--answers", "1+2,1,1,1,2,1"];

    let zh = folder_in("zh-CN");
    let r = common::run(zh.path(), &bad_choice, &[]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr, "错误：输入未被接受：\"9\" 不是第 6 题的选项；请选 1 到 4\n");
    let r = common::run(zh.path(), &two_for_one, &[]);
    assert_eq!(
        r.stderr,
        "错误：输入未被接受：第 1 题只能选一个答案，不能选 \"1+2\"；只有要求选出所有正确答案的\
         题才用 + 连接编号\n"
    );
    let r = common::run(zh.path(), &["quiz", "take", "ev-charging"], &[]);
    assert_eq!(
        r.stderr,
        "错误：输入未被接受：这里不是终端：请用 --answers 给出答案，例如 --answers 1,2,1+3\n"
    );

    let en = folder_in("en");
    let r = common::run(en.path(), &bad_choice, &[]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr, "error: \"9\" is not a choice of question 6; use 1 to 4\n");
    let r = common::run(en.path(), &two_for_one, &[]);
    assert_eq!(
        r.stderr,
        "error: question 1 takes one choice, not \"1+2\"; join numbers with + only where every \
         answer that applies is asked for\n"
    );
    let r = common::run(en.path(), &[&bad_choice[..], &["--json"]].concat(), &[]);
    assert_eq!(r.json["error"]["code"], "invalid_input");
    let message = r.json["error"]["message"].as_str().unwrap_or("");
    assert_eq!(message, "\"9\" is not a choice of question 6; use 1 to 4");
    for id in ["depends-on", "grid-value"] {
        assert!(!message.contains(id), "no question id in errors: {message}");
    }
}
