//! Accounts and their sign-ins, in the store.
//!
//! An account is an e-mail address (trimmed, lower case, unique) with an argon2id password
//! hash. Signing in makes a token pair: an access token that lives [`ACCESS_TTL`] and a refresh
//! token that lives [`REFRESH_TTL`]. Only the SHA-256 hashes of tokens are stored, so a copy of
//! the database signs no one in. Tokens are 256 random bits from the operating system.
//!
//! Refreshing spends the pair it names and adds the next pair to the same family. A refresh
//! token that was already spent is a sign that two parties hold it (one of them a thief):
//! presenting it revokes the whole family, so both must sign in again. Signing out revokes the
//! family too.
//!
//! The demo user has no password; it signs in only through [`Store::demo_tokens`], which the
//! process that runs the demo server calls for itself.

use std::fmt;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use greenmile_api::auth::{MAX_PASSWORD_BYTES, MIN_PASSWORD_CHARS, fold_email};
use greenmile_api::{Me, TokenPair};
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;

use crate::store::{Store, StoreError};

/// How long an access token works.
pub const ACCESS_TTL: Duration = Duration::minutes(15);

/// How long a refresh token works if it is never used.
pub const REFRESH_TTL: Duration = Duration::days(30);

/// The demo user's address; `.invalid` is reserved, so no real account can collide with it.
pub const DEMO_EMAIL: &str = "demo@greenmile.invalid";

/// A `sessions` row as a refresh reads it: id, user, family, refresh expiry, spent, revoked.
type SessionRow = (i64, i64, String, String, Option<String>, Option<String>);

/// The id of an account: every row of user data carries one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub i64);

// TODO(accounts-session-sweep): spent, revoked and expired token rows are kept for reuse
// detection and never deleted; a periodic sweep of rows past their refresh expiry is needed
// before the sessions table grows large.
/// Why an account could not be added.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// The e-mail address cannot be an address.
    #[error("{0:?} is not an e-mail address")]
    InvalidEmail(String),
    /// The password is too short or too long.
    #[error(
        "a password needs at least {MIN_PASSWORD_CHARS} characters and at most \
         {MAX_PASSWORD_BYTES} bytes"
    )]
    WeakPassword,
    /// An account with the address exists.
    #[error("an account for {0} exists already")]
    Taken(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for AccountError {
    fn from(error: sqlx::Error) -> Self {
        AccountError::Store(StoreError::Sqlite(error))
    }
}

/// Why a refresh token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshRefused {
    /// No pair has this refresh token, or it expired or was revoked.
    Unknown,
    /// The token was spent before: its whole family is now revoked.
    Reused,
}

/// The account a valid access token belongs to.
#[derive(Clone, PartialEq, Eq)]
pub struct Authenticated {
    /// The account.
    pub user: UserId,
    /// Its address.
    pub email: String,
    /// The sign-in (token family) the token belongs to.
    pub family: String,
}

impl fmt::Debug for Authenticated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The address is personal data; logs name the account by id.
        f.debug_struct("Authenticated").field("user", &self.user).finish_non_exhaustive()
    }
}

