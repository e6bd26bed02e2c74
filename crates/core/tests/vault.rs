//! The token vault against the real keychain of the session the tests run in.
//!
//! `scripts/test.sh` runs the tests inside a D-Bus session with GNOME Keyring unlocked and in a
//! private kernel session keyring, and sets `GREENMILE_REQUIRE_KEYCHAIN=1`, so there these tests
//! must reach both stores. Run by hand outside such a session, a missing store is reported on
//! stderr instead of failing the run.

use greenmile_core::CoreError;
use greenmile_core::vault::{Backend, MAX_ENTRY_BYTES, Vault};
use secrecy::{ExposeSecret, SecretString};

/// A service name of our own per test process, so runs never meet a person's entries or each
/// other's.
fn vault(backend: Backend) -> Vault {
    Vault::with_service(backend, &format!("app.greenmile.test.{}", std::process::id()))
}

fn required() -> bool {
    std::env::var("GREENMILE_REQUIRE_KEYCHAIN").is_ok_and(|v| v == "1")
}

/// Whether the store answers; a missing store fails the test only where it is required.
async fn available(vault: &Vault) -> bool {
    match vault.probe().await {
        Ok(()) => true,
        Err(error) if !required() => {
            eprintln!("{} not available here, not tested: {error}", vault.backend().describe());
            false
        }
        Err(error) => {
            panic!("{} must work in the test session: {error}", vault.backend().describe())
        }
    }
}

async fn round_trip(backend: Backend) {
    let vault = vault(backend);
    if !available(&vault).await {
        return;
    }
    let account = "refresh:alice@127.0.0.1";
    // The longest secret the vault accepts goes in and comes back byte for byte.
    let token = SecretString::from(format!("rt-{}", "Zq9".repeat((MAX_ENTRY_BYTES - 3) / 3)));
    assert!(token.expose_secret().len() <= MAX_ENTRY_BYTES);

    assert!(vault.load(account).await.expect("read before").is_none());
    vault.store(account, &token).await.expect("store");
    let read = vault.load(account).await.expect("read back").expect("an entry");
    assert_eq!(read.expose_secret(), token.expose_secret());

    // Storing again replaces the entry rather than adding a second one.
    let rotated = SecretString::from("rt-rotated-2");
    vault.store(account, &rotated).await.expect("store again");
    let read = vault.load(account).await.expect("read rotated").expect("an entry");
    assert_eq!(read.expose_secret(), "rt-rotated-2");

    assert!(vault.delete(account).await.expect("delete"));
    assert!(vault.load(account).await.expect("read after delete").is_none());
    assert!(!vault.delete(account).await.expect("delete again"), "nothing left to delete");
}

#[tokio::test]
async fn the_os_keychain_keeps_replaces_and_forgets_a_token() {
    round_trip(Backend::OsKeychain).await;
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn the_session_keyring_keeps_replaces_and_forgets_a_token() {
    round_trip(Backend::SessionKeyring).await;
}

#[cfg(target_os = "linux")]
#[test]
fn without_a_secret_service_the_error_says_what_to_do() {
    // A D-Bus address where nothing listens stands for a session with no Secret Service. The
    // D-Bus client reads the address from the environment, so the probe runs in a child process
    // of this test binary rather than changing this process's environment.
    let scratch = tempfile::tempdir().expect("temp dir");
    let address = format!("unix:path={}", scratch.path().join("no-bus").display());
    let output = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", "probe_in_child", "--nocapture", "--include-ignored"])
        .env("DBUS_SESSION_BUS_ADDRESS", &address)
        .env("GREENMILE_VAULT_CHILD", "1")
        .output()
        .expect("run the child");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "child failed: {stdout}");
    assert!(stdout.contains("code=\"keychain_unavailable\""), "{stdout}");
    assert!(stdout.contains("set GREENMILE_TOKEN_STORE=session"), "{stdout}");
}

/// Run only as the child of the test above, with a D-Bus address where nothing listens.
#[tokio::test]
#[ignore = "run by without_a_secret_service_the_error_says_what_to_do in a child process"]
async fn probe_in_child() {
    assert!(std::env::var("GREENMILE_VAULT_CHILD").is_ok(), "run only by its parent test");
    let error = vault(Backend::OsKeychain).probe().await.expect_err("no Secret Service");
    assert!(matches!(error, CoreError::KeychainUnavailable(_)), "{error:?}");
    println!("code={} message={error}", serde_json::to_string(&error.code()).unwrap_or_default());
}
