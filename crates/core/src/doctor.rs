//! Diagnostics: what support staff need to see when something is wrong, and nothing personal.
//!
//! [`diagnose`] looks at a data folder without changing it: it never creates a cache that is not
//! there, opens an existing one read-only, checks its integrity, reads when each collection was
//! last synced, asks the server it syncs from whether it answers, and checks that the keychain
//! works. The report carries versions, sizes, counts, times and addresses; never a bill, a
//! merchant, an amount or a token.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

use serde::Serialize;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Row, SqlitePool};
use ts_rs::TS;

use crate::paths::{CACHE_FILE, DEMO_DIR};
use crate::vault::Vault;

/// How long the server check may take before it counts as unreachable.
const SERVER_TIMEOUT: Duration = Duration::from_secs(5);

/// Everything `greenmile doctor` and the app's Diagnostics page show.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Diagnostics {
    /// The app's version.
    pub version: String,
    /// The operating system and processor, such as `linux x86_64`.
    pub platform: String,
    /// The data folder.
    pub data_dir: String,
    /// Whether this data folder is a demo's: no account is signed in to it and its server is
    /// the one the app starts on loopback. The demo needs no keychain.
    pub demo: bool,
    /// The cache database.
    pub cache: CacheCheck,
    /// When each collection last had a page applied, oldest first.
    pub last_sync: Vec<CollectionSync>,
    /// The server the cache syncs from, when it ever synced.
    pub server: Option<ServerCheck>,
    /// Whether tokens can be kept.
    pub keychain: KeychainCheck,
    /// True when every check passed.
    pub healthy: bool,
}

/// The cache file's state.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CacheCheck {
    /// The database file.
    pub path: String,
    /// Whether the file exists (a fresh install has none until the first sync or import).
    pub exists: bool,
    /// The database with its write-ahead log and shared-memory files, in bytes.
    #[ts(type = "number")]
    pub size_bytes: u64,
    /// `ok`, or what SQLite's integrity check reported.
    pub integrity: String,
    /// The newest schema migration applied.
    #[ts(type = "number | null")]
    pub schema_version: Option<i64>,
    /// Bills from the Green API in the cache.
    #[ts(type = "number")]
    pub bills: i64,
    /// Offers in the cache.
    #[ts(type = "number")]
    pub offers: i64,
    /// Bills imported from payment exports.
    #[ts(type = "number")]
    pub imported_bills: i64,
}

/// When one collection was last synced.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CollectionSync {
    /// `bills`, `offers` or `carbon`.
    pub collection: String,
    /// RFC 3339, UTC.
    pub synced_at: String,
}

/// Whether the Green API answers.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ServerCheck {
    /// The address the cache syncs from.
    pub base_url: String,
    /// Whether its health endpoint answered as the contract says.
    pub reachable: bool,
    /// Whether it is the same server the cache was filled from.
    pub same_server: bool,
    /// How long it took to answer, in milliseconds.
    #[ts(type = "number | null")]
    pub latency_ms: Option<u64>,
    /// What went wrong, when it did.
    pub error: Option<String>,
}

/// Whether the keychain works.
#[derive(Debug, Clone, Serialize, TS)]
pub struct KeychainCheck {
    /// Which store was tried.
    pub store: String,
    /// Whether an entry could be written, read back and removed.
    pub available: bool,
    /// What went wrong, when it did.
    pub error: Option<String>,
}

/// What to check.
#[derive(Debug, Clone)]
pub struct DoctorOptions {
    /// The app's version to report.
    pub version: String,
    /// Whether to ask the server (off for a strictly offline look).
    pub check_server: bool,
    /// The vault to probe; `None` skips the keychain check.
    pub vault: Option<Vault>,
}

/// Looks at `data_dir` and reports.
pub async fn diagnose(data_dir: &Path, options: &DoctorOptions) -> Diagnostics {
    let path = data_dir.join(CACHE_FILE);
    let (cache, source, last_sync) = inspect_cache(&path).await;

    // Signing in leaves the demo's store behind, so the folder's account binding decides:
    // bound (even to an unreadable account.json) is never the demo.
    let bound = !matches!(crate::account::current(data_dir), Ok(None));
    let demo = !bound
        && data_dir.join(DEMO_DIR).join("green-api.sqlite").exists()
        && source.as_ref().is_none_or(|(_, url)| is_loopback(url));
    let server = match (source, options.check_server && !demo) {
        (Some((server_id, base_url)), true) => Some(check_server(&server_id, &base_url).await),
        (Some((_, base_url)), false) => Some(ServerCheck {
            base_url,
            reachable: false,
            same_server: false,
            latency_ms: None,
            error: Some(if demo {
                "not checked: the demo server runs only while the app or `greenmile demo` does"
                    .into()
            } else {
                "not checked (offline)".into()
            }),
        }),
        (None, _) => None,
    };

    let keychain = match &options.vault {
        Some(vault) => {
            let result = vault.probe().await;
            KeychainCheck {
                store: vault.backend().describe().to_owned(),
                available: result.is_ok(),
                error: result.err().map(|e| e.to_string()),
            }
        }
        None => KeychainCheck {
            store: "none".into(),
            available: false,
            error: Some("not checked".into()),
        },
    };

    // The demo signs in with tokens held in memory only, so a missing keychain is a note
    // there, not a failure.
    let healthy = cache.integrity == "ok"
        && server
            .as_ref()
            .is_none_or(|s| !options.check_server || demo || (s.reachable && s.same_server))
        && (options.vault.is_none() || keychain.available || demo);

    Diagnostics {
        version: options.version.clone(),
        platform: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        data_dir: data_dir.display().to_string(),
        demo,
        cache,
        last_sync,
        server,
        keychain,
        healthy,
    }
}

