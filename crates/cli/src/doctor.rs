//! `greenmile doctor`: the checks support staff ask for, printed for people or as JSON.

use std::path::Path;

use greenmile_core::doctor::{self, Diagnostics, DoctorOptions};
use greenmile_core::vault::{Backend, Vault};

use crate::outln;
use crate::output;

/// Tells `main` the checks found a problem and the report already says which.
#[derive(Debug)]
pub struct Unhealthy;

impl std::fmt::Display for Unhealthy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a check failed")
    }
}

impl std::error::Error for Unhealthy {}

impl Unhealthy {
    /// Whether `error` is this one.
    pub fn is(error: &anyhow::Error) -> bool {
        error.downcast_ref::<Unhealthy>().is_some()
    }
}

/// Runs the checks on `data_dir`; `offline` leaves the server alone.
pub async fn run(json: bool, data_dir: &Path, offline: bool) -> anyhow::Result<()> {
    // A bad GREENMILE_TOKEN_STORE is itself a finding, reported as the keychain check; like a
    // missing keychain, it fails only folders that need one, which the demo's does not.
    let (vault, store_error) = match Backend::from_env() {
        Ok(backend) => (Some(Vault::new(backend)), None),
        Err(error) => (None, Some(error.to_string())),
    };
    let options = DoctorOptions {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        check_server: !offline,
        vault,
    };
    let mut report = doctor::diagnose(data_dir, &options).await;
    if let Some(error) = store_error {
        report.keychain.error = Some(error);
        report.healthy &= report.demo;
    }
    if json {
        output::json(&report)?;
    } else {
        print_text(&report, offline)?;
    }
    if report.healthy { Ok(()) } else { Err(Unhealthy.into()) }
}

fn mark(ok: bool) -> &'static str {
    if ok { "ok  " } else { "FAIL" }
}

fn print_text(report: &Diagnostics, offline: bool) -> anyhow::Result<()> {
    outln!("GreenMile {} on {}", report.version, report.platform);
    outln!("data folder   {}{}", report.data_dir, if report.demo { " (demo)" } else { "" });
    let cache = &report.cache;
    if cache.exists {
        outln!(
            "[{}] cache     {} ({} bytes, schema {}): integrity {}",
            mark(cache.integrity == "ok"),
            cache.path,
            cache.size_bytes,
            cache.schema_version.map_or_else(|| "unknown".to_owned(), |v| v.to_string()),
            cache.integrity
        );
        outln!(
            "              {} bills, {} offers, {} imported bills",
            cache.bills,
            cache.offers,
            cache.imported_bills
        );
    } else if cache.integrity != "ok" {
        outln!("[FAIL] cache     {}: {}", cache.path, cache.integrity);
    } else {
        outln!(
            "[ok  ] cache     none yet at {} (run `greenmile demo` or `greenmile sync`)",
            cache.path
        );
    }
    if report.last_sync.is_empty() {
        outln!("       last sync never");
    }
    for synced in &report.last_sync {
        outln!("       last sync {:<7} {}", synced.collection, synced.synced_at);
    }
    match &report.server {
        Some(server) if offline => {
            outln!("[--  ] server    {} (not checked: --offline)", server.base_url)
        }
        Some(server) if report.demo => outln!(
            "[--  ] server    demo at {}: {}",
            server.base_url,
            server.error.as_deref().unwrap_or_default()
        ),
        Some(server) => {
            let ok = server.reachable && server.same_server;
            let detail = match (&server.error, server.latency_ms) {
                (Some(error), _) => error.clone(),
                (None, Some(ms)) => format!("answered in {ms} ms"),
                (None, None) => String::new(),
            };
            outln!("[{}] server    {}: {detail}", mark(ok), server.base_url);
        }
        None => outln!("[--  ] server    none yet (the cache never synced)"),
    }
    let keychain = &report.keychain;
    match &keychain.error {
        // The demo keeps its sign-in in memory; a keychain matters once an account signs in.
        Some(error) if report.demo && !keychain.available => outln!(
            "[--  ] keychain  {}: {error} (not needed by the demo; needed to sign in)",
            keychain.store
        ),
        Some(error) => {
            outln!("[{}] keychain  {}: {error}", mark(keychain.available), keychain.store)
        }
        None => outln!("[{}] keychain  {}", mark(keychain.available), keychain.store),
    }
    outln!(
        "{}",
        if report.healthy { "All checks passed." } else { "Some checks failed (see FAIL above)." }
    );
    Ok(())
}
