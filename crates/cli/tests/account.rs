//! `greenmile login`, `whoami`, `sync` and `logout` as a person runs them: the real binary, a
//! reference server with two accounts on loopback, the real keychain of the test session.
//!
//! After two sign-ins, full syncs, a switch of account and a sign-out, every refresh token the
//! server handed out, and both passwords, are searched for as bytes in every file of the data
//! folder, the log folder and the temporary folder the runs used: none may be there.
//!
//! `scripts/test.sh` gives the tests a keychain and sets `GREENMILE_REQUIRE_KEYCHAIN=1`; run by
//! hand outside such a session, a missing keychain is reported on stderr instead of failing.

#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use greenmile_core::account::vault_key;
use greenmile_core::vault::{Backend, Vault};
use greenmile_server::bulk::Volume;
use secrecy::ExposeSecret;
use serde_json::Value;

const A_EMAIL: &str = "ana@example.org";
const A_PASSWORD: &str = "ana's password, long enough";
const B_EMAIL: &str = "bo@example.org";
const B_PASSWORD: &str = "bo's password, long enough";

/// The folders one person's runs touch.
struct Folders {
    root: tempfile::TempDir,
}

impl Folders {
    fn data(&self) -> PathBuf {
        self.root.path().join("data")
    }
    fn logs(&self) -> PathBuf {
        self.root.path().join("logs")
    }
    fn tmp(&self) -> PathBuf {
        self.root.path().join("tmp")
    }

    /// Runs greenmile with `stdin`, its log (at trace level) kept in the log folder.
    fn run(&self, args: &[&str], stdin: &str) -> (i32, Value, String) {
        self.run_with_token(args, stdin, None)
    }

    /// [`Self::run`], with `token` as `GREENMILE_ACCESS_TOKEN` when given.
    fn run_with_token(
        &self,
        args: &[&str],
        stdin: &str,
        token: Option<&str>,
    ) -> (i32, Value, String) {
        let mut command = Command::new(env!("CARGO_BIN_EXE_greenmile"));
        command.env_remove("GREENMILE_ACCESS_TOKEN");
        if let Some(token) = token {
            command.env("GREENMILE_ACCESS_TOKEN", token);
        }
        let mut child = command
            .arg("--data-dir")
            .arg(self.data())
            .args(args)
            .env_remove("GREENMILE_SERVER")
            .env("RUST_LOG", "trace")
            .env("TMPDIR", self.tmp())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        let n = std::fs::read_dir(self.logs()).unwrap().count();
        std::fs::write(
            self.logs().join(format!("run-{n}.log")),
            [out.stdout.as_slice(), out.stderr.as_slice()].concat(),
        )
        .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
        (out.status.code().unwrap_or(-1), json, String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn required() -> bool {
    std::env::var("GREENMILE_REQUIRE_KEYCHAIN").is_ok_and(|v| v == "1")
}

/// Every file below `dir`.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() { all.extend(files(&path)) } else { all.push(path) }
    }
    all
}

#[test]
fn sign_in_sync_switch_and_sign_out_leave_no_token_behind() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let vault = Vault::new(Backend::from_env().unwrap());
    if let Err(error) = runtime.block_on(vault.probe()) {
        assert!(!required(), "the test session must have a keychain: {error}");
        eprintln!("no keychain here, sign-in not tested: {error}");
        return;
    }

    // A server with two accounts: Ana with 40 bills, Bo with 3.
    let server_dir = tempfile::tempdir().unwrap();
    let server = runtime.block_on(async {
        let store =
            greenmile_server::Store::open(&server_dir.path().join("s.sqlite")).await.unwrap();
        let now = chrono::Utc::now();
        let ana = store.add_user(A_EMAIL, A_PASSWORD, now).await.unwrap();
        let bo = store.add_user(B_EMAIL, B_PASSWORD, now).await.unwrap();
        store.seed_bulk(ana, Volume { bills: 40, offers: 2, carbon: 5 }, now).await.unwrap();
        store.seed_bulk(bo, Volume { bills: 3, offers: 1, carbon: 1 }, now).await.unwrap();
        let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        greenmile_server::start(listen, store).await.unwrap()
    });
    let url = server.url();
    let f = Folders { root: tempfile::tempdir().unwrap() };
    for dir in [f.data(), f.logs(), f.tmp()] {
        std::fs::create_dir_all(dir).unwrap();
    }
    let key = vault_key(&f.data());
    let saved =
        || runtime.block_on(vault.load(&key)).unwrap().map(|t| t.expose_secret().to_owned());
    let mut canaries: Vec<String> = vec![A_PASSWORD.to_owned(), B_PASSWORD.to_owned()];

