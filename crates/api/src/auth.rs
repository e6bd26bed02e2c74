//! Accounts on the wire: signing in, refreshing and signing out.
//!
//! `POST /v1/auth/login` trades an e-mail address and a password for a [`TokenPair`]: a
//! short-lived access token sent as `Authorization: Bearer` on every data request, and a
//! refresh token that `POST /v1/auth/refresh` trades for a new pair. Each refresh token works
//! once: the answer carries its successor, and presenting a spent one again ends the whole
//! sign-in (someone else may hold a copy). `POST /v1/auth/logout` ends the sign-in the bearer
//! token belongs to. Every data route answers only with the signed-in user's data.
//!
//! Tokens and passwords are secrets: the types that carry them print `[redacted]` in `Debug`,
//! so a log line of one of them never holds the value.

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The longest password accepted, in bytes; hashing is deliberately slow, so the input is kept
/// small.
pub const MAX_PASSWORD_BYTES: usize = 256;

/// The shortest password `greenmile-server user add` accepts, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// The longest e-mail address accepted, in bytes.
pub const MAX_EMAIL_BYTES: usize = 254;

/// The body of `POST /v1/auth/login`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// The account's e-mail address; compared without regard to case.
    pub email: String,
    /// The account's password.
    pub password: String,
}

impl fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginRequest").field("password", &"[redacted]").finish_non_exhaustive()
    }
}

/// The body of `POST /v1/auth/refresh`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RefreshRequest {
    /// The refresh token of the last pair received; it works once.
    pub refresh_token: String,
}

impl fmt::Debug for RefreshRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RefreshRequest { refresh_token: [redacted] }")
    }
}

/// The signed-in account, as `GET /v1/me` and every sign-in answer describe it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Me {
    /// The account's stable id on this server.
    pub user_id: i64,
    /// The account's e-mail address, as stored (lower case).
    pub email: String,
}

/// What a sign-in or a refresh answers: a new pair of tokens.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TokenPair {
    /// Always `Bearer`.
    pub token_type: String,
    /// Sent as `Authorization: Bearer` on data requests until it expires.
    pub access_token: String,
    /// Seconds the access token stays valid.
    pub expires_in: u64,
    /// Traded once for the next pair through `POST /v1/auth/refresh`.
    pub refresh_token: String,
    /// Whose tokens these are.
    pub user: Me,
}

impl fmt::Debug for TokenPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenPair")
            .field("access_token", &"[redacted]")
            .field("expires_in", &self.expires_in)
            .field("refresh_token", &"[redacted]")
            .field("user", &self.user)
            .finish()
    }
}

/// Folds an e-mail address to the form accounts are stored and looked up under: trimmed and
/// lower case. `None` when it cannot be an address (no `@`, too long, spaces or control
/// characters).
pub fn fold_email(email: &str) -> Option<String> {
    let folded = email.trim().to_lowercase();
    let (local, domain) = folded.split_once('@')?;
    let usable = !local.is_empty()
        && !domain.is_empty()
        && folded.len() <= MAX_EMAIL_BYTES
        && !folded.chars().any(|c| c.is_whitespace() || c.is_control());
    usable.then_some(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_fold_to_one_form() {
        assert_eq!(fold_email("  Ana@Example.ORG ").as_deref(), Some("ana@example.org"));
        for bad in ["", "ana", "@example.org", "ana@", "a na@example.org"] {
            assert_eq!(fold_email(bad), None, "{bad:?} is not an address");
        }
    }

    #[test]
    fn debug_never_prints_a_secret() {
        let pair = TokenPair {
            token_type: "Bearer".into(),
            access_token: "gma_canary".into(),
            expires_in: 900,
            refresh_token: "gmr_canary".into(),
            user: Me { user_id: 1, email: "a@b.c".into() },
        };
        let login = LoginRequest { email: "a@b.c".into(), password: "pw-canary".into() };
        let refresh = RefreshRequest { refresh_token: "gmr_canary".into() };
        let printed = format!("{pair:?} {login:?} {refresh:?}");
        assert!(!printed.contains("canary"), "a secret leaked into Debug: {printed}");
    }
}
