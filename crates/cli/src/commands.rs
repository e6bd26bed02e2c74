//! The subcommands: each opens what it needs, calls the core, and prints.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, anyhow};
use chrono::Utc;
use greenmile_core::dashboard::{self, Summary};
use greenmile_core::db::offers;
use greenmile_core::paths::{CACHE_FILE, DEMO_DIR};
use greenmile_core::retry::RetryPolicy;
use greenmile_core::sync::{CatalogSync, SyncOptions};
use greenmile_core::{Cache, CoreError, GreenApi, SyncPhase, SyncProgress, SyncReport, sync};
use greenmile_server::demo::Persona;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::Cli;
use crate::outln;
use crate::output;

/// Runs the command `cli` names.
pub async fn run(cli: &Cli) -> anyhow::Result<()> {
    let data_dir = cli.data_dir.clone().or_else(greenmile_core::paths::default_data_dir);
    // The folder's language and zone are read without creating anything there.
    if let Some(dir) = &data_dir {
        crate::locale::settle(dir).await;
        crate::zone::settle(dir).await;
    }

    // The calculator reads no data, so it works without a data folder (in its zone when
    // there is one: the first payment is a month from today).
    if let crate::Command::Offers { action: Some(crate::OffersCommand::Calc(args)) } = &cli.command
    {
        return crate::calc::run(cli.json, args, crate::zone::today());
    }

    let data_dir =
        data_dir.ok_or_else(|| anyhow!("no home folder to keep data in; pass --data-dir"))?;

    match &cli.command {
        crate::Command::Demo { persona, reset } => {
            let persona = match persona {
                Some(name) => Some(Persona::parse(name).ok_or_else(|| {
                    let names: Vec<_> = Persona::ALL.iter().map(|p| p.as_str()).collect();
                    CoreError::InvalidInput(format!(
                        "no persona {name:?}; use one of {}",
                        names.join(", ")
                    ))
                })?),
                None => None,
            };
            demo(cli.json, data_dir, persona, *reset).await
        }
        crate::Command::Login { server, email, password_stdin } => {
            crate::account::login(cli.json, &data_dir, server, email, *password_stdin).await
        }
        crate::Command::Logout => crate::account::logout(cli.json, &data_dir).await,
        crate::Command::Whoami => crate::account::whoami(cli.json, &data_dir).await,
        crate::Command::Sync { server, page_limit, fast_retries } => {
            let retry = if *fast_retries { RetryPolicy::fast() } else { RetryPolicy::default() };
            let api = crate::account::api(&data_dir, server.as_deref(), retry).await?;
            let options = SyncOptions { page_limit: *page_limit };
            sync_from(cli.json, data_dir, &api, options).await
        }
        crate::Command::Settings { action } => {
            crate::settings::run(cli.json, &open_cache(&data_dir).await?, action).await
        }
        crate::Command::Bills(args) => {
            crate::bills::run(cli.json, &open_cache(&data_dir).await?, args).await
        }
        crate::Command::Carbon { explain } => {
            let cache = open_cache(&data_dir).await?;
            match explain {
                Some(id) => crate::carbon::explain(cli.json, &cache, id).await,
                None => crate::carbon::report(cli.json, &cache).await,
            }
        }
        crate::Command::Offers { .. } => list_offers(cli.json, data_dir).await,
        crate::Command::Import { files } => {
            crate::import::run(cli.json, &open_cache(&data_dir).await?, files).await
        }
        crate::Command::Quiz { lang, action } => {
            let cache = open_cache(&data_dir).await?;
            crate::quiz::run(cli.json, lang.as_deref(), &cache, action).await
        }
        crate::Command::Doctor { offline } => {
            crate::doctor::run(cli.json, &data_dir, *offline).await
        }
        crate::Command::Summary => {
            let cache = open_cache(&data_dir).await?;
            print_summary(
                cli.json,
                &dashboard::summary(cache.pool(), crate::zone::today()).await?,
                None,
                cache.recovered(),
            )
        }
    }
}

/// Opens the cache, telling the user on stderr when it had to be rebuilt because the file
/// was damaged (with `--json` too, so stdout stays one JSON object).
async fn open_cache(data_dir: &std::path::Path) -> anyhow::Result<Cache> {
    let cache = Cache::open(&data_dir.join(CACHE_FILE)).await?;
    if let Some(r) = cache.recovered() {
        eprintln!(
            "notice (cache_recovered): the cache file was damaged ({}); it was moved to {} and \
             a new one made. {} local changes not yet on the server were kept{}. Data that \
             exists only here was copied where it could still be read: {}. Run \
             `greenmile sync` to fetch your synced data again.",
            r.reason,
            r.moved_to,
            r.outbox_rows,
            r.outbox_export.as_deref().map(|p| format!(" (copy in {p})")).unwrap_or_default(),
            r.salvaged.join("; "),
        );
    }
    Ok(cache)
}