    // Nobody is signed in yet: sync says what to do.
    let (code, err, _) = f.run(&["sync", "--json"], "");
    assert_eq!((code, err["error"]["code"].as_str()), (1, Some("sign_in_required")));

    // A wrong password is refused with its own code.
    let (code, err, _) = f.run(
        &["login", "--json", "--server", &url, "--email", A_EMAIL, "--password-stdin"],
        "nope\n",
    );
    assert_eq!((code, err["error"]["code"].as_str()), (1, Some("invalid_credentials")));
    assert_eq!(saved(), None, "nothing was kept for a failed sign-in");

    // Ana signs in, syncs, asks who she is.
    let login = ["login", "--json", "--server", &url, "--email", A_EMAIL, "--password-stdin"];
    let (code, report, stderr) = f.run(&login, &format!("{A_PASSWORD}\n"));
    assert_eq!(code, 0, "Ana signs in: {stderr}");
    assert_eq!(report["account"]["email"], A_EMAIL);
    canaries.push(saved().expect("the refresh token is in the keychain"));

    let (code, report, stderr) = f.run(&["sync", "--json"], "");
    assert_eq!(code, 0, "Ana syncs with her saved sign-in: {stderr}");
    assert_eq!(report["bills"], 40, "Ana's bills, all of them");
    let rotated = saved().expect("still signed in");
    assert_ne!(Some(&rotated), canaries.last(), "the refresh token rotated and was saved");
    canaries.push(rotated);

    let (code, me, stderr) = f.run(&["whoami", "--json"], "");
    assert_eq!(code, 0, "whoami: {stderr}");
    assert_eq!(me["user"]["email"], A_EMAIL);
    canaries.push(saved().unwrap());

    // Bo signs in on the same folder: Ana's data goes first, and Bo sees only his.
    let login = ["login", "--json", "--server", &url, "--email", B_EMAIL, "--password-stdin"];
    let (code, report, stderr) = f.run(&login, &format!("{B_PASSWORD}\n"));
    assert_eq!(code, 0, "Bo signs in: {stderr}");
    assert_eq!(report["previous_data_removed"], true, "Ana's cache was removed");
    canaries.push(saved().unwrap());
    let (_, summary, _) = f.run(&["summary", "--json"], "");
    assert_eq!(summary["bills"], 0, "nothing of Ana's is shown to Bo");
    let (code, report, stderr) = f.run(&["sync", "--json"], "");
    assert_eq!(code, 0, "Bo syncs: {stderr}");
    assert_eq!(report["bills"], 3, "Bo's 3 bills and none of Ana's 40");
    let last = saved().unwrap();
    canaries.push(last.clone());

    // Bo signs out: the server ends the sign-in, and the folder and keychain are emptied.
    let (code, report, stderr) = f.run(&["logout", "--json"], "");
    assert_eq!(code, 0, "logout: {stderr}");
    assert_eq!(report["revoked"], true, "the server ended the sign-in");
    assert_eq!(report["keychain_entry_deleted"], true);
    assert_eq!(saved(), None, "the keychain entry is gone");
    let left: Vec<String> = std::fs::read_dir(f.data())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(left.is_empty(), "the data folder is empty after sign-out: {left:?}");
    let refused = runtime.block_on(async {
        reqwest::Client::new()
            .post(format!("{url}v1/auth/refresh"))
            .json(&serde_json::json!({"refresh_token": last}))
            .send()
            .await
            .unwrap()
            .status()
    });
    assert_eq!(refused, 401, "the last refresh token no longer works on the server");

    let (code, err, _) = f.run(&["whoami", "--json"], "");
    assert_eq!((code, err["error"]["code"].as_str()), (1, Some("sign_in_required")));

    // The canaries: no token and no password in any file the runs could have written.
    let searched = files(f.root.path());
    assert!(searched.len() >= 10, "the logs of every run are searched: {}", searched.len());
    for file in searched {
        let bytes = std::fs::read(&file).unwrap();
        for (i, canary) in canaries.iter().enumerate() {
            let found = bytes.windows(canary.len()).filter(|w| *w == canary.as_bytes()).count();
            assert_eq!(found, 0, "secret {i} appears in {}", file.display());
        }
    }
    runtime.block_on(server.stop());
}

