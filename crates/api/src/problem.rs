//! Errors on the wire: RFC 9457 problem documents with a stable `code`.
//!
//! Clients branch on `code`, never on `title` or `detail`; details of a failure go to the
//! server's log, not into the body.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The stable codes the API answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    /// The cursor was not one this server handed out.
    InvalidCursor,
    /// A query parameter could not be read (for example a `limit` that is not a number).
    InvalidQuery,
    /// No such route or item.
    NotFound,
    /// The route exists but not for this HTTP method.
    MethodNotAllowed,
    /// The server failed; retrying later may help.
    Internal,
    /// Too many requests; retry after the time in `Retry-After`.
    RateLimited,
    /// A write came without an `Idempotency-Key` header, or with an unusable one.
    MissingIdempotencyKey,
    /// The idempotency key (such as a quiz attempt id) was used before with a different body.
    IdempotencyConflict,
    /// The write's kind is not one this server knows.
    UnknownKind,
    /// A write's body is not acceptable: not the shape its kind needs, or naming something
    /// that does not exist (a quiz answer for a question the lesson does not have, the same
    /// question twice).
    InvalidPayload,
    /// The request needs a valid access token (`Authorization: Bearer`): none was sent, or it
    /// expired or was revoked. Refresh the tokens, or sign in again.
    Unauthenticated,
    /// The e-mail address and password do not match an account.
    InvalidCredentials,
    /// The refresh token is unknown, expired, revoked or already spent; sign in again.
    InvalidRefreshToken,
    /// The request body is larger than the server reads.
    PayloadTooLarge,
}

impl ProblemCode {
    /// The HTTP status that goes with the code.
    pub fn status(self) -> u16 {
        match self {
            ProblemCode::InvalidCursor | ProblemCode::InvalidQuery => 400,
            ProblemCode::NotFound => 404,
            ProblemCode::MethodNotAllowed => 405,
            ProblemCode::Internal => 500,
            ProblemCode::RateLimited => 429,
            ProblemCode::MissingIdempotencyKey => 400,
            ProblemCode::IdempotencyConflict => 409,
            ProblemCode::UnknownKind | ProblemCode::InvalidPayload => 422,
            ProblemCode::Unauthenticated
            | ProblemCode::InvalidCredentials
            | ProblemCode::InvalidRefreshToken => 401,
            ProblemCode::PayloadTooLarge => 413,
        }
    }

    /// A short, fixed summary of the code, for `title`.
    pub fn title(self) -> &'static str {
        match self {
            ProblemCode::InvalidCursor => "The cursor is not valid",
            ProblemCode::InvalidQuery => "The query is not valid",
            ProblemCode::NotFound => "Not found",
            ProblemCode::MethodNotAllowed => "Method not allowed",
            ProblemCode::Internal => "Internal server error",
            ProblemCode::RateLimited => "Too many requests",
            ProblemCode::MissingIdempotencyKey => "An Idempotency-Key header is needed",
            ProblemCode::IdempotencyConflict => "The idempotency key was used for another write",
            ProblemCode::UnknownKind => "Unknown write kind",
            ProblemCode::InvalidPayload => "The write's payload is not valid",
            ProblemCode::Unauthenticated => "Sign-in needed",
            ProblemCode::InvalidCredentials => "Wrong e-mail address or password",
            ProblemCode::InvalidRefreshToken => "The sign-in has ended",
            ProblemCode::PayloadTooLarge => "The request body is too large",
        }
    }
}

/// An RFC 9457 problem document, sent as `application/problem+json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// A URI naming the problem type.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// A short, fixed summary of the problem type.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time, for people; never parsed.
    pub detail: Option<String>,
    /// The stable code clients branch on.
    pub code: ProblemCode,
}

impl Problem {
    /// The problem document for `code`, with an optional detail for people.
    pub fn new(code: ProblemCode, detail: Option<String>) -> Self {
        let name = serde_json::to_value(code)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        Self {
            type_uri: format!("https://greenmile.app/problems/{name}"),
            title: code.title().to_owned(),
            status: code.status(),
            detail,
            code,
        }
    }
}