impl Store {
    /// Adds an account for `email` with `password`; the password is hashed with argon2id.
    pub async fn add_user(
        &self,
        email: &str,
        password: &str,
        now: DateTime<Utc>,
    ) -> Result<UserId, AccountError> {
        let email =
            fold_email(email).ok_or_else(|| AccountError::InvalidEmail(email.to_owned()))?;
        if password.chars().count() < MIN_PASSWORD_CHARS || password.len() > MAX_PASSWORD_BYTES {
            return Err(AccountError::WeakPassword);
        }
        let hash = hash_password(password.to_owned()).await?;

        let inserted = sqlx::query(
            "INSERT INTO users (email, password_hash, created_at) VALUES (?, ?, ?)
             ON CONFLICT (email) DO NOTHING",
        )
        .bind(&email)
        .bind(hash)
        .bind(instant(now))
        .execute(self.pool())
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(AccountError::Taken(email));
        }
        tracing::info!(user.id = inserted.last_insert_rowid(), "account added");
        Ok(UserId(inserted.last_insert_rowid()))
    }

    /// The account with `email`, if there is one.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserId>, StoreError> {
        let Some(email) = fold_email(email) else { return Ok(None) };
        let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE email = ?")
            .bind(email)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(|(id,)| UserId(id)))
    }

    /// The account whose password `password` is, or `None`. Takes as long for an unknown
    /// address as for a wrong password, so the answer's timing tells no one which addresses
    /// have accounts.
    pub async fn check_password(
        &self,
        email: &str,
        password: &str,
    ) -> Result<Option<Me>, StoreError> {
        let row: Option<(i64, String, Option<String>)> = match fold_email(email) {
            Some(email) => {
                sqlx::query_as("SELECT id, email, password_hash FROM users WHERE email = ?")
                    .bind(email)
                    .fetch_optional(self.pool())
                    .await?
            }
            None => None,
        };
        let (found, hash) = match row {
            Some((id, email, Some(hash))) => (Some(Me { user_id: id, email }), hash),
            _ => (None, decoy_hash().to_owned()),
        };
        let password = password.to_owned();
        let matches = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&hash)
                .map(|parsed| {
                    Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
                })
                .unwrap_or(false)
        })
        .await
        .map_err(|e| StoreError::Invalid(format!("the password check failed: {e}")))?;
        Ok(if matches { found } else { None })
    }

    /// Starts a sign-in for `user`: a new token family with its first pair.
    pub async fn issue_tokens(
        &self,
        user: UserId,
        now: DateTime<Utc>,
    ) -> Result<TokenPair, StoreError> {
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await?;
        let family = random_token("gmf_")?;
        let pair = insert_pair(&mut tx, user, &family, now).await?;
        tx.commit().await?;
        tracing::info!(user.id = user.0, "signed in");
        Ok(pair)
    }

    /// The account `access_token` belongs to, while it is neither expired, spent by a refresh,
    /// nor revoked.
    pub async fn authenticate(
        &self,
        access_token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Authenticated>, StoreError> {
        let row: Option<(i64, String, String)> = sqlx::query_as(
            "SELECT s.user_id, u.email, s.family FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.access_hash = ? AND s.access_expires_at > ?
               AND s.spent_at IS NULL AND s.revoked_at IS NULL",
        )
        .bind(token_hash(access_token))
        .bind(instant(now))
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(user, email, family)| Authenticated { user: UserId(user), email, family }))
    }

    /// Spends `refresh_token` for the next pair of its family. A token spent before revokes
    /// the family ([`RefreshRefused::Reused`]).
    pub async fn refresh_tokens(
        &self,
        refresh_token: &str,
        now: DateTime<Utc>,
    ) -> Result<Result<TokenPair, RefreshRefused>, StoreError> {
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await?;
        let row: Option<SessionRow> = sqlx::query_as(
            "SELECT id, user_id, family, refresh_expires_at, spent_at, revoked_at
                 FROM sessions WHERE refresh_hash = ?",
        )
        .bind(token_hash(refresh_token))
        .fetch_optional(&mut *tx)
        .await?;
        let Some((id, user, family, expires, spent, revoked)) = row else {
            return Ok(Err(RefreshRefused::Unknown));
        };
        if revoked.is_some() || expires <= instant(now) {
            return Ok(Err(RefreshRefused::Unknown));
        }
        if spent.is_some() {
            revoke(&mut tx, &family, now).await?;
            tx.commit().await?;
            tracing::warn!(user.id = user, "a spent refresh token came back; sign-in revoked");
            return Ok(Err(RefreshRefused::Reused));
        }

        sqlx::query("UPDATE sessions SET spent_at = ? WHERE id = ?")
            .bind(instant(now))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let pair = insert_pair(&mut tx, UserId(user), &family, now).await?;
        tx.commit().await?;
        tracing::debug!(user.id = user, "tokens refreshed");
        Ok(Ok(pair))
    }

    /// Ends the sign-in `family`: none of its tokens works any more.
    pub async fn revoke_family(&self, family: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut conn = self.pool().acquire().await?;
        revoke(&mut conn, family, now).await
    }

    /// The demo user, if the demo is seeded here.
    pub async fn demo_user(&self) -> Result<Option<UserId>, StoreError> {
        self.user_by_email(DEMO_EMAIL).await
    }

    /// Signs the demo user in, for the process that runs the demo server; the demo has no
    /// password, so this is its only way in. Fails when the demo is not seeded.
    pub async fn demo_tokens(&self, now: DateTime<Utc>) -> Result<TokenPair, StoreError> {
        let user = self
            .demo_user()
            .await?
            .ok_or_else(|| StoreError::Invalid("this store has no demo account".to_owned()))?;
        self.issue_tokens(user, now).await
    }
}

