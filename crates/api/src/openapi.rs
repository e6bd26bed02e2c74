//! The OpenAPI 3.1 document of the Green API, generated from the wire types.
//!
//! The functions in [`paths`] only describe routes; the reference server implements them. The
//! rendered document is committed as `crates/api/openapi.json` and served at
//! `/v1/openapi.json`; `tests/openapi.rs` fails when the committed file and this code disagree.

use utoipa::OpenApi;

use crate::auth::{LoginRequest, Me, RefreshRequest, TokenPair};
use crate::feed::{BillPage, CarbonPage, OfferPage, Tombstone};
use crate::learn::{AttemptAnswer, AttemptPage, AttemptResult, RecordedAttempt};
use crate::model::{
    Bill, BillStatus, CarbonActivity, CarbonBasis, CarbonConfidence, CarbonEntry, CarbonFigure,
    CarbonTrace, Certification, FactorValue, GreenCategory, HeldInstalment, InstalmentPlan, Money,
    Offer, PlanKind, SecondHandGoods, Subsidy, SubsidyPayer, TransitMode,
};
use crate::problem::{Problem, ProblemCode};
use crate::writes::{SettingPayload, WriteAck, WriteRequest, WriteStatus};

/// What `GET /v1/health` answers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Health {
    /// Always `ok` when the server answers at all.
    pub status: String,
    /// The contract version the server speaks, `v1`.
    pub api: String,
    /// Whether this server holds the seeded demo account.
    pub demo: bool,
    /// A stable id of this server's data; a client keeps data from one server per cache, and
    /// cursors from one server mean nothing to another.
    pub server_id: String,
}

/// Route descriptions; the bodies are empty on purpose, the server holds the handlers.
pub mod paths {
    #![allow(dead_code)]

    use crate::auth::{LoginRequest, Me, RefreshRequest, TokenPair};
    use crate::feed::{BillPage, CarbonPage, FeedQuery, OfferPage};
    use crate::learn::AttemptPage;
    use crate::problem::Problem;
    use crate::writes::{WriteAck, WriteRequest};

    use super::Health;

