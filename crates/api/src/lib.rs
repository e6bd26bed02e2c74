//! The Green API v1 contract.
//!
//! Everything the reference server sends and the client's sync engine reads is declared here
//! once, as serde types; the OpenAPI 3.1 document in `openapi.json` is generated from these
//! same types (see [`openapi`]) and committed, and a test fails when the two disagree.
//!
//! The contract keeps the project's invariants on the wire: money is an integer count of minor
//! units with an ISO 4217 code ([`Money`]), carbon is integer grams of CO2e with the id of the
//! method that produced it ([`CarbonFigure`]), and instants are RFC 3339 in UTC. A figure carries
//! its trace ([`CarbonTrace`]): the method's inputs, the factors it read, its baseline and how far
//! to trust it, so a client can explain the figure and recompute it.
//!
//! Every collection is a change feed read page by page (`GET /v1/{collection}?cursor=&limit=`):
//! a page holds the items changed since the cursor, the ids deleted since then (tombstones), and
//! the cursor to send next. Each feed answer carries an `ETag` naming the feed's state; a client
//! that has read to the end sends it back as `If-None-Match` and gets `304 Not Modified` while
//! nothing changed. Local writes go the other way, once each, through `POST /v1/writes`
//! ([`writes`]). Errors are RFC 9457 problem documents ([`Problem`]).

pub mod auth;
pub mod feed;
pub mod learn;
pub mod model;
pub mod openapi;
pub mod problem;
pub mod writes;

pub use auth::{LoginRequest, Me, RefreshRequest, TokenPair};
pub use feed::{BillPage, CarbonPage, FeedQuery, OfferPage, Tombstone};
pub use learn::{AttemptAnswer, AttemptPage, AttemptResult, RecordedAttempt};
pub use model::{
    Bill, BillStatus, CarbonActivity, CarbonBasis, CarbonConfidence, CarbonEntry, CarbonFigure,
    CarbonTrace, Certification, FactorValue, GreenCategory, HeldInstalment, InstalmentPlan, Money,
    Offer, PlanKind, SecondHandGoods, Subsidy, SubsidyPayer, TransitMode,
};
pub use openapi::Health;
pub use problem::{Problem, ProblemCode};
pub use writes::{SettingPayload, WriteAck, WriteRequest, WriteStatus};

/// The media type of error bodies (RFC 9457).
pub const PROBLEM_JSON: &str = "application/problem+json";

/// The largest page a client may ask for; larger `limit` values are clamped to it.
pub const MAX_PAGE_LIMIT: u32 = 1000;

/// The page size used when a request names none.
pub const DEFAULT_PAGE_LIMIT: u32 = 200;

/// The largest request body the server reads, in bytes; writes and sign-ins are small.
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;

/// The header on every feed response that names the store the data comes from (the
/// `server_id` of `/v1/health`), so a client can check it without asking `/v1/health` first.
pub const STORE_ID_HEADER: &str = "green-store-id";