/// `greenmile demo`: the embedded demo server, a sync from it, and the summary.
async fn demo(
    json: bool,
    data_dir: PathBuf,
    persona: Option<Persona>,
    reset: bool,
) -> anyhow::Result<()> {
    // A folder signed in to an account holds that account's data: the demo household must
    // never be mixed into it.
    if let Some(account) = greenmile_core::account::current(&data_dir)? {
        return Err(CoreError::InvalidInput(format!(
            "this data folder is signed in to {} as {}; run `greenmile logout` first, or pass \
             another --data-dir for the demo",
            account.server, account.email
        ))
        .into());
    }
    let store = data_dir.join(DEMO_DIR).join("green-api.sqlite");
    let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    let cache = open_cache(&data_dir).await?;
    // A folder that never synced from a server but holds imports, quizzes or settings is
    // someone's own: the demo household would be mixed into it, and a persona or reset would
    // wipe it.
    let own = cache.own_data().await?;
    if greenmile_core::db::source::get(cache.pool()).await?.is_none() && !own.is_empty() {
        return Err(CoreError::InvalidInput(format!(
            "this data folder holds your own data ({} imported bills, {} quiz attempts, {} \
             settings) and no demo; pass another --data-dir for the demo",
            own.imported_bills, own.quiz_attempts, own.settings
        ))
        .into());
    }
    let server = if persona.is_some() || reset {
        fresh_demo(&cache, &store, listen, persona).await?
    } else {
        greenmile_server::start_demo(&store, listen, Utc::now())
            .await
            .context("cannot start the demo server")?
    };

    // The demo user has no password: the process that runs the demo signs it in, and the
    // tokens live in this process's memory only.
    let tokens = server.demo_tokens().await.context("cannot sign in to the demo")?;
    let api = GreenApi::new(&server.url())?.with_session(tokens.into(), None);
    let synced = sync_with_progress(json, &cache, &api, SyncOptions::default()).await;
    server.stop().await;

    let report = synced?;
    print_summary(
        json,
        &dashboard::summary(cache.pool(), crate::zone::today()).await?,
        Some(&report),
        cache.recovered(),
    )
}

/// Seeds the demo store afresh with `persona` (or the one it holds) and empties the cache,
/// unless the cache holds another server's data, which is never wiped for a demo.
async fn fresh_demo(
    cache: &Cache,
    store_path: &std::path::Path,
    listen: SocketAddr,
    persona: Option<Persona>,
) -> anyhow::Result<greenmile_server::RunningServer> {
    if let Some(dir) = store_path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let store = greenmile_server::Store::open(store_path).await?;
    if let Some((synced_from, url)) = greenmile_core::db::source::get(cache.pool()).await?
        && synced_from != store.id().await?
    {
        return Err(CoreError::InvalidInput(format!(
            "this data folder holds data synced from {url}, not from the demo; use another \
             --data-dir for the demo"
        ))
        .into());
    }
    let persona = match persona {
        Some(persona) => persona,
        None => store.demo_persona().await?.unwrap_or_default(),
    };

    store.reset_demo(persona, Utc::now()).await?;
    cache.clear().await?;
    Ok(greenmile_server::start(listen, store).await?)
}

/// `greenmile sync --server URL`; the address was checked before the cache is touched.
async fn sync_from(
    json: bool,
    data_dir: PathBuf,
    api: &GreenApi,
    options: SyncOptions,
) -> anyhow::Result<()> {
    let cache = open_cache(&data_dir).await?;
    let report = sync_with_progress(json, &cache, api, options).await?;
    print_summary(
        json,
        &dashboard::summary(cache.pool(), crate::zone::today()).await?,
        Some(&report),
        cache.recovered(),
    )
}

async fn sync_with_progress(
    json: bool,
    cache: &Cache,
    api: &GreenApi,
    options: SyncOptions,
) -> anyhow::Result<SyncReport> {
    let bar = if json { ProgressBar::hidden() } else { ProgressBar::new_spinner() };
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    bar.set_message(format!("Syncing from {}", api.base_url()));

    let on_progress = |p: &SyncProgress| match p.phase {
        SyncPhase::Page => {
            let name = p.collection.as_deref().unwrap_or("");
            bar.set_message(format!(
                "Syncing {name}: {} changes ({} in all)",
                p.applied, p.total_applied
            ));
        }
        SyncPhase::Failed => bar.set_message("Sync failed"),
        SyncPhase::Started | SyncPhase::Finished => {}
    };
    let result = sync::sync_with(api, cache, options, &Utc::now, &on_progress).await;
    bar.finish_and_clear();
    Ok(result?)
}