    /// Signs in: an e-mail address and password for a pair of tokens. Failed attempts are
    /// limited per account and per client address; past the limit the answer is 429 with
    /// `Retry-After`.
    #[utoipa::path(post, path = "/v1/auth/login", tag = "auth", request_body = LoginRequest,
        responses(
            (status = 200, description = "Signed in", body = TokenPair),
            (status = 401, description = "Wrong e-mail address or password", body = Problem,
                content_type = "application/problem+json"),
            (status = 429, description = "Too many failed attempts; retry after Retry-After",
                body = Problem, content_type = "application/problem+json"),
        ))]
    pub fn login() {}

    /// Trades a refresh token, once, for a new pair. A spent refresh token presented again
    /// ends the whole sign-in.
    #[utoipa::path(post, path = "/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
        responses(
            (status = 200, description = "The next pair", body = TokenPair),
            (status = 401, description = "Unknown, expired, revoked or spent", body = Problem,
                content_type = "application/problem+json"),
        ))]
    pub fn refresh() {}

    /// Ends the sign-in the bearer token belongs to: its access and refresh tokens stop working.
    #[utoipa::path(post, path = "/v1/auth/logout", tag = "auth",
        security(("bearer" = [])),
        responses(
            (status = 204, description = "Signed out"),
            (status = 401, description = "No valid bearer token", body = Problem,
                content_type = "application/problem+json"),
        ))]
    pub fn logout() {}

    /// The signed-in account.
    #[utoipa::path(get, path = "/v1/me", tag = "auth",
        security(("bearer" = [])),
        responses(
            (status = 200, description = "The account the bearer token belongs to", body = Me),
            (status = 401, description = "No valid bearer token", body = Problem,
                content_type = "application/problem+json"),
        ))]
    pub fn me() {}

    /// Headers a feed request may carry.
    #[derive(Debug, utoipa::IntoParams)]
    #[into_params(parameter_in = Header)]
    pub struct FeedHeaders {
        /// The `ETag` of the last page read to the end of the feed: the answer is `304` while
        /// the feed has not changed since.
        #[param(rename = "If-None-Match")]
        pub if_none_match: Option<String>,
    }

    /// Headers of a write.
    #[derive(Debug, utoipa::IntoParams)]
    #[into_params(parameter_in = Header)]
    pub struct WriteHeaders {
        /// A key the client picks for this write (at most 128 visible ASCII characters) and
        /// sends again with every retry of it.
        #[param(rename = "Idempotency-Key")]
        pub idempotency_key: String,
    }

    /// A local write, applied once per idempotency key.
    #[utoipa::path(post, path = "/v1/writes", tag = "writes", params(WriteHeaders),
        security(("bearer" = [])),
        request_body = WriteRequest,
        responses(
            (status = 200, description = "Applied now, or a duplicate of a write applied before",
                body = WriteAck),
            (status = 400, description = "No usable Idempotency-Key", body = Problem,
                content_type = "application/problem+json"),
            (status = 409, description = "The key was used for another body", body = Problem,
                content_type = "application/problem+json"),
            (status = 422, description = "Unknown kind or invalid payload", body = Problem,
                content_type = "application/problem+json"),
        ))]
    pub fn writes() {}

    /// Whether the server is up and which contract it speaks.
    #[utoipa::path(get, path = "/v1/health", tag = "meta",
        responses((status = 200, description = "The server is up", body = Health)))]
    pub fn health() {}

    /// The bills feed: bills changed or deleted since the cursor.
    #[utoipa::path(get, path = "/v1/bills", tag = "feeds", params(FeedQuery, FeedHeaders),
        security(("bearer" = [])),
        responses(
            (status = 200, description = "A page of changes", body = BillPage, headers(
                ("ETag" = String, description = "The feed's state; send it back as If-None-Match"),
                ("Green-Store-Id" = String, description = "The id of the store the data is from"),
            )),
            (status = 304, description = "Nothing changed since the ETag sent", headers(
                ("ETag" = String, description = "The feed's state, unchanged"),
                ("Green-Store-Id" = String, description = "The id of the store the data is from"),
            )),
            (status = 400, description = "Bad cursor or limit", body = Problem,
                content_type = "application/problem+json"),
        ))]
    pub fn bills() {}

    /// The offers feed: instalment offers changed or withdrawn since the cursor.
    #[utoipa::path(get, path = "/v1/offers", tag = "feeds", params(FeedQuery, FeedHeaders),
        security(("bearer" = [])),
        responses(
            (status = 200, description = "A page of changes", body = OfferPage, headers(
                ("ETag" = String, description = "The feed's state; send it back as If-None-Match"),
                ("Green-Store-Id" = String, description = "The id of the store the data is from"),
            )),
            (status = 304, description = "Nothing changed since the ETag sent", headers(
                ("ETag" = String, description = "The feed's state, unchanged"),
                ("Green-Store-Id" = String, description = "The id of the store the data is from"),
            )),
            (status = 400, description = "Bad cursor or limit", body = Problem,
                content_type = "application/problem+json"),
        ))]
    pub fn offers() {}

    /// The carbon ledger feed: entries changed or removed since the cursor.
    #[utoipa::path(get, path = "/v1/carbon", tag = "feeds", params(FeedQuery, FeedHeaders),
        security(("bearer" = [])),
        responses(
            (status = 200, description = "A page of changes", body = CarbonPage, headers(
                ("ETag" = String, description = "The feed's state; send it back as If-None-Match"),
                ("Green-Store-Id" = String, description = "The id of the store the data is from"),
            )),
            (status = 304, description = "Nothing changed since the ETag sent", headers(
                ("ETag" = String, description = "The feed's state, unchanged"),
                ("Green-Store-Id" = String, description = "The id of the store the data is from"),
            )),
            (status = 400, description = "Bad cursor or limit", body = Problem,
                content_type = "application/problem+json"),
        ))]
    pub fn carbon() {}

    /// The education catalogue: lessons with their quizzes, and badges, in zh-CN and en. The
    /// ETag is the catalogue's version; send it as If-None-Match to get 304 when unchanged.
    #[utoipa::path(get, path = "/v1/learn/catalog", tag = "learn",
        responses(
            (status = 200, description = "The catalogue, with its version as the ETag",
                content_type = "application/json"),
            (status = 304, description = "The catalogue is the one the client holds"),
        ))]
    pub fn learn_catalog() {}

    /// The quiz attempts feed: the signed-in learner's attempts recorded since the cursor, from
    /// every device, each scored by the server. Attempts are never changed or deleted.
    #[utoipa::path(get, path = "/v1/learn/attempts", tag = "learn", params(FeedQuery, FeedHeaders),
        security(("bearer" = [])),
        responses(
            (status = 200, description = "A page of attempts", body = AttemptPage, headers(
                ("ETag" = String, description = "The feed's state; send it back as If-None-Match"),
                ("Green-Store-Id" = String, description = "The id of the store the data is from"),
            )),
            (status = 304, description = "Nothing changed since the ETag sent", headers(
                ("ETag" = String, description = "The feed's state, unchanged"),
                ("Green-Store-Id" = String, description = "The id of the store the data is from"),
            )),
            (status = 400, description = "Bad cursor or limit", body = Problem,
                content_type = "application/problem+json"),
        ))]
    pub fn learn_attempts() {}

    /// This document.
    #[utoipa::path(get, path = "/v1/openapi.json", tag = "meta",
        responses((status = 200, description = "The OpenAPI document", content_type = "application/json")))]
    pub fn openapi() {}
}

