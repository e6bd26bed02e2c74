//! A sign-in as the client holds it.
//!
//! [`Session`] is the pair of tokens the server handed out, each a [`SecretString`]: `Debug`
//! prints `[REDACTED]` and neither serializes, so a token cannot reach a log line, a `--json`
//! answer or the UI by accident. The access token lives only in memory; the refresh token is
//! what outlives a run, and only the keychain keeps it ([`crate::account`]). The server rotates
//! the refresh token on every use, so whoever keeps it must save each new one at once: the
//! [`SaveRefresh`] hook given to [`crate::GreenApi::with_session`] is called with every new
//! refresh token before the request that needed it goes on.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use greenmile_api::{Me, TokenPair};
use secrecy::SecretString;

use crate::error::Result;

/// The tokens of one sign-in.
#[derive(Clone)]
pub struct Session {
    /// Sent as `Authorization: Bearer`; `None` until the first refresh of a resumed sign-in.
    pub access: Option<SecretString>,
    /// Traded once for the next pair.
    pub refresh: Option<SecretString>,
    /// Whose tokens they are, once known.
    pub user: Option<Me>,
}

impl Session {
    /// A sign-in resumed from a saved refresh token: the first request refreshes it.
    pub fn resume(refresh: SecretString) -> Self {
        Self { access: None, refresh: Some(refresh), user: None }
    }
}

impl From<TokenPair> for Session {
    fn from(pair: TokenPair) -> Self {
        Self {
            access: Some(SecretString::from(pair.access_token)),
            refresh: Some(SecretString::from(pair.refresh_token)),
            user: Some(pair.user),
        }
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("access", &self.access.as_ref().map(|_| "[REDACTED]"))
            .field("refresh", &self.refresh.as_ref().map(|_| "[REDACTED]"))
            .field("user", &self.user.as_ref().map(|u| u.user_id))
            .finish()
    }
}

/// What a [`SaveRefresh`] hook returns.
pub type SaveFuture = Pin<Box<dyn Future<Output = Result<()>> + Send>>;

/// Keeps each new refresh token (in the keychain); an error stops the request that refreshed.
pub type SaveRefresh = Arc<dyn Fn(SecretString) -> SaveFuture + Send + Sync>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_never_prints_its_tokens() {
        let session = Session {
            access: Some(SecretString::from("gma_canary")),
            refresh: Some(SecretString::from("gmr_canary")),
            user: Some(Me { user_id: 7, email: "a@b.c".into() }),
        };
        let printed = format!("{session:?}");
        assert!(!printed.contains("canary") && !printed.contains("a@b.c"), "{printed}");
    }
}
