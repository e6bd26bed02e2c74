//! The token vault: where GreenMile keeps the one secret that outlives a run, the refresh token.
//!
//! Tokens live only in the operating system's keychain (Keychain on macOS, Credential Manager
//! on Windows, the Secret Service on Linux), never in the cache, a file or a log. A Linux machine
//! without a Secret Service (a server, a container, a bare window manager) gets a clear error
//! saying so, and one explicit alternative it must ask for: the kernel's session keyring, which
//! keeps the token in memory until the login session ends. There is no plaintext fallback.
//!
//! The keychain calls block (D-Bus round trips, a system prompt on macOS), so every call runs
//! on tokio's blocking pool and never on an async worker.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use crate::error::{CoreError, Result};

/// The service name every GreenMile entry is filed under.
pub const SERVICE: &str = "app.greenmile.desktop";

/// The largest secret one entry holds. Windows' Credential Manager refuses blobs over 2,560
/// bytes and some Secret Service back ends truncate long attributes; staying under 2,000 keeps
/// every platform safe.
pub const MAX_ENTRY_BYTES: usize = 2000;

/// The environment variable that chooses the store: `keychain` (the default) or `session`.
pub const STORE_ENV: &str = "GREENMILE_TOKEN_STORE";

/// Where the vault keeps its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Backend {
    /// The platform's keychain; survives restarts.
    OsKeychain,
    /// Linux only, opted into by `GREENMILE_TOKEN_STORE=session`: the kernel session keyring.
    /// Nothing reaches the disk, and the sign-in lasts until the login session ends.
    SessionKeyring,
}

impl Backend {
    /// Reads the choice from [`STORE_ENV`]; unset or empty means the OS keychain.
    pub fn from_env() -> Result<Self> {
        Self::parse(std::env::var(STORE_ENV).ok().as_deref())
    }

    /// Parses a choice as [`Backend::from_env`] reads it.
    pub fn parse(value: Option<&str>) -> Result<Self> {
        match value.map(str::trim) {
            None | Some("") | Some("keychain") => Ok(Backend::OsKeychain),
            Some("session") if cfg!(target_os = "linux") => Ok(Backend::SessionKeyring),
            Some("session") => Err(CoreError::InvalidInput(format!(
                "{STORE_ENV}=session is only available on Linux; this platform always has its \
                 own keychain"
            ))),
            Some(other) => Err(CoreError::InvalidInput(format!(
                "{STORE_ENV} must be `keychain` or `session`, not `{other}`"
            ))),
        }
    }

    /// How people call this store.
    pub fn describe(self) -> &'static str {
        match self {
            Backend::OsKeychain if cfg!(target_os = "macos") => "macOS Keychain",
            Backend::OsKeychain if cfg!(target_os = "windows") => "Windows Credential Manager",
            Backend::OsKeychain => "Secret Service (GNOME Keyring, KWallet)",
            Backend::SessionKeyring => "kernel session keyring (until logout)",
        }
    }
}

/// The secret store for one service name.
#[derive(Clone)]
pub struct Vault {
    backend: Backend,
    service: String,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vault")
            .field("backend", &self.backend)
            .field("service", &self.service)
            .finish()
    }
}

impl Vault {
    /// A vault over `backend` for GreenMile's own entries.
    pub fn new(backend: Backend) -> Self {
        Self::with_service(backend, SERVICE)
    }

    /// A vault under another service name, so tests never touch a person's real entries.
    pub fn with_service(backend: Backend, service: &str) -> Self {
        Self { backend, service: service.to_owned() }
    }

    /// Which store this vault uses.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Keeps `secret` under `account`, replacing what was there.
    pub async fn store(&self, account: &str, secret: &SecretString) -> Result<()> {
        let bytes = secret.expose_secret().len();
        if bytes > MAX_ENTRY_BYTES {
            return Err(CoreError::InvalidInput(format!(
                "a secret of {bytes} bytes is too long for the keychain (at most \
                 {MAX_ENTRY_BYTES})"
            )));
        }
        let secret = secret.clone();
        self.run(account, move |entry| entry.set_password(secret.expose_secret())).await
    }