/// The OpenAPI description of the Green API v1.
#[derive(Debug, OpenApi)]
#[openapi(
    modifiers(&BearerScheme),
    info(
        title = "Green API",
        version = "1.0.0",
        description = "Green bills, green instalment offers, carbon savings and quiz attempts as cursor-paged change feeds.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    paths(
        paths::login,
        paths::refresh,
        paths::logout,
        paths::me,
        paths::health,
        paths::bills,
        paths::offers,
        paths::carbon,
        paths::learn_catalog,
        paths::learn_attempts,
        paths::writes,
        paths::openapi
    ),
    components(schemas(
        Bill, BillStatus, HeldInstalment, CarbonEntry, CarbonFigure, CarbonTrace, CarbonActivity,
        TransitMode, SecondHandGoods, FactorValue, CarbonBasis, CarbonConfidence, Certification,
        GreenCategory, InstalmentPlan, Money, Offer, PlanKind, Subsidy, SubsidyPayer, BillPage,
        OfferPage, CarbonPage, Tombstone, Problem, ProblemCode, Health, WriteRequest, WriteAck,
        WriteStatus, SettingPayload, AttemptPage, RecordedAttempt, AttemptAnswer, AttemptResult,
        WriteStatus, SettingPayload, LoginRequest, RefreshRequest, TokenPair, Me,
    )),
    tags(
        (name = "auth", description = "Accounts: sign in, refresh, sign out. Every other route \
            but health, the catalogue and this document needs `Authorization: Bearer` with an \
            access token and answers with that account's data only"),
        (name = "feeds", description = "Change feeds of the user's collections"),
        (name = "learn", description = "The green-consumption education channel"),
        (name = "writes", description = "Local writes delivered once per idempotency key"),
        (name = "meta", description = "About the server itself"),
    ),
)]
pub struct ApiDoc;

/// Declares the `bearer` scheme the guarded routes name: an access token from sign-in.
#[derive(Debug)]
struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some("The access token of POST /v1/auth/login or /v1/auth/refresh"))
            .build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// The document as pretty JSON with a trailing newline, exactly as committed.
pub fn document_json() -> String {
    let doc = ApiDoc::openapi();
    let mut text = doc.to_pretty_json().unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    text.push('\n');
    text
}
