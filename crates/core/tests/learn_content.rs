//! Every content file under `assets/learn`, read from disk and checked in both languages; and
//! the checker itself, fed broken copies, names the file and the field of each mistake.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use greenmile_core::learn::content::{self, Catalog, ContentProblem};

fn learn_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/learn")
}

/// Every content file on disk as `(name relative to assets/learn, text)`, badges first.
fn files_on_disk() -> Vec<(String, String)> {
    let dir = learn_dir();
    let mut files = vec![(
        "badges.json".to_owned(),
        std::fs::read_to_string(dir.join("badges.json")).expect("badges.json is readable"),
    )];
    let mut lessons: Vec<_> = std::fs::read_dir(dir.join("lessons"))
        .expect("the lessons folder is readable")
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    lessons.sort();
    for path in lessons {
        let name = format!("lessons/{}", path.file_name().unwrap().to_string_lossy());
        files.push((name, std::fs::read_to_string(&path).expect("lesson is readable")));
    }
    files
}

fn check(files: &[(String, String)]) -> Result<Catalog, Vec<ContentProblem>> {
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    Catalog::from_files(&borrowed)
}

/// `files` with one file's JSON changed by `edit`.
fn edited(name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> Vec<(String, String)> {
    let mut files = files_on_disk();
    let file = files.iter_mut().find(|(n, _)| n == name).expect("the file exists");
    let mut json: serde_json::Value = serde_json::from_str(&file.1).unwrap();
    edit(&mut json);
    file.1 = serde_json::to_string_pretty(&json).unwrap();
    files
}

fn problems(files: &[(String, String)]) -> Vec<ContentProblem> {
    match check(files) {
        Ok(_) => panic!("the broken content was accepted"),
        Err(problems) => problems,
    }
}

fn assert_names(problems: &[ContentProblem], file: &str, field: &str, words: &str) {
    assert!(
        problems.iter().any(|p| p.file == file && p.field == field && p.problem.contains(words)),
        "expected a problem in {file} at {field} saying {words:?}; got {problems:#?}"
    );
}

#[test]
fn every_content_file_is_valid_in_both_languages() {
    let files = files_on_disk();
    let catalog = match check(&files) {
        Ok(catalog) => catalog,
        Err(problems) => {
            let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
            panic!("content problems:\n{}", list.join("\n"));
        }
    };
    assert!(catalog.lessons.len() >= 8, "at least eight lessons");
    for lesson in &catalog.lessons {
        assert!((6..=10).contains(&lesson.questions.len()), "{} has 6 to 10 questions", lesson.id);
    }
}

#[test]
fn the_bundled_list_names_every_file_on_disk() {
    let mut on_disk: Vec<String> = files_on_disk().into_iter().map(|(n, _)| n).collect();
    let mut bundled: Vec<String> = content::bundled_file_names().map(str::to_owned).collect();
    on_disk.sort();
    bundled.sort();
    assert_eq!(bundled, on_disk, "content.rs compiles in exactly the files in assets/learn");
    assert_eq!(content::bundled().lessons.len(), on_disk.len() - 1, "the bundled copy is valid");
}

#[test]
fn every_badge_has_its_artwork() {
    for badge in &content::bundled().badges {
        let art = learn_dir().join("badges").join(&badge.art);
        let svg = std::fs::read_to_string(&art).unwrap_or_default();
        assert!(svg.starts_with("<svg"), "{} has SVG artwork at {}", badge.id, art.display());
    }
}

#[test]
fn a_question_without_an_answer_is_named() {
    let files = edited("lessons/food-waste.json", |j| {
        j["questions"][2]["answer"] = serde_json::json!([]);
    });
    assert_names(&problems(&files), "lessons/food-waste.json", "questions[2].answer", "no answer");

    let files = edited("lessons/food-waste.json", |j| {
        j["questions"][3].as_object_mut().unwrap().remove("answer");
    });
    assert_names(&problems(&files), "lessons/food-waste.json", "questions[3]", "answer");
}

#[test]
fn an_answer_not_among_the_choices_is_named() {
    let files = edited("lessons/ev-charging.json", |j| {
        j["questions"][0]["answer"] = serde_json::json!(["e"]);
    });
    assert_names(&problems(&files), "lessons/ev-charging.json", "questions[0].answer", "\"e\"");

    let files = edited("lessons/ev-charging.json", |j| {
        j["questions"][2]["answer"] = serde_json::json!(["yes"]);
    });
    assert_names(&problems(&files), "lessons/ev-charging.json", "questions[2].answer", "\"yes\"");
}

#[test]
fn an_unknown_badge_rule_is_named() {
    let files = edited("badges.json", |j| {
        j["badges"][1]["rule"] = serde_json::json!({ "kind": "shared_on_social_media" });
    });
    assert_names(&problems(&files), "badges.json", "badges[1].rule.kind", "shared_on_social_media");
}

#[test]
fn a_missing_translation_is_named() {
    let files = edited("lessons/greenwashing.json", |j| {
        j["questions"][4]["explanation"].as_object_mut().unwrap().remove("en");
    });
    assert_names(
        &problems(&files),
        "lessons/greenwashing.json",
        "questions[4].explanation",
        "missing field `en`",
    );

    let files = edited("badges.json", |j| j["badges"][0]["criteria"]["zh-CN"] = "  ".into());
    assert_names(&problems(&files), "badges.json", "badges[0].criteria.zh-CN", "empty");

    let files = edited("lessons/carbon-figures.json", |j| j["body"]["en"] = serde_json::json!([]));
    assert_names(&problems(&files), "lessons/carbon-figures.json", "body.en", "missing");
}

#[test]
fn duplicate_ids_are_named() {
    let files = edited("lessons/green-credit.json", |j| {
        j["questions"][5]["id"] = j["questions"][0]["id"].clone();
    });
    assert_names(&problems(&files), "lessons/green-credit.json", "questions[5].id", "twice");

    let files = edited("badges.json", |j| j["badges"][3]["id"] = "streak-7".into());
    assert_names(&problems(&files), "badges.json", "badges[3].id", "twice");

    let files = edited("lessons/energy-labels.json", |j| {
        j["questions"][2]["choices"][1]["id"] = "a".into();
    });
    assert_names(
        &problems(&files),
        "lessons/energy-labels.json",
        "questions[2].choices[1].id",
        "twice",
    );
}

#[test]
fn a_quiz_outside_six_to_ten_questions_is_named() {
    let files = edited("lessons/transport-choices.json", |j| {
        j["questions"].as_array_mut().unwrap().truncate(5);
    });
    assert_names(&problems(&files), "lessons/transport-choices.json", "questions", "5 questions");

    let files = edited("lessons/transport-choices.json", |j| {
        let qs = j["questions"].as_array_mut().unwrap();
        for i in 0..5 {
            let mut copy = qs[i].clone();
            copy["id"] = format!("extra-{i}").into();
            qs.push(copy);
        }
    });
    assert_names(&problems(&files), "lessons/transport-choices.json", "questions", "11 questions");
}

#[test]
fn an_unknown_bill_category_is_named() {
    let files = edited("lessons/food-waste.json", |j| {
        j["categories"] = serde_json::json!(["green_food", "organic_cotton"]);
    });
    assert_names(&problems(&files), "lessons/food-waste.json", "categories[1]", "organic_cotton");
}
