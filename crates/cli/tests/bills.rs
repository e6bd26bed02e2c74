//! `greenmile bills` on the demo household: filters, paging by position, and `--export`. The
//! real binary, a temporary data folder.

mod common;

use serde_json::Value;

fn greenmile(data_dir: &std::path::Path, args: &[&str]) -> (i32, Value, String) {
    let r = common::run(data_dir, args, &[]);
    (r.code, r.json, r.stderr)
}

fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(greenmile(dir.path(), &["demo", "--json"]).0, 0, "demo syncs");
    dir
}

#[test]
fn pages_follow_the_position_each_page_ends_at() {
    let dir = demo();

    let base = ["bills", "--json", "--category", "ev_charging", "--limit", "50"];
    let (code, first, stderr) = greenmile(dir.path(), &base);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(first["total"], 147, "147 EV charging bills in the demo");
    let mut ids: Vec<String> = Vec::new();
    let mut page = first;
    loop {
        let items = page["items"].as_array().expect("items");
        ids.extend(items.iter().map(|b| b["id"].as_str().unwrap_or("").to_owned()));
        let Some(next) = page["next"].as_str().map(str::to_owned) else { break };
        let mut args = base.to_vec();
        args.extend(["--after", &next]);
        page = greenmile(dir.path(), &args).1;
        assert_eq!(page["total"], Value::Null, "later pages are not counted");
    }
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((ids.len(), unique.len()), (147, 147), "three pages, every bill once");

    // As text, 73 at a time: 73 + 73 + the one left, which is "1 more bill".
    let text = ["bills", "--category", "ev_charging", "--limit", "73"];
    let mut run = common::run(dir.path(), &text, &[]);
    assert!(run.stdout.contains("Bills 1–73 of 147"), "{}", run.stdout);
    let mut tails = Vec::new();
    while let Some(line) = run.stdout.lines().find(|l| l.starts_with("More: --after '")) {
        let next = line.trim_start_matches("More: --after '").trim_end_matches('\'').to_owned();
        run = common::run(dir.path(), &[&text[..], &["--after", &next]].concat(), &[]);
        tails.extend(run.stdout.lines().filter(|l| l.contains(" more bill")).map(str::to_owned));
    }
    assert_eq!(tails, ["73 more bills", "1 more bill"]);
}

#[test]
fn export_writes_the_filtered_bills_as_csv_and_json() {
    let dir = demo();
    let csv = dir.path().join("metro.csv");
    let json = dir.path().join("metro.json");
    let filter = ["--search", "地铁", "--certification", "finance_certified", "--min-amount", "5"];

    let mut args = vec!["bills", "--json"];
    args.extend(filter);
    let listed = greenmile(dir.path(), &args).1["total"].as_i64().expect("a total");
    args.extend(["--export", csv.to_str().expect("utf-8 path")]);
    let (code, report, stderr) = greenmile(dir.path(), &args);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!((report["format"].as_str(), report["rows"].as_i64()), (Some("csv"), Some(131)));
    assert_eq!(listed, 131, "the file holds what the list counts");

    let text = std::fs::read_to_string(&csv).expect("the CSV");
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 132, "a header and 131 bills");
    // The newest: a ¥6.00 ride of 24.6 km, finance certified, 3,422 g by the transit method.
    // Its time follows the clock the demo was seeded at, so it is left out here.
    let newest: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(
        [newest[0], newest[2], newest[3], newest[5], newest[6], newest[7], newest[8], newest[9]],
        [
            "b-01816",
            "北京地铁",
            "地铁出行 24.6 km",
            "600",
            "CNY",
            "finance_certified",
            "3422",
            "transit-distance@1"
        ]
    );

    args.pop();
    args.push(json.to_str().expect("utf-8 path"));
    assert_eq!(greenmile(dir.path(), &args).1["rows"], 131);
    let rows: Vec<Value> =
        serde_json::from_slice(&std::fs::read(&json).expect("the JSON")).expect("a JSON array");
    assert_eq!(rows.len(), 131);
    assert_eq!(
        (rows[0]["id"].as_str(), rows[0]["carbon_g"].as_i64()),
        (Some("b-01816"), Some(3422))
    );

    let (code, error, _) =
        greenmile(dir.path(), &["bills", "--json", "--export", "bills.xlsx", "--search", "地铁"]);
    assert_eq!((code, error["error"]["code"].as_str()), (1, Some("invalid_input")), "{error}");
}

