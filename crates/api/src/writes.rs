//! Writes from a client: local changes the sync engine delivers, each exactly once in effect.
//!
//! A client sends every local write as `POST /v1/writes` with an `Idempotency-Key` header and a
//! [`WriteRequest`] body. The server records each key once: the first delivery is applied, a
//! repeat with the same body is answered as a duplicate and changes nothing, and a repeat with
//! another body is refused (`idempotency_conflict`). So a client may retry a write whose answer
//! it never saw without applying it twice.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The header that names a write, chosen by the client and kept for every retry of it.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// The longest idempotency key accepted.
pub const MAX_IDEMPOTENCY_KEY: usize = 128;

/// A write: what kind of change, and its payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WriteRequest {
    /// `setting` (payload [`SettingPayload`]) or `quiz_attempt`.
    pub kind: String,
    /// The change itself; its shape depends on `kind`.
    pub payload: serde_json::Value,
}

/// The payload of a `setting` write: one user setting's new value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SettingPayload {
    /// The setting's name, such as `locale`.
    pub key: String,
    /// Its new value.
    pub value: String,
}

/// The longest setting name accepted.
pub const MAX_SETTING_KEY: usize = 64;

/// The longest setting value accepted, in characters.
pub const MAX_SETTING_VALUE: usize = 500;

impl SettingPayload {
    /// Checks the rule both ends apply: the name is 1 to [`MAX_SETTING_KEY`] of `a-z`, `0-9`,
    /// `_`, `.`, `-`; the value is at most [`MAX_SETTING_VALUE`] characters and has no control
    /// characters. The error says which part fails and why.
    pub fn check(&self) -> Result<(), String> {
        let name_ok = !self.key.is_empty()
            && self.key.len() <= MAX_SETTING_KEY
            && self
                .key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b));
        if !name_ok {
            return Err(format!(
                "setting name {:?}: use 1 to {MAX_SETTING_KEY} of a-z, 0-9, '_', '.', '-'",
                self.key
            ));
        }
        if self.value.chars().count() > MAX_SETTING_VALUE
            || self.value.chars().any(char::is_control)
        {
            return Err(format!(
                "setting {}: the value is over {MAX_SETTING_VALUE} characters or has control \
                 characters",
                self.key
            ));
        }
        Ok(())
    }
}

/// What the server did with a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WriteStatus {
    /// The write was new and is applied.
    Applied,
    /// The key was seen before with the same body; nothing changed this time.
    Duplicate,
}

/// The answer to a write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WriteAck {
    /// The idempotency key the write was sent with.
    pub key: String,
    /// Applied now, or a duplicate of a write applied before.
    pub status: WriteStatus,
}
