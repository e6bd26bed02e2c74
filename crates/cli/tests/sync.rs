//! `greenmile sync` and `greenmile settings` as a user runs them: the real binary, a reference
//! server on loopback, a temporary data folder.

use std::net::{Ipv4Addr, SocketAddr};
use std::process::Command;

use serde_json::Value;

fn greenmile(data_dir: &std::path::Path, args: &[&str]) -> (i32, Value, String) {
    greenmile_as(data_dir, None, args)
}

/// Runs greenmile with `token` as the access token of the run (as a script would), or none.
fn greenmile_as(
    data_dir: &std::path::Path,
    token: Option<&str>,
    args: &[&str],
) -> (i32, Value, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_greenmile"));
    command.arg("--data-dir").arg(data_dir).args(args).env_remove("GREENMILE_SERVER");
    match token {
        Some(token) => command.env("GREENMILE_ACCESS_TOKEN", token),
        None => command.env_remove("GREENMILE_ACCESS_TOKEN"),
    };
    let out = command.output().expect("greenmile runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), json, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn collection<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["sync"]["collections"]
        .as_array()
        .and_then(|all| all.iter().find(|c| c["collection"] == name))
        .unwrap_or(&Value::Null)
}

#[test]
fn sync_json_reports_each_collection_and_delivers_settings_once() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let server = runtime
        .block_on(greenmile_server::start_demo(
            &dir.path().join("server.sqlite"),
            SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            chrono::Utc::now(),
        ))
        .expect("server starts");
    let data = dir.path().join("data");
    let url = server.url();
    let token = runtime.block_on(server.demo_tokens()).expect("demo sign-in").access_token;
    let token = Some(token.as_str());
    let demo = runtime.block_on(server.demo_user()).expect("demo user");

    let (code, set, stderr) = greenmile(&data, &["settings", "set", "locale", "en", "--json"]);
    assert_eq!(code, 0, "settings set succeeds: {stderr}");
    assert_eq!(set["pending"], true, "the setting waits for the next sync");
    let (code, _, _) = greenmile(&data, &["settings", "set", "Locale!", "en", "--json"]);
    assert_eq!(code, 1, "a bad name is refused");

    let (code, first, stderr) = greenmile_as(&data, token, &["sync", "--json", "--server", &url]);
    assert_eq!(code, 0, "sync succeeds: {stderr}");
    assert_eq!(first["sync"]["outbox"]["applied"], 1, "the setting was delivered");
    let bills = collection(&first, "bills");
    assert_eq!(bills["applied"], 1817, "every demo bill applied");
    assert_eq!(bills["quarantined"], 0, "the demo has no invalid bill");
    assert_eq!(bills["requests"], 2, "1,817 bills at 1,000 a page: two requests");
    assert!(bills["duration_ms"].is_u64(), "the time taken is reported: {bills}");

    let (code, second, _) = greenmile_as(&data, token, &["sync", "--json", "--server", &url]);
    assert_eq!(code, 0, "a second sync succeeds");
    for name in ["bills", "offers", "carbon", "quiz_attempts"] {
        let c = collection(&second, name);
        assert_eq!((c["requests"].as_u64(), c["applied"].as_u64()), (Some(1), Some(0)), "{c}");
        assert_eq!(c["not_modified"], true, "{name}: answered 304");
    }
    assert_eq!(second["sync"]["outbox"]["applied"], 0, "nothing sent twice");

    let (_, list, _) = greenmile(&data, &["settings", "list", "--json"]);
    assert_eq!(list[0]["key"], "locale");
    assert_eq!(list[0]["pending"], false, "the setting is on the server now");
    let on_server = runtime.block_on(server.store().settings(demo)).expect("settings");
    assert_eq!(on_server, [("locale".to_owned(), "en".to_owned())], "recorded on the server");
    let writes = runtime.block_on(server.store().writes(demo)).expect("writes");
    assert_eq!(writes.len(), 1, "one write recorded");
    runtime.block_on(server.stop());
}

#[test]
fn a_damaged_cache_is_replaced_and_the_user_is_told() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("greenmile.sqlite"), "not a database at all, only words")
        .expect("write");

    let (code, summary, stderr) = greenmile(dir.path(), &["summary", "--json"]);
    assert_eq!(code, 0, "the command still works: {stderr}");
    assert!(stderr.contains("cache_recovered"), "stderr names what happened: {stderr}");
    let moved = summary["cache_recovered"]["moved_to"].as_str().unwrap_or("");
    assert!(moved.contains("greenmile.sqlite.corrupt-"), "the report says where: {summary}");
    assert_eq!(
        std::fs::read_to_string(moved).unwrap_or_default(),
        "not a database at all, only words",
        "the damaged file is kept as it was"
    );
    assert_eq!(summary["bills"], 0, "the new cache is empty until the next sync");

    let (_, again, _) = greenmile(dir.path(), &["summary", "--json"]);
    assert!(again.get("cache_recovered").is_none(), "the next run finds a sound cache");
}