type Source = Option<(String, String)>;

async fn inspect_cache(path: &Path) -> (CacheCheck, Source, Vec<CollectionSync>) {
    let mut check = CacheCheck {
        path: path.display().to_string(),
        exists: path.exists(),
        size_bytes: [path.to_owned(), with_suffix(path, "-wal"), with_suffix(path, "-shm")]
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum(),
        integrity: "ok".into(),
        schema_version: None,
        bills: 0,
        offers: 0,
        imported_bills: 0,
    };
    if path.parent().is_some_and(|dir| dir.exists() && !dir.is_dir()) {
        check.exists = false;
        check.integrity = "the data folder is a file, not a folder".into();
        return (check, None, Vec::new());
    }
    if !check.exists {
        return (check, None, Vec::new());
    }
    let pool = match open_read_only(path).await {
        Ok(pool) => pool,
        Err(error) => {
            check.integrity = format!("cannot open: {error}");
            return (check, None, Vec::new());
        }
    };
    check.integrity = match integrity(&pool).await {
        Ok(text) => text,
        Err(error) => format!("cannot check: {error}"),
    };
    check.schema_version = scalar(&pool, "SELECT MAX(version) FROM _sqlx_migrations").await;
    let known = crate::db::schema_version();
    if check.integrity == "ok" && check.schema_version.is_some_and(|v| v > known) {
        check.integrity = format!(
            "made by a newer GreenMile (schema {}; this version knows up to {known}): update \
             the app, and do not delete the file, it holds data only this device has",
            check.schema_version.unwrap_or_default()
        );
    }
    check.bills = scalar(&pool, "SELECT COUNT(*) FROM bills").await.unwrap_or(0);
    check.offers = scalar(&pool, "SELECT COUNT(*) FROM offers").await.unwrap_or(0);
    check.imported_bills = scalar(&pool, "SELECT COUNT(*) FROM imported_bills").await.unwrap_or(0);

    let source: Source = sqlx::query_as("SELECT server_id, base_url FROM sync_source WHERE id = 1")
        .fetch_optional(&pool)
        .await
        .ok()
        .flatten();
    let last_sync = sqlx::query(
        "SELECT collection, synced_at FROM sync_cursors ORDER BY synced_at, collection",
    )
    .fetch_all(&pool)
    .await
    .map(|rows| {
        rows.iter()
            .map(|row| CollectionSync {
                collection: row.get("collection"),
                synced_at: row.get("synced_at"),
            })
            .collect()
    })
    .unwrap_or_default();
    pool.close().await;
    (check, source, last_sync)
}

fn is_loopback(base_url: &str) -> bool {
    url::Url::parse(base_url).ok().and_then(|u| u.host_str().map(str::to_owned)).is_some_and(
        |host| {
            host == "localhost"
                || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
                || host
                    .trim_matches(['[', ']'])
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        },
    )
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A read-only connection: the doctor must not migrate, create or repair anything.
async fn open_read_only(path: &Path) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::from_str("sqlite:")?
        .filename(path)
        .read_only(true)
        .busy_timeout(Duration::from_secs(2));
    crate::db::pool_options(1).connect_with(options).await
}

/// `ok`, or the first lines of what `PRAGMA integrity_check` found.
async fn integrity(pool: &SqlitePool) -> Result<String, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check(5)").fetch_all(pool).await?;
    let lines: Vec<String> = rows.into_iter().map(|(line,)| line).collect();
    Ok(lines.join("; "))
}

async fn scalar(pool: &SqlitePool, sql: &str) -> Option<i64> {
    sqlx::query_scalar::<_, Option<i64>>(sql).fetch_one(pool).await.ok().flatten()
}

async fn check_server(server_id: &str, base_url: &str) -> ServerCheck {
    let mut check = ServerCheck {
        base_url: base_url.to_owned(),
        reachable: false,
        same_server: false,
        latency_ms: None,
        error: None,
    };
    let api = match crate::GreenApi::new(base_url) {
        Ok(api) => api,
        Err(error) => {
            check.error = Some(error.to_string());
            return check;
        }
    };
    let started = Instant::now();
    match tokio::time::timeout(SERVER_TIMEOUT, api.health()).await {
        Ok(Ok(health)) => {
            check.reachable = true;
            check.same_server = health.server_id == server_id;
            check.latency_ms =
                Some(u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
            if !check.same_server {
                check.error = Some(format!(
                    "this address now answers as another server ({}); the cache holds {server_id}'s data",
                    health.server_id
                ));
            }
        }
        Ok(Err(error)) => check.error = Some(error.to_string()),
        Err(_) => check.error = Some(format!("no answer within {} s", SERVER_TIMEOUT.as_secs())),
    }
    check
}