/// The demo user's id, adding the user inside the caller's transaction when it is missing.
pub(crate) async fn demo_user_in(
    conn: &mut SqliteConnection,
    now: DateTime<Utc>,
) -> Result<UserId, StoreError> {
    sqlx::query(
        "INSERT OR IGNORE INTO users (email, password_hash, created_at) VALUES (?, NULL, ?)",
    )
    .bind(DEMO_EMAIL)
    .bind(instant(now))
    .execute(&mut *conn)
    .await?;
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = ?")
        .bind(DEMO_EMAIL)
        .fetch_one(&mut *conn)
        .await?;
    Ok(UserId(id))
}

async fn insert_pair(
    conn: &mut SqliteConnection,
    user: UserId,
    family: &str,
    now: DateTime<Utc>,
) -> Result<TokenPair, StoreError> {
    let access = random_token("gma_")?;
    let refresh = random_token("gmr_")?;
    sqlx::query(
        "INSERT INTO sessions (family, user_id, access_hash, access_expires_at, refresh_hash,
             refresh_expires_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(family)
    .bind(user.0)
    .bind(token_hash(&access))
    .bind(instant(now + ACCESS_TTL))
    .bind(token_hash(&refresh))
    .bind(instant(now + REFRESH_TTL))
    .bind(instant(now))
    .execute(&mut *conn)
    .await?;
    let (email,): (String,) = sqlx::query_as("SELECT email FROM users WHERE id = ?")
        .bind(user.0)
        .fetch_one(&mut *conn)
        .await?;
    Ok(TokenPair {
        token_type: "Bearer".to_owned(),
        access_token: access,
        expires_in: ACCESS_TTL.num_seconds().unsigned_abs(),
        refresh_token: refresh,
        user: Me { user_id: user.0, email },
    })
}

async fn revoke(
    conn: &mut SqliteConnection,
    family: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE sessions SET revoked_at = ? WHERE family = ? AND revoked_at IS NULL")
        .bind(instant(now))
        .bind(family)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Instants as stored: fixed width, so text order is time order.
fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// `prefix` and 256 random bits from the operating system, in hex.
fn random_token(prefix: &str) -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::Invalid(format!("the system has no randomness to give: {e}")))?;
    let mut token = String::with_capacity(prefix.len() + 64);
    token.push_str(prefix);
    for byte in bytes {
        token.push_str(&format!("{byte:02x}"));
    }
    Ok(token)
}

/// The stored form of a token.
fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

async fn hash_password(password: String) -> Result<String, AccountError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt)
        .map_err(|e| StoreError::Invalid(format!("the system has no randomness to give: {e}")))?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::encode_b64(&salt)
            .map_err(|e| StoreError::Invalid(format!("cannot encode a salt: {e}")))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| StoreError::Invalid(format!("cannot hash the password: {e}")))
    })
    .await
    .map_err(|e| StoreError::Invalid(format!("the password hash failed: {e}")))?
    .map_err(AccountError::Store)
}

/// A hash no password matches in practice, verified against when the address is unknown so
/// that the work done is the same either way.
fn decoy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$Z3JlZW5taWxlZGVjb3k$2JqZ1W3Sg0vC3hFVYr6Dk8yqQhK2vmJbF0a2k7iEr4A"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_prefixed() {
        let a = random_token("gma_").unwrap();
        let b = random_token("gma_").unwrap();
        assert!(a.starts_with("gma_") && a.len() == 68, "prefix and 64 hex digits: {}", a.len());
        assert_ne!(a, b, "two tokens are never the same");
        assert_eq!(token_hash(&a).len(), 64, "a SHA-256 hash in hex");
    }

    #[test]
    fn the_decoy_hash_parses() {
        assert!(PasswordHash::new(decoy_hash()).is_ok(), "the decoy must cost a real check");
    }
}
