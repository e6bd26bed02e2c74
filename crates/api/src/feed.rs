//! Change-feed pages: how a client reads a collection from a cursor onwards.
//!
//! A client starts with no cursor, applies each page (upserts, then tombstones) and stores
//! `next_cursor` with it in one transaction; it asks again while `has_more` is true. A page
//! holds each id at most once, in its latest state, so the order inside a page does not matter.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::model::{Bill, CarbonEntry, Offer};

/// The query of every feed request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// Where to continue: the `next_cursor` of the last page applied; absent for the start.
    pub cursor: Option<String>,
    /// How many changes at most (default 200); values over 1000 are served as 1000.
    #[param(minimum = 1)]
    pub limit: Option<u32>,
}

/// An item deleted on the server since the cursor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Tombstone {
    /// The id of the deleted item.
    pub id: String,
    /// The version the deletion was made at.
    pub version: i64,
}

/// A page of the bills feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BillPage {
    /// Bills created or changed since the cursor, in their latest state.
    pub upserts: Vec<Bill>,
    /// Bills deleted since the cursor.
    pub tombstones: Vec<Tombstone>,
    /// The cursor to send next; store it with the page.
    pub next_cursor: String,
    /// Whether more changes wait after this page.
    pub has_more: bool,
}

/// A page of the offers feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OfferPage {
    /// Offers created or changed since the cursor, in their latest state.
    pub upserts: Vec<Offer>,
    /// Offers withdrawn since the cursor.
    pub tombstones: Vec<Tombstone>,
    /// The cursor to send next; store it with the page.
    pub next_cursor: String,
    /// Whether more changes wait after this page.
    pub has_more: bool,
}

/// A page of the carbon ledger feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CarbonPage {
    /// Ledger entries created or changed since the cursor, in their latest state.
    pub upserts: Vec<CarbonEntry>,
    /// Ledger entries removed since the cursor.
    pub tombstones: Vec<Tombstone>,
    /// The cursor to send next; store it with the page.
    pub next_cursor: String,
    /// Whether more changes wait after this page.
    pub has_more: bool,
}