    /// The secret under `account`, or `None` when there is none.
    pub async fn load(&self, account: &str) -> Result<Option<SecretString>> {
        match self.run(account, |entry| entry.get_password()).await {
            Ok(secret) => Ok(Some(SecretString::from(secret))),
            Err(CoreError::Keychain { missing: true, .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Removes the entry under `account`; `false` when there was none.
    pub async fn delete(&self, account: &str) -> Result<bool> {
        match self.run(account, |entry| entry.delete_credential()).await {
            Ok(()) => Ok(true),
            Err(CoreError::Keychain { missing: true, .. }) => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// Whether the store works here: writes, reads back and removes a probe entry.
    pub async fn probe(&self) -> Result<()> {
        let account = format!("probe-{}", std::process::id());
        let marker = SecretString::from("greenmile-probe");
        self.store(&account, &marker).await?;
        let read = self.load(&account).await;
        // A store that kept nothing has nothing to delete.
        let _ = self.delete(&account).await;
        match read? {
            Some(value) if value.expose_secret() == marker.expose_secret() => Ok(()),
            // keyutils stores into a session keyring that a login without one does not have,
            // and then finds nothing: say so rather than "no entry".
            None if self.backend == Backend::SessionKeyring => Err(CoreError::KeychainUnavailable(
                "this login has no kernel session keyring to keep the entry in; start the \
                 program inside one (`keyctl session - COMMAND`) or use a Secret Service"
                    .into(),
            )),
            _ => Err(CoreError::KeychainUnavailable(
                "the keychain accepted an entry but did not give it back".into(),
            )),
        }
    }

    async fn run<T, F>(&self, account: &str, call: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&keyring::Entry) -> keyring::Result<T> + Send + 'static,
    {
        let backend = self.backend;
        let service = self.service.clone();
        let account = account.to_owned();
        tokio::task::spawn_blocking(move || {
            let entry =
                entry(backend, &service, &account).map_err(|e| keychain_error(backend, e))?;
            call(&entry).map_err(|e| keychain_error(backend, e))
        })
        .await
        .map_err(|e| CoreError::Keychain {
            missing: false,
            detail: format!("the keychain call did not finish: {e}"),
        })?
    }
}

#[cfg(target_os = "linux")]
fn entry(backend: Backend, service: &str, account: &str) -> keyring::Result<keyring::Entry> {
    let credential: Box<keyring::Credential> = match backend {
        Backend::OsKeychain => Box::new(keyring::secret_service::SsCredential::new_with_target(
            None, service, account,
        )?),
        Backend::SessionKeyring => Box::new(
            keyring::keyutils::KeyutilsCredential::new_with_target(None, service, account)?,
        ),
    };
    Ok(keyring::Entry::new_with_credential(credential))
}

#[cfg(not(target_os = "linux"))]
fn entry(_backend: Backend, service: &str, account: &str) -> keyring::Result<keyring::Entry> {
    keyring::Entry::new(service, account)
}

/// Turns the keyring crate's error into ours, saying what to do when there is no keychain.
/// The keyring's messages name the service and account, never the secret.
fn keychain_error(backend: Backend, error: keyring::Error) -> CoreError {
    match error {
        keyring::Error::NoEntry => {
            CoreError::Keychain { missing: true, detail: "no entry in the keychain".into() }
        }
        keyring::Error::NoStorageAccess(e) | keyring::Error::PlatformFailure(e)
            if backend == Backend::OsKeychain && cfg!(target_os = "linux") =>
        {
            CoreError::KeychainUnavailable(format!(
                "no Secret Service answers on this session's D-Bus ({e}). Start GNOME Keyring or \
                 KWallet, or set {STORE_ENV}=session to keep the sign-in in the kernel session \
                 keyring until you log out"
            ))
        }
        keyring::Error::NoStorageAccess(e) | keyring::Error::PlatformFailure(e) => {
            CoreError::KeychainUnavailable(format!(
                "the {} cannot be used: {e}",
                backend.describe()
            ))
        }
        other => CoreError::Keychain { missing: false, detail: other.to_string() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_store_is_chosen_explicitly() {
        assert_eq!(Backend::parse(None).ok(), Some(Backend::OsKeychain));
        assert_eq!(Backend::parse(Some("")).ok(), Some(Backend::OsKeychain));
        assert_eq!(Backend::parse(Some("keychain")).ok(), Some(Backend::OsKeychain));
        #[cfg(target_os = "linux")]
        assert_eq!(Backend::parse(Some(" session ")).ok(), Some(Backend::SessionKeyring));
        let error = Backend::parse(Some("file")).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains("`keychain` or `session`, not `file`"), "{error}");
    }

    #[tokio::test]
    async fn an_oversized_secret_is_refused_before_the_keychain_is_asked() {
        let vault = Vault::with_service(Backend::OsKeychain, "app.greenmile.test.oversized");
        let secret = SecretString::from("x".repeat(MAX_ENTRY_BYTES + 1));
        let error = vault.store("someone", &secret).await.err().map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some("a secret of 2001 bytes is too long for the keychain (at most 2000)")
        );
    }

    #[test]
    fn debug_never_shows_a_secret() {
        let secret = SecretString::from("canary-7f3a91");
        assert!(!format!("{secret:?}").contains("canary"));
    }
}
