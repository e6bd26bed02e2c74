//! Signing in and out from the app. The password comes in once, is wrapped as a secret at
//! once and goes to the server; no token ever goes back to the UI, which learns only who is
//! signed in ([`Account`]) and what signing out removed ([`SignOutReport`]).

use std::sync::Arc;

use greenmile_api::auth::{MAX_PASSWORD_BYTES, fold_email};
use greenmile_core::account::{Account, SignOutReport};
use greenmile_core::{AppError, ErrorCode};
use secrecy::SecretString;
use tauri::{AppHandle, Manager, State};

use crate::shell::Shell;

/// The longest server address accepted.
const MAX_URL_CHARS: usize = 2048;

fn invalid(message: &str) -> AppError {
    AppError { code: ErrorCode::InvalidInput, message: message.to_owned() }
}

/// Checks what the sign-in form sent, before anything is done with it.
fn check(server_url: &str, email: &str, password: &str) -> Result<String, AppError> {
    if server_url.trim().is_empty() || server_url.chars().count() > MAX_URL_CHARS {
        return Err(invalid("give the server's address, such as https://green.example.com/"));
    }
    let email = fold_email(email).ok_or_else(|| invalid("give an e-mail address"))?;
    if password.is_empty() || password.len() > MAX_PASSWORD_BYTES {
        return Err(invalid("give a password of at most 256 bytes"));
    }
    Ok(email)
}

/// Signs in to `server_url` as `email`; the app then syncs from that account.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn sign_in(
    shell: State<'_, Arc<Shell>>,
    server_url: String,
    email: String,
    password: String,
) -> Result<Account, AppError> {
    let password = SecretString::from(password);
    let email = check(&server_url, &email, secrecy::ExposeSecret::expose_secret(&password))?;
    shell.sign_in(server_url.trim(), &email, &password).await
}

/// Signs out: ends the sign-in on the server, deletes the keychain entry and the cache, and
/// clears the webview's storage and caches; the app returns to the demo.
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn sign_out(
    app: AppHandle,
    shell: State<'_, Arc<Shell>>,
) -> Result<SignOutReport, AppError> {
    let report = shell.sign_out().await?;

    // What the webview kept (local storage, IndexedDB, its HTTP and image caches) goes too.
    if let Some(window) = app.get_webview_window("main") {
        if let Err(error) = window.clear_all_browsing_data() {
            tracing::warn!(error = %error, "the webview's data could not be cleared");
        }
    }
    if let Ok(dir) = app.path().app_cache_dir() {
        match std::fs::remove_dir_all(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => tracing::warn!(error = %e, "the app's cache folder could not be removed"),
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_is_checked_before_anything_is_sent() {
        assert_eq!(check(" ", "a@b.c", "pw").unwrap_err().code, ErrorCode::InvalidInput);
        assert!(check(&"h".repeat(MAX_URL_CHARS + 1), "a@b.c", "pw").is_err(), "huge URL");
        assert!(check("https://x.org", "not an address", "pw").is_err(), "bad address");
        assert!(check("https://x.org", "a@b.c", "").is_err(), "empty password");
        assert!(check("https://x.org", "a@b.c", &"p".repeat(257)).is_err(), "huge password");
        assert_eq!(check("https://x.org", " A@B.c ", "pw").unwrap(), "a@b.c", "folded");
    }
}
