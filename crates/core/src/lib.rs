//! GreenMile's core: everything the app does that is not a window.
//!
//! The read path runs one way: the Green API ([`client`]) is read page by page by the sync
//! engine ([`sync`]) into the SQLite cache ([`db`]), and the screens' queries ([`dashboard`],
//! [`db::bills`], [`db::offers`]) read only the cache, so everything works offline. Carbon
//! figures come from the versioned methods in [`carbon`]; instalment arithmetic (schedules,
//! true annualised rates, comparison) is in [`instalment`], and amounts typed by people are
//! read exactly by [`money`]. The education channel (lessons, quizzes, streaks, badges) is
//! [`learn`]; local writes wait for the server in the [`outbox`]. Errors leave the core as
//! [`CoreError`], whose [`ErrorCode`] is the stable value the CLI and the desktop shell show to
//! people.
//!
//! The core knows nothing of Tauri or of terminals: time, the time zone and the data folder are
//! passed in.

pub mod account;
pub mod auth;
pub mod carbon;
pub mod client;
pub mod dashboard;
pub mod db;
pub mod doctor;
pub mod error;
pub mod export;
pub mod import;
pub mod instalment;
pub mod learn;
pub mod money;
pub mod outbox;
pub mod paths;
pub mod retry;
pub mod settings;
pub mod sync;
pub mod vault;
pub mod zone;

pub use client::GreenApi;
pub use db::Cache;
pub use error::{AppError, CoreError, ErrorCode};
pub use sync::{CollectionReport, SyncPhase, SyncProgress, SyncReport};
