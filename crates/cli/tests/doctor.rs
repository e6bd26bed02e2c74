//! `greenmile doctor` on real data folders: fresh, synced from a live server, and damaged.

mod common;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn greenmile(data_dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let r = common::run(data_dir, args, &[]);
    (r.code, r.json, r.stdout + &r.stderr)
}

/// Whether this run must have a working keychain (scripts/test.sh provides one).
fn keychain_required() -> bool {
    std::env::var("GREENMILE_REQUIRE_KEYCHAIN").is_ok_and(|v| v == "1")
}

#[test]
fn a_fresh_folder_has_no_cache_and_creates_none() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (_, report, output) = greenmile(dir.path(), &["doctor", "--json", "--offline"]);
    assert_eq!(report["cache"]["exists"], false, "{output}");
    assert_eq!(report["cache"]["size_bytes"], 0);
    assert_eq!(report["last_sync"], serde_json::json!([]));
    assert_eq!(report["server"], Value::Null, "never synced, so no server to check");
    assert!(!dir.path().join("greenmile.sqlite").exists(), "the doctor changes nothing");
}

#[test]
fn a_synced_cache_reports_counts_sync_times_and_a_live_server() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let store = tempfile::tempdir().expect("server dir");
    let server = runtime
        .block_on(greenmile_server::start_demo(
            &store.path().join("green-api.sqlite"),
            SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            chrono::Utc::now(),
        ))
        .expect("demo server");
    let dir = tempfile::tempdir().expect("temp dir");
    let token = runtime.block_on(server.demo_tokens()).expect("demo sign-in").access_token;
    let out = Command::new(env!("CARGO_BIN_EXE_greenmile"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["sync", "--json", "--server", &server.url()])
        .env("GREENMILE_ACCESS_TOKEN", token)
        .output()
        .expect("greenmile runs");
    assert!(out.status.success(), "sync: {}", String::from_utf8_lossy(&out.stderr));

    let (code, report, output) = greenmile(dir.path(), &["doctor", "--json"]);
    assert_eq!(report["cache"]["exists"], true, "{output}");
    assert_eq!(report["cache"]["integrity"], "ok");
    assert_eq!(report["cache"]["bills"], 1817, "the demo household's bills");
    assert_eq!(report["cache"]["offers"], 24);
    assert_eq!(report["cache"]["imported_bills"], 0);
    assert!(report["cache"]["size_bytes"].as_u64().is_some_and(|n| n > 100_000), "{output}");
    let collections: Vec<&str> = report["last_sync"]
        .as_array()
        .expect("last sync list")
        .iter()
        .filter_map(|c| c["collection"].as_str())
        .collect();
    let mut sorted = collections.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, ["bills", "carbon", "offers", "quiz_attempts"], "{output}");
    assert_eq!(report["demo"], false, "synced from a server, not the built-in demo");
    assert_eq!(report["server"]["base_url"], server.url());
    assert_eq!(report["server"]["reachable"], true, "{output}");
    assert_eq!(report["server"]["same_server"], true);
    assert!(report["server"]["latency_ms"].is_u64());
    let keychain_ok = report["keychain"]["available"] == true;
    if keychain_required() {
        assert!(keychain_ok, "the test session has a keychain: {output}");
    }
    assert_eq!(report["healthy"], keychain_ok, "healthy exactly when the keychain works too");
    assert_eq!(code, if keychain_ok { 0 } else { 1 }, "{output}");

    // The same folder with the server gone: the check fails and says why.
    runtime.block_on(server.stop());
    let (code, report, output) = greenmile(dir.path(), &["doctor", "--json"]);
    assert_eq!(code, 1, "{output}");
    assert_eq!(report["server"]["reachable"], false);
    assert!(
        report["server"]["error"].as_str().is_some_and(|e| e.contains("cannot reach")),
        "{output}"
    );
    assert_eq!(report["healthy"], false);
}

#[test]
fn a_damaged_cache_fails_the_integrity_check() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(greenmile(dir.path(), &["demo", "--json"]).0, 0, "demo syncs");
    let path = dir.path().join("greenmile.sqlite");
    // Move everything from the write-ahead log into the database file first, so the damage
    // below hits pages SQLite will read.
    tokio::runtime::Runtime::new().expect("runtime").block_on(async {
        use sqlx::Connection as _;
        let url = format!("sqlite://{}", path.display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("open cache");
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut conn)
            .await
            .expect("checkpoint");
        conn.close().await.expect("close");
    });
    // Overwrite pages in the middle of the file, past the header and the schema page, so the
    // file still opens as SQLite but its b-trees are broken.
    let mut bytes = std::fs::read(&path).expect("read cache");
    assert!(bytes.len() > 64 * 1024, "a cache of some size");
    for byte in &mut bytes[16 * 1024..48 * 1024] {
        *byte = 0x5a;
    }
    std::fs::write(&path, &bytes).expect("damage cache");

    let (code, report, output) = greenmile(dir.path(), &["doctor", "--json", "--offline"]);
    assert_eq!(code, 1, "{output}");
    let integrity = report["cache"]["integrity"].as_str().unwrap_or("");
    assert_ne!(integrity, "ok", "{output}");
    assert!(!integrity.is_empty(), "{output}");
    assert_eq!(report["demo"], true, "a folder filled by `greenmile demo`");
    assert_eq!(report["healthy"], false);

    let (_, _, text) = greenmile(dir.path(), &["doctor", "--offline"]);
    assert!(text.contains("[FAIL] cache"), "{text}");
    assert!(text.contains("Some checks failed"), "{text}");
}

