//! The core's error type and the stable codes it maps to.
//!
//! [`CoreError`] carries what went wrong for logs and for people; [`ErrorCode`] is the closed set
//! of codes that crosses to the CLI and the UI (generated into TypeScript), so they can say what
//! to do next in the user's language without reading message text.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The stable code of an error, as the UI and `--json` output see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The server could not be reached (down, wrong address, no network, timed out).
    ServerUnreachable,
    /// The server answered with something that is not the Green API contract.
    BadResponse,
    /// The server answered with a problem document (an error it knows about).
    ServerError,
    /// The local cache could not be read or written.
    Cache,
    /// The disk holding the cache is full; nothing was half-written.
    DiskFull,
    /// An argument or setting was not acceptable.
    InvalidInput,
    /// Another sync is running.
    Busy,
    /// A fault inside GreenMile.
    Internal,
    /// No keychain can be used here (no Secret Service on Linux, a locked or refused keychain).
    KeychainUnavailable,
    /// No one is signed in here, or the sign-in ended (signed out elsewhere, expired, revoked):
    /// sign in again.
    SignInRequired,
    /// The e-mail address or password is wrong.
    InvalidCredentials,
    /// Too many failed sign-ins; wait before trying again.
    RateLimited,
    /// The server's TLS certificate was refused: not issued by a trusted authority (such as
    /// self-signed), for another host name, or expired.
    CertificateRefused,
}

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The base URL is not HTTPS (plain HTTP is allowed only for loopback) or not a URL.
    #[error("not a usable Green API address: {0}")]
    InvalidUrl(String),

    /// Connecting to the server failed or it did not answer in time.
    #[error("cannot reach the Green API at {url}: {reason}")]
    Unreachable {
        /// The address that was tried.
        url: String,
        /// What the HTTP client reported.
        reason: String,
    },

    /// The server's answer is not the contract: wrong type, malformed or oversized body, an
    /// item that fails validation.
    #[error("the Green API sent a response that is not the contract: {0}")]
    BadResponse(String),

    /// The server answered with an RFC 9457 problem document or another error status.
    #[error("the Green API answered {status}{}: {detail}", code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default())]
    Server {
        /// The HTTP status.
        status: u16,
        /// The problem's stable code, when the body was a problem document.
        code: Option<String>,
        /// The problem's detail or title.
        detail: String,
    },

    /// SQLite failed: the cache file is unreadable, locked, full or corrupt.
    #[error("the local cache failed: {0}")]
    Cache(#[from] sqlx::Error),

    /// The cache file failed its integrity check when it was opened.
    #[error("the local cache file is damaged: {0}")]
    Damaged(String),

    /// A migration of the cache schema failed.
    #[error("the local cache could not be prepared: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),

    /// A file or folder could not be created or read.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The operating system's error.
        source: std::io::Error,
    },

    /// An argument was not acceptable.
    #[error("{0}")]
    InvalidInput(String),

    /// The cache holds data from another server; syncing would mix the two.
    #[error(
        "this data folder holds data synced from another server ({cached}); use another data \
         folder for {asked}, or remove this one's cache to start again"
    )]
    OtherServer {
        /// The address the cache was synced from.
        cached: String,
        /// The address asked for now.
        asked: String,
    },

    /// A sync was asked for while one is running.
    #[error("a sync is already running")]
    Busy,

    /// No keychain can keep a token here.
    #[error("no keychain is available: {0}")]
    KeychainUnavailable(String),

    /// A request needs a sign-in and there is none, or the server ended it.
    #[error("sign in first: {0}")]
    SignInRequired(String),

    /// The server refused the e-mail address and password.
    #[error("the e-mail address or password is wrong")]
    InvalidCredentials,

    /// The server refused a sign-in because of too many failed ones.
    #[error("too many failed sign-ins; try again in {retry_after_s} seconds")]
    RateLimited {
        /// Seconds the server asked to wait.
        retry_after_s: u64,
    },

    /// The TLS handshake failed on the server's certificate.
    #[error("the server at {url} is not who it claims to be: {reason}")]
    CertificateRefused {
        /// The address that was tried.
        url: String,
        /// What the TLS library reported.
        reason: String,
    },

    /// The keychain refused one call.
    #[error("the keychain failed: {detail}")]
    Keychain {
        /// True when the entry asked for does not exist.
        missing: bool,
        /// What the keychain reported (never the secret).
        detail: String,
    },
}

impl CoreError {
    /// The stable code for this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::InvalidUrl(_)
            | CoreError::InvalidInput(_)
            | CoreError::OtherServer { .. } => ErrorCode::InvalidInput,
            CoreError::Unreachable { .. } => ErrorCode::ServerUnreachable,
            CoreError::BadResponse(_) => ErrorCode::BadResponse,
            CoreError::Server { .. } => ErrorCode::ServerError,
            CoreError::Cache(e) if crate::db::health::is_full(e) => ErrorCode::DiskFull,
            CoreError::Io { source, .. } if source.kind() == std::io::ErrorKind::StorageFull => {
                ErrorCode::DiskFull
            }
            CoreError::Cache(_)
            | CoreError::Migrate(_)
            | CoreError::Damaged(_)
            | CoreError::Io { .. } => ErrorCode::Cache,
            CoreError::Busy => ErrorCode::Busy,
            CoreError::KeychainUnavailable(_) => ErrorCode::KeychainUnavailable,
            CoreError::SignInRequired(_) => ErrorCode::SignInRequired,
            CoreError::InvalidCredentials => ErrorCode::InvalidCredentials,
            CoreError::RateLimited { .. } => ErrorCode::RateLimited,
            CoreError::CertificateRefused { .. } => ErrorCode::CertificateRefused,
            CoreError::Keychain { .. } => ErrorCode::Internal,
        }
    }

    /// Wraps an I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        CoreError::Io { context: context.into(), source }
    }
}

/// The core's result type.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;

/// An error as it crosses to the UI and to `--json` output: a stable code and a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppError {
    /// What kind of failure; the UI picks its words by this.
    pub code: ErrorCode,
    /// The English description, shown as detail.
    pub message: String,
}

impl From<&CoreError> for AppError {
    fn from(error: &CoreError) -> Self {
        Self { code: error.code(), message: error.to_string() }
    }
}

impl From<CoreError> for AppError {
    fn from(error: CoreError) -> Self {
        Self::from(&error)
    }
}
