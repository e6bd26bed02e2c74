//! Who is signed in to a data folder, and signing in and out.
//!
//! A data folder holds one account's data from one server. `account.json` in it names the two
//! (the server's address, the account's id and e-mail address: nothing secret), and the
//! refresh token is kept in the keychain ([`Vault`]) under a name derived from the folder, so
//! two data folders hold two independent sign-ins. The access token is never kept: each run
//! trades the refresh token for a fresh pair and saves the new refresh token at once
//! ([`connect`]).
//!
//! Signing in as another account, or at another server, first wipes the folder's cache, so no
//! one ever sees the previous account's data ([`login`]). Signing out ends the sign-in on the
//! server when it can be reached, and whether or not it can, deletes the keychain entry, the
//! cache with its `-wal` and `-shm` files and any copies a repair set aside, and
//! `account.json` ([`logout`]); the next start finds nothing of the account.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::auth::{SaveRefresh, Session};
use crate::client::GreenApi;
use crate::error::{CoreError, Result};
use crate::paths::CACHE_FILE;
use crate::vault::Vault;

/// The file, inside a data folder, naming the account signed in there.
pub const ACCOUNT_FILE: &str = "account.json";

/// The account a data folder belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Account {
    /// The Green API's base URL.
    pub server: String,
    /// The account's id on that server.
    #[ts(type = "number")]
    pub user_id: i64,
    /// The account's e-mail address.
    pub email: String,
}

/// What signing out did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SignOutReport {
    /// The account that was signed in, if any.
    pub account: Option<Account>,
    /// Whether the server ended the sign-in (false when it could not be reached; the tokens
    /// are deleted here either way and expire on the server).
    pub revoked: bool,
    /// Whether a keychain entry was deleted.
    pub keychain_entry_deleted: bool,
    /// The files removed from the data folder, by name.
    pub files_removed: Vec<String>,
}

/// What signing in did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SignInReport {
    /// The account now signed in.
    pub account: Account,
    /// Whether the folder held another account's data, now removed.
    pub previous_data_removed: bool,
}

/// The keychain entry name of `data_dir`'s refresh token.
pub fn vault_key(data_dir: &Path) -> String {
    let path = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_owned());
    let digest = Sha256::digest(path.to_string_lossy().as_bytes());
    let short: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("refresh-token.{short}")
}

/// The account signed in to `data_dir`, if any.
pub fn current(data_dir: &Path) -> Result<Option<Account>> {
    let path = data_dir.join(ACCOUNT_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(CoreError::io(format!("cannot read {}", path.display()), e)),
    };
    serde_json::from_str(&text).map(Some).map_err(|e| {
        CoreError::InvalidInput(format!(
            "{} is not readable ({e}); sign out and sign in again",
            path.display()
        ))
    })
}

/// Signs in to `server` as `email` and binds `data_dir` to that account: a cache of another
/// account or server is removed first, and the refresh token goes to `vault`.
pub async fn login(
    data_dir: &Path,
    vault: &Vault,
    server: &str,
    email: &str,
    password: &SecretString,
) -> Result<SignInReport> {
    let api = GreenApi::new(server)?;
    // A keychain that keeps nothing (a kernel keyring outside a login session) is found out
    // before the server hands out a token that would then have nowhere to go.
    vault.probe().await?;
    let previous = current(data_dir)?;
    if let Some(previous) = &previous {
        let same = previous.server == api.base_url().as_str()
            && previous.email.eq_ignore_ascii_case(email.trim());
        if !same {
            refuse_unsent_changes(data_dir, previous).await?;
        }
    }

    let session = api.login(email, password).await?;
    let user = session
        .user
        .clone()
        .ok_or_else(|| CoreError::BadResponse("the sign-in named no account".to_owned()))?;
    let account =
        Account { server: api.base_url().to_string(), user_id: user.user_id, email: user.email };

    let refresh = session
        .refresh
        .clone()
        .ok_or_else(|| CoreError::BadResponse("the sign-in gave no refresh token".to_owned()))?;
    if let Err(error) = vault.store(&vault_key(data_dir), &refresh).await {
        // Nowhere to keep the sign-in: end it rather than leave it open on the server.
        let _ = api.with_session(session, None).logout().await;
        return Err(error);
    }

    let same = previous
        .as_ref()
        .is_some_and(|p| p.server == account.server && p.user_id == account.user_id);
    let previous_data_removed = if same { false } else { !wipe_cache(data_dir)?.is_empty() };
    write_account(data_dir, &account)?;
    tracing::info!(user.id = account.user_id, previous_data_removed, "signed in");
    Ok(SignInReport { account, previous_data_removed })
}