#[test]
fn an_unknown_token_store_is_a_failed_check() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_greenmile"))
        .args(["doctor", "--json", "--offline", "--data-dir"])
        .arg(dir.path())
        .env("GREENMILE_TOKEN_STORE", "plaintext-file")
        .output()
        .expect("greenmile runs");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(report["keychain"]["available"], false);
    assert_eq!(
        report["keychain"]["error"],
        "GREENMILE_TOKEN_STORE must be `keychain` or `session`, not `plaintext-file`"
    );
}

#[test]
fn a_data_folder_that_is_a_file_fails_the_cache_check() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "x").expect("file");
    let (code, report, output) = greenmile(&file, &["doctor", "--json", "--offline"]);
    assert_eq!(code, 1, "{output}");
    assert_eq!(report["cache"]["integrity"], "the data folder is a file, not a folder");
    assert_eq!(report["healthy"], false);
}

/// A D-Bus address with nothing behind it, so the run finds no Secret Service whatever the
/// machine has.
fn no_keychain(dir: &Path) -> String {
    format!("unix:path={}", dir.join("no-session-bus").display())
}

#[test]
fn a_folder_signed_in_after_the_demo_is_not_the_demo() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(greenmile(dir.path(), &["demo", "--json"]).0, 0, "demo syncs");
    assert!(dir.path().join("demo/green-api.sqlite").exists(), "the demo's store is there");

    // What `greenmile login` and a first sync leave: the demo's cache wiped, the account's
    // synced from its server (here another server on loopback), and account.json naming it.
    // The demo's store is left behind.
    for name in ["greenmile.sqlite", "greenmile.sqlite-wal", "greenmile.sqlite-shm"] {
        let _ = std::fs::remove_file(dir.path().join(name));
    }
    let store = tempfile::tempdir().expect("server dir");
    let server = runtime
        .block_on(greenmile_server::start_demo(
            &store.path().join("green-api.sqlite"),
            SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            chrono::Utc::now(),
        ))
        .expect("a server for the account");
    let tokens = runtime.block_on(server.demo_tokens()).expect("sign-in");
    let synced = common::run(
        dir.path(),
        &["sync", "--json", "--server", &server.url()],
        &[("GREENMILE_ACCESS_TOKEN", &tokens.access_token)],
    );
    assert_eq!(synced.code, 0, "sync: {}", synced.stderr);
    let account = serde_json::json!({
        "server": server.url(),
        "user_id": tokens.user.user_id,
        "email": tokens.user.email,
    });
    std::fs::write(dir.path().join("account.json"), account.to_string()).expect("account.json");

    let (_, report, output) = greenmile(dir.path(), &["doctor", "--json"]);
    assert_eq!(report["demo"], false, "the account binding wins over the demo's store: {output}");
    assert_eq!(report["server"]["base_url"], server.url());
    assert_eq!(report["server"]["reachable"], true, "the account's server is checked: {output}");
    assert_eq!(report["server"]["same_server"], true);
    assert_eq!(report["server"]["error"], Value::Null);

    let (_, _, text) = greenmile(dir.path(), &["doctor"]);
    let folder = format!("data folder   {}\n", dir.path().display());
    assert!(text.contains(&folder), "no (demo) after the folder: {text}");
    runtime.block_on(server.stop());
}

#[test]
fn a_demo_folder_without_a_keychain_is_healthy_and_says_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(greenmile(dir.path(), &["demo", "--json"]).0, 0, "demo syncs");
    let bus = no_keychain(dir.path());
    let env = [("DBUS_SESSION_BUS_ADDRESS", bus.as_str())];

    let r = common::run(dir.path(), &["doctor", "--json", "--offline"], &env);
    assert_eq!(r.json["demo"], true, "{}", r.stdout);
    assert_eq!(r.json["keychain"]["available"], false, "no Secret Service behind that bus");
    assert!(r.json["keychain"]["error"].is_string(), "the reason is still reported");
    assert_eq!(r.json["healthy"], true, "the demo never needs the keychain");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);

    let r = common::run(dir.path(), &["doctor", "--offline"], &env);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        r.stdout.contains("[--  ] keychain  Secret Service (GNOME Keyring, KWallet): "),
        "a note, not a FAIL: {}",
        r.stdout
    );
    assert!(r.stdout.contains("(not needed by the demo; needed to sign in)"), "{}", r.stdout);
    assert!(r.stdout.contains("All checks passed."), "{}", r.stdout);

    // The same machine without a demo: a folder that has never synced needs the keychain to
    // sign in, so there it is still a failure.
    let fresh = tempfile::tempdir().expect("temp dir");
    let r = common::run(fresh.path(), &["doctor", "--json", "--offline"], &env);
    assert_eq!((r.code, r.json["healthy"].clone()), (1, Value::Bool(false)), "{}", r.stdout);
}