#[derive(Serialize)]
struct SummaryJson<'a> {
    #[serde(flatten)]
    summary: &'a Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    sync: Option<&'a SyncReport>,
    /// What was done when the cache file was found damaged at opening.
    #[serde(skip_serializing_if = "Option::is_none")]
    cache_recovered: Option<&'a greenmile_core::db::health::Recovery>,
}

fn print_summary(
    json: bool,
    summary: &Summary,
    report: Option<&SyncReport>,
    cache_recovered: Option<&greenmile_core::db::health::Recovery>,
) -> anyhow::Result<()> {
    if json {
        return output::json(&SummaryJson { summary, sync: report, cache_recovered });
    }

    if let Some(report) = report {
        let o = &report.outbox;
        if o.applied + o.duplicates + o.refused > 0 {
            outln!(
                "Sent:   {} local changes ({} already on the server, {} refused)",
                o.applied + o.duplicates,
                o.duplicates,
                o.refused
            );
        }
        for c in &report.collections {
            let state = if c.not_modified {
                "up to date".to_owned()
            } else {
                format!("{} changed, {} deleted", c.upserted, c.deleted)
            };
            let quarantined = match c.quarantined {
                0 => String::new(),
                n => format!(", {n} refused as invalid (kept in quarantine)"),
            };
            outln!(
                "Synced: {:<13} {state}{quarantined} ({} requests, {} ms)",
                c.collection,
                c.requests,
                c.duration_ms
            );
        }
        match report.catalog {
            CatalogSync::Updated => outln!("Lessons: a newer catalogue arrived and is in use"),
            CatalogSync::Failed => {
                outln!("Lessons: the catalogue could not be refreshed; the one held still serves")
            }
            CatalogSync::Unchanged => {}
        }
    }
    if summary.imported_bills > 0 {
        outln!(
            "Bills:           {} ({} imported from files)",
            summary.bills,
            summary.imported_bills
        );
    } else {
        outln!("Bills:           {}", summary.bills);
    }
    outln!("Offers:          {}", summary.offers);
    for (currency, minor) in &summary.green_spend {
        outln!("Green spend:     {}", output::money(*minor, currency));
    }
    outln!("Carbon saved:    {}", output::grams(summary.carbon_saved_g));
    if summary.carbon_unknown_bills > 0 {
        outln!(
            "                 (not counted: {} bills whose carbon no method can tell)",
            summary.carbon_unknown_bills
        );
    }
    if let Some(next) = &summary.next_payment {
        outln!(
            "Next instalment: {} due {} ({} of {}): {}",
            output::money(next.amount.minor, &next.amount.currency),
            next.due,
            next.number,
            next.months,
            next.item
        );
    }
    match summary.last_synced_at {
        Some(at) => {
            outln!("Last synced:     {}", crate::zone::date_time(at))
        }
        None => outln!("Last synced:     never (run `greenmile demo` or `greenmile sync`)"),
    }
    Ok(())
}

async fn list_offers(json: bool, data_dir: PathBuf) -> anyhow::Result<()> {
    let cache = open_cache(&data_dir).await?;
    let rows = offers::list(cache.pool(), Utc::now()).await?;
    if json {
        return output::json(&rows);
    }

    let now = Utc::now();
    for o in &rows {
        let until = crate::zone::date(o.valid_until);
        let validity =
            if o.valid_until < now { format!("EXPIRED {until}") } else { format!("until {until}") };
        outln!(
            "{}  {} — {}  {}  ({validity})",
            o.id,
            o.product,
            o.merchant,
            output::money(o.price.minor, &o.price.currency)
        );
        for p in &o.plans {
            let ad = match p.naive_rate_pct {
                Some(naive) => format!(" (the ad implies {})", output::percent(naive)),
                None => String::new(),
            };
            outln!(
                "    {:>3} months  {:<27} {:>12}/month  cost {:>10}  APR {:>8}{ad}",
                p.months,
                output::plan_kind(p),
                output::money(p.monthly_payment.minor, &p.monthly_payment.currency),
                output::money(p.total_cost.minor, &p.total_cost.currency),
                output::percent(p.apr_pct),
            );
        }
    }
    outln!("{} offers", rows.len());
    Ok(())
}