#[test]
fn signing_out_with_the_server_gone_still_removes_everything_here() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let vault = Vault::new(Backend::from_env().unwrap());
    if let Err(error) = runtime.block_on(vault.probe()) {
        assert!(!required(), "the test session must have a keychain: {error}");
        eprintln!("no keychain here, sign-out not tested: {error}");
        return;
    }
    let server_dir = tempfile::tempdir().unwrap();
    let server = runtime.block_on(async {
        let store =
            greenmile_server::Store::open(&server_dir.path().join("s.sqlite")).await.unwrap();
        let ana = store.add_user(A_EMAIL, A_PASSWORD, chrono::Utc::now()).await.unwrap();
        let volume = Volume { bills: 5, offers: 1, carbon: 1 };
        store.seed_bulk(ana, volume, chrono::Utc::now()).await.unwrap();
        greenmile_server::start(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), store).await.unwrap()
    });
    let url = server.url();
    let f = Folders { root: tempfile::tempdir().unwrap() };
    for dir in [f.data(), f.logs(), f.tmp()] {
        std::fs::create_dir_all(dir).unwrap();
    }
    let login = ["login", "--json", "--server", &url, "--email", A_EMAIL, "--password-stdin"];
    assert_eq!(f.run(&login, &format!("{A_PASSWORD}\n")).0, 0, "signed in");
    assert_eq!(f.run(&["sync", "--json"], "").1["bills"], 5, "synced");
    runtime.block_on(server.stop());

    let (code, report, stderr) = f.run(&["logout", "--json"], "");
    assert_eq!(code, 0, "signing out works offline: {stderr}");
    assert_eq!(report["revoked"], false, "the server could not be told");
    assert_eq!(report["keychain_entry_deleted"], true, "the keychain entry is gone anyway");
    assert_eq!(runtime.block_on(vault.load(&vault_key(&f.data()))).unwrap().map(|_| ()), None);
    let left: Vec<_> = std::fs::read_dir(f.data()).unwrap().flatten().collect();
    assert!(left.is_empty(), "nothing of the account is left in the data folder: {left:?}");
}

#[test]
fn a_folder_signed_in_to_one_account_refuses_another_accounts_token() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let vault = Vault::new(Backend::from_env().unwrap());
    if let Err(error) = runtime.block_on(vault.probe()) {
        assert!(!required(), "the test session must have a keychain: {error}");
        eprintln!("no keychain here, the token check not tested: {error}");
        return;
    }
    let server_dir = tempfile::tempdir().unwrap();
    let (server, bo, bo_token) = runtime.block_on(async {
        let store =
            greenmile_server::Store::open(&server_dir.path().join("s.sqlite")).await.unwrap();
        let now = chrono::Utc::now();
        store.add_user(A_EMAIL, A_PASSWORD, now).await.unwrap();
        let bo = store.add_user(B_EMAIL, B_PASSWORD, now).await.unwrap();
        let token = store.issue_tokens(bo, now).await.unwrap().access_token;
        let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        (greenmile_server::start(listen, store).await.unwrap(), bo, token)
    });
    let url = server.url();
    let f = Folders { root: tempfile::tempdir().unwrap() };
    for dir in [f.data(), f.logs(), f.tmp()] {
        std::fs::create_dir_all(dir).unwrap();
    }
    let login = ["login", "--json", "--server", &url, "--email", A_EMAIL, "--password-stdin"];
    assert_eq!(f.run(&login, &format!("{A_PASSWORD}\n")).0, 0, "ana signed in");
    assert_eq!(f.run(&["settings", "set", "theme", "dark"], "").0, 0, "a change of ana's waits");

    let sync = ["sync", "--json", "--server", &url];
    let (code, error, _) = f.run_with_token(&sync, "", Some(&bo_token));
    assert_eq!((code, error["error"]["code"].as_str()), (1, Some("invalid_input")), "{error}");
    let writes = runtime.block_on(server.store().writes(bo)).unwrap();
    assert!(writes.is_empty(), "nothing of ana's reached bo: {writes:?}");

    // Nor does bo sign in over ana's change that has not reached the server.
    let as_bo = ["login", "--json", "--server", &url, "--email", B_EMAIL, "--password-stdin"];
    let (code, error, _) = f.run(&as_bo, &format!("{B_PASSWORD}\n"));
    assert_eq!((code, error["error"]["code"].as_str()), (1, Some("invalid_input")), "{error}");
    assert!(error["error"]["message"].as_str().is_some_and(|m| m.contains("1 changes")), "{error}");
    assert_eq!(f.run(&["whoami", "--json"], "").1["user"]["email"], A_EMAIL, "ana stays signed in");

    assert_eq!(f.run(&["logout", "--json"], "").0, 0);
    runtime.block_on(server.stop());
}
