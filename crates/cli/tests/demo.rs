//! `greenmile` as a user runs it: the real binary, a temporary data folder.

mod common;

use std::process::Command;

use serde_json::Value;

fn greenmile(data_dir: &std::path::Path, args: &[&str]) -> (i32, Value, String) {
    let r = common::run(data_dir, args, &[]);
    (r.code, r.json, r.stderr)
}

#[test]
fn demo_json_prints_the_seeded_households_totals() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, summary, stderr) = greenmile(dir.path(), &["demo", "--json"]);

    assert_eq!(code, 0, "greenmile demo succeeds: {stderr}");
    assert_eq!(summary["bills"], 1817, "the demo household has 1,817 green bills");
    assert_eq!(summary["offers"], 24, "and 24 instalment offers");
    assert_eq!(summary["carbon_entries"], 1661, "one ledger entry per bill with a known figure");
    assert_eq!(summary["green_spend"]["CNY"], 10_343_266, "¥103,432.66 in fen, refunds netted");
    assert_eq!(summary["carbon_saved_g"], 10_290_000, "10.29 t CO2e over the ledger");
    assert_eq!(summary["carbon_unknown_bills"], 144, "green food and recycling have no method");

    let (code, again, _) = greenmile(dir.path(), &["demo", "--json"]);
    assert_eq!(code, 0, "a second demo run succeeds");
    let changes: i64 = again["sync"]["collections"]
        .as_array()
        .expect("per-collection reports")
        .iter()
        .map(|c| c["upserted"].as_i64().unwrap_or(-1) + c["deleted"].as_i64().unwrap_or(-1))
        .sum();
    assert_eq!(changes, 0, "the second run finds nothing new");
    assert_eq!(again["bills"], 1817, "and keeps every bill");
}

#[test]
fn bills_lists_newest_first_with_filters() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(greenmile(dir.path(), &["demo", "--json"]).0, 0, "demo syncs");

    let (code, list, stderr) =
        greenmile(dir.path(), &["bills", "--json", "--limit", "5", "--category", "ev_charging"]);
    assert_eq!(code, 0, "bills succeeds: {stderr}");
    assert_eq!(list["total"], 147, "147 EV charging bills in the demo");
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 5, "the limit is kept");
    let times: Vec<&str> = items.iter().map(|b| b["occurred_at"].as_str().unwrap_or("")).collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest first");
    assert!(items.iter().all(|b| b["category"] == "ev_charging"), "only the asked category");
}

#[test]
fn an_unreachable_server_is_a_coded_error_and_the_cache_is_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(greenmile(dir.path(), &["demo", "--json"]).0, 0, "demo syncs");

    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/", probe.local_addr().expect("addr"));
    drop(probe);

    let out = Command::new(env!("CARGO_BIN_EXE_greenmile"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["sync", "--json", "--server", &url])
        .env("GREENMILE_ACCESS_TOKEN", "gma_any")
        .output()
        .expect("greenmile runs");
    let (code, err) =
        (out.status.code(), serde_json::from_slice::<Value>(&out.stdout).unwrap_or_default());
    assert_eq!(code, Some(1), "a failed sync exits 1");
    assert_eq!(err["error"]["code"], "server_unreachable", "the error has its stable code");

    let (_, summary, _) = greenmile(dir.path(), &["summary", "--json"]);
    assert_eq!(summary["bills"], 1817, "no cached bill was lost");
}

#[test]
fn plain_http_to_a_remote_host_is_refused_before_anything_is_sent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, err, _) =
        greenmile(dir.path(), &["sync", "--json", "--server", "http://green.example.com/"]);
    assert_eq!(code, 1, "refused");
    assert_eq!(err["error"]["code"], "invalid_input", "a bad address is invalid input");
    assert!(!dir.path().join("greenmile.sqlite").exists(), "no cache was created for it");
}

#[test]
fn usage_errors_are_coded_json_with_json_and_exit_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    for args in [
        &["bills", "--json", "--limit", "abc"][..],
        &["bills", "--json", "--limit", "-1"][..],
        &["bills", "--json", "--category", "foo"][..],
        &["bills", "--json", "--month", "26-11"][..],
        &["nonsense", "--json"][..],
    ] {
        let (code, out, _) = greenmile(dir.path(), args);
        assert_eq!(code, 1, "{args:?} exits 1");
        assert_eq!(out["error"]["code"], "invalid_input", "{args:?} is invalid input: {out}");
    }
}

