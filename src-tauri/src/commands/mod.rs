//! The commands the UI may call, one module per domain. Each converts its arguments, calls the
//! core once and returns its value or an [`greenmile_core::AppError`] (`{code, message}`).

pub mod account;
pub mod bills;
pub mod carbon;
pub mod dashboard;
pub mod demo;
pub mod diagnostics;
pub mod imports;
pub mod learn;
pub mod notifications;
pub mod offers;
pub mod startup;
pub mod status;
pub mod sync;