#[test]
fn export_refuses_an_existing_file_unless_forced() {
    let dir = demo();
    let path = dir.path().join("charging.csv");
    let file = path.to_str().expect("utf-8 path");
    std::fs::write(&path, "my own notes").expect("a file of the user's");
    let export = ["bills", "--category", "ev_charging", "--export", file];

    let refused = common::run(dir.path(), &export, &[]);
    assert_eq!(refused.code, 1, "{}", refused.stdout);
    assert_eq!(
        refused.stderr.trim_end(),
        format!("error: {file} already exists; nothing was written (pass --force to replace it)")
    );
    assert_eq!(std::fs::read_to_string(&path).expect("file"), "my own notes", "untouched");

    let mut forced = export.to_vec();
    forced.extend(["--force", "--json"]);
    let (code, report, stderr) = greenmile(dir.path(), &forced);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["rows"], 147, "the demo's 147 EV charging bills");
    let text = std::fs::read_to_string(&path).expect("the CSV");
    assert_eq!(text.trim_start_matches('\u{feff}').lines().count(), 148, "a header and 147");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("data folder")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file is left: {leftovers:?}");

    let (code, error, _) = greenmile(dir.path(), &["bills", "--force", "--json"]);
    assert_eq!((code, error["error"]["code"].as_str()), (1, Some("invalid_input")), "{error}");
}

#[test]
fn a_search_may_begin_with_a_hyphen_and_usage_errors_keep_their_whole_message() {
    let dir = demo();
    // `-地铁` is the text searched for, not an option: no demo bill holds it, while 地铁 is in
    // many.
    let (code, hyphen, stderr) = greenmile(dir.path(), &["bills", "--json", "--search", "-地铁"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(hyphen["total"], 0, "no bill holds -地铁");
    let (_, metro, _) = greenmile(dir.path(), &["bills", "--json", "--search", "地铁"]);
    assert!(metro["total"].as_i64().is_some_and(|n| n > 0), "{metro}");

    // clap writes the missing argument on a line of its own; the JSON message keeps it.
    let (code, error, _) = greenmile(dir.path(), &["bills", "--json", "--force"]);
    assert_eq!(code, 1);
    assert_eq!(error["error"]["code"], "invalid_input");
    assert_eq!(
        error["error"]["message"],
        "the following required arguments were not provided: --export <FILE>"
    );
}

#[test]
fn a_forgotten_search_text_and_a_non_utf8_argument_are_usage_errors() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("temp dir");
    // `--json` after `--search` is the next option, not the text searched for.
    let (code, error, _) = greenmile(dir.path(), &["bills", "--search", "--json"]);
    assert_eq!(code, 1);
    assert_eq!(
        error["error"]["message"],
        "a value is required for '--search <TEXT>' but none was supplied"
    );
    // clap's tip about a similar argument is kept.
    let (_, error, _) = greenmile(dir.path(), &["bills", "--json", "--jsn"]);
    assert_eq!(
        error["error"]["message"],
        "unexpected argument '--jsn' found tip: a similar argument exists: '--json'"
    );

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_greenmile"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["bills", "--json", "--search"])
        .arg(std::ffi::OsStr::from_bytes(b"\xff"))
        .output()
        .expect("greenmile runs");
    assert_eq!(out.status.code(), Some(1), "a usage error, not a panic");
    let json: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(json["error"]["code"], "invalid_input");
    assert_eq!(json["error"]["message"], "invalid UTF-8 was detected in one or more arguments");
}