#[test]
fn parallel_first_runs_on_one_new_folder_all_succeed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_greenmile"))
                .arg("--data-dir")
                .arg(dir.path().join("fresh"))
                .args(["demo", "--json"])
                .env_remove("GREENMILE_SERVER")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("greenmile starts")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("greenmile ends");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "every parallel first run succeeds: {stdout}");
        let summary: Value = serde_json::from_str(&stdout).expect("a JSON summary");
        assert_eq!(summary["bills"], 1817, "and sees the whole demo");
    }
}

#[test]
fn a_persona_or_a_reset_starts_the_demo_afresh() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(greenmile(dir.path(), &["demo", "--json"]).0, 0, "the household first");
    assert_eq!(greenmile(dir.path(), &["settings", "set", "locale", "en"]).0, 0);

    let (code, student, stderr) =
        greenmile(dir.path(), &["demo", "--persona", "student", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(student["bills"], 2443, "the student's bills replace the household's 1,817");
    assert_eq!(student["offers"], 0, "no appliance or EV offers for a student");
    let (_, settings, _) = greenmile(dir.path(), &["settings", "list", "--json"]);
    assert!(!settings.to_string().contains("locale"), "the visitor's setting is gone: {settings}");

    let (code, again, _) = greenmile(dir.path(), &["demo", "--reset", "--json"]);
    assert_eq!((code, again["bills"].as_i64()), (0, Some(2443)), "a reset keeps the persona");
    let (_, plain, _) = greenmile(dir.path(), &["demo", "--json"]);
    assert_eq!(plain["bills"], 2443, "and a plain demo afterwards shows it too");

    let (code, ev, _) = greenmile(dir.path(), &["demo", "--persona", "ev_driver", "--json"]);
    assert_eq!((code, ev["bills"].as_i64(), ev["offers"].as_i64()), (0, Some(1052), Some(24)));

    let (code, error, _) = greenmile(dir.path(), &["demo", "--persona", "pilot", "--json"]);
    assert_eq!((code, error["error"]["code"].as_str()), (1, Some("invalid_input")));
}

#[test]
fn the_demo_never_mixes_into_a_folder_signed_in_to_an_account() {
    let dir = tempfile::tempdir().expect("temp dir");
    let account = r#"{"server": "https://green.example.com/", "user_id": 4, "email": "a@b.c"}"#;
    std::fs::write(dir.path().join("account.json"), account).expect("account file");

    let (code, err, _) = greenmile(dir.path(), &["demo", "--json"]);
    assert_eq!(code, 1, "refused");
    assert_eq!(err["error"]["code"], "invalid_input");
    assert!(err["error"]["message"].as_str().is_some_and(|m| m.contains("logout")), "{err}");
    assert!(!dir.path().join("greenmile.sqlite").exists(), "no demo data was written");
}

#[test]
fn the_demo_refuses_a_folder_holding_the_users_own_imports_and_quizzes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let export = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/bills/greenmile/wechat-green.csv");
    let export = export.to_str().expect("utf-8 path");
    assert_eq!(greenmile(dir.path(), &["import", export, "--json"]).0, 0, "the import succeeds");
    let (_, before, _) = greenmile(dir.path(), &["summary", "--json"]);
    let imported = before["bills"].as_i64().expect("a bill count");
    assert_eq!(imported, 4, "the export's four green bills");

    for args in [&["demo"][..], &["demo", "--persona", "student"], &["demo", "--reset"]] {
        let run = common::run(dir.path(), &[args, &["--json"]].concat(), &[]);
        assert_ne!(run.code, 0, "{args:?} is refused");
        assert_eq!(run.json["error"]["code"], "invalid_input", "{args:?}: {}", run.stdout);
        assert_eq!(
            run.json["error"]["message"],
            "this data folder holds your own data (4 imported bills, 0 quiz attempts, 0 \
             settings) and no demo; pass another --data-dir for the demo",
            "{args:?} says why"
        );
    }
    let (_, after, _) = greenmile(dir.path(), &["summary", "--json"]);
    assert_eq!(after["bills"], imported, "the imported bills are all still there, and alone");
}