/// Refuses to sign someone else in over `previous`'s changes that never reached its server:
/// the switch would delete them with the cache.
async fn refuse_unsent_changes(data_dir: &Path, previous: &Account) -> Result<()> {
    let path = data_dir.join(CACHE_FILE);
    if !path.exists() {
        return Ok(());
    }
    let cache = crate::db::Cache::open(&path).await?;
    let waiting = crate::outbox::pending(cache.pool(), 1000).await;
    cache.close().await;
    let waiting = waiting?.len();
    if waiting == 0 {
        return Ok(());
    }
    Err(CoreError::InvalidInput(format!(
        "{waiting} changes made here as {} have not reached {} yet; run `greenmile sync` to \
         send them first, or `greenmile logout` to discard them, then sign in",
        previous.email, previous.server
    )))
}

/// A client for the account signed in to `data_dir`, acting under its saved sign-in; every
/// refresh token the server hands out replaces the saved one at once.
pub async fn connect(data_dir: &Path, vault: &Vault) -> Result<(GreenApi, Account)> {
    let account = current(data_dir)?.ok_or_else(|| {
        CoreError::SignInRequired(
            "no one is signed in to this data folder; run `greenmile login` first".to_owned(),
        )
    })?;
    let key = vault_key(data_dir);
    let refresh = vault.load(&key).await?.ok_or_else(|| {
        CoreError::SignInRequired(
            "the keychain holds no sign-in for this data folder; sign in again".to_owned(),
        )
    })?;

    let saver = vault.clone();
    let save: SaveRefresh = Arc::new(move |token: SecretString| {
        let (vault, key) = (saver.clone(), key.clone());
        Box::pin(async move { vault.store(&key, &token).await })
    });
    let api = GreenApi::new(&account.server)?.with_session(Session::resume(refresh), Some(save));
    Ok((api, account))
}

/// Signs `data_dir` out: ends the sign-in on the server (best effort), then deletes the
/// keychain entry, the cache and `account.json`, whatever the server said. Close every cache
/// of the folder first.
pub async fn logout(data_dir: &Path, vault: &Vault) -> Result<SignOutReport> {
    let account = current(data_dir).ok().flatten();
    let revoked = match connect(data_dir, vault).await {
        Ok((api, _)) => match api.logout().await {
            Ok(()) => true,
            Err(error) => {
                tracing::warn!(error.code = ?error.code(), "the server did not end the sign-in");
                false
            }
        },
        Err(_) => false,
    };

    let deleted = vault.delete(&vault_key(data_dir)).await;
    let mut files_removed = wipe_cache(data_dir)?;
    let account_file = data_dir.join(ACCOUNT_FILE);
    if remove(&account_file)? {
        files_removed.push(ACCOUNT_FILE.to_owned());
    }
    let keychain_entry_deleted = deleted?;
    tracing::info!(revoked, files = files_removed.len(), "signed out");
    Ok(SignOutReport { account, revoked, keychain_entry_deleted, files_removed })
}

/// Removes the cache of `data_dir`: the database, its `-wal`, `-shm` and `-journal` files, and
/// copies a repair set aside. Returns the names removed.
pub fn wipe_cache(data_dir: &Path) -> Result<Vec<String>> {
    let entries = match std::fs::read_dir(data_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(CoreError::io(format!("cannot list {}", data_dir.display()), e)),
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(CACHE_FILE) && remove(&entry.path())? {
            removed.push(name);
        }
    }
    removed.sort();
    Ok(removed)
}

fn remove(path: &PathBuf) -> Result<bool> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(CoreError::io(format!("cannot remove {}", path.display()), e)),
    }
}

fn write_account(data_dir: &Path, account: &Account) -> Result<()> {
    std::fs::create_dir_all(data_dir)
        .map_err(|e| CoreError::io(format!("cannot create {}", data_dir.display()), e))?;
    let text = serde_json::to_string_pretty(account)
        .map_err(|e| CoreError::InvalidInput(format!("cannot write the account: {e}")))?;
    let path = data_dir.join(ACCOUNT_FILE);
    let partial = data_dir.join(format!("{ACCOUNT_FILE}.partial"));
    std::fs::write(&partial, text)
        .and_then(|()| std::fs::rename(&partial, &path))
        .map_err(|e| CoreError::io(format!("cannot write {}", path.display()), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wiping_removes_the_cache_and_its_companions_only() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            CACHE_FILE,
            "greenmile.sqlite-wal",
            "greenmile.sqlite-shm",
            "greenmile.sqlite.corrupt-1",
            "notes.txt",
        ] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        let removed = wipe_cache(dir.path()).unwrap();
        assert_eq!(removed.len(), 4, "every cache file: {removed:?}");
        assert!(dir.path().join("notes.txt").exists(), "other files stay");
    }

    #[test]
    fn each_folder_has_its_own_keychain_entry() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        assert_ne!(vault_key(a.path()), vault_key(b.path()), "two folders, two entries");
        assert!(vault_key(a.path()).len() < 64, "a short, fixed-size name");
    }
}
