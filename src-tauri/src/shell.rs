//! The shell's state: where the data lives, which server to sync from, and the sync runs.
//!
//! With no server configured the app is in demo mode: it starts the reference server inside
//! this process on 127.0.0.1 (port 0) over a demo store in the data folder, and syncs from it
//! through the same HTTP path as production. A sync failure leaves the cache as it was, so the
//! UI keeps showing what it has and says why it could not refresh.
//!
//! One sync runs at a time: a sync asked for while one runs joins it and gets its result.
//! [`Shell::start`] syncs at launch and then on a schedule (every few minutes, sooner while
//! offline so a returning network is noticed), besides the syncs the user asks for. Each step
//! is sent to the UI as `sync://progress` and the overall state as `sync://state`.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::Utc;
use greenmile_core::account;
use greenmile_core::paths::{CACHE_FILE, DEMO_DIR};
use greenmile_core::vault::{Backend, Vault};
use greenmile_core::{AppError, Cache, CoreError, GreenApi, SyncProgress, SyncReport, sync};
use greenmile_server::RunningServer;
use greenmile_server::demo::Persona;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter};
use tokio::sync::watch;
use ts_rs::TS;

/// The event that carries [`SyncProgress`] to the UI.
pub const SYNC_EVENT: &str = "sync://progress";

/// The event that carries [`SyncState`] to the UI.
pub const SYNC_STATE_EVENT: &str = "sync://state";

/// How often the app syncs by itself (`GREENMILE_SYNC_MINUTES` overrides it).
const SYNC_EVERY: Duration = Duration::from_secs(15 * 60);

/// How soon it tries again while the server cannot be reached.
const OFFLINE_RETRY: Duration = Duration::from_secs(30);

/// Where syncing stands, as the status area shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SyncState {
    /// No sync runs; the cache is as fresh as the last one left it.
    Idle,
    /// A sync runs.
    Syncing {
        /// The collection it is on, once it said.
        collection: Option<String>,
        /// Changes applied so far.
        #[ts(type = "number")]
        applied: u64,
    },
    /// The last sync could not reach the server; saved data is shown.
    Offline {
        /// Why.
        error: AppError,
    },
    /// The last sync failed for another reason.
    Error {
        /// Why, with its code.
        error: AppError,
    },
}

/// Runs one piece of work at a time: a caller that comes while it runs waits for it and gets
/// a copy of its result instead of starting another.
#[derive(Debug)]
pub struct OneAtATime<T> {
    running: tokio::sync::Mutex<Option<watch::Receiver<Option<T>>>>,
}

impl<T> Default for OneAtATime<T> {
    fn default() -> Self {
        Self { running: tokio::sync::Mutex::new(None) }
    }
}

impl<T: Clone> OneAtATime<T> {
    /// The result of the work running now, or of `work` started now when none runs. Work
    /// that was cancelled (its future dropped) is not waited for: the next caller starts anew.
    pub async fn run<F: std::future::Future<Output = T>>(&self, work: impl FnOnce() -> F) -> T {
        let tx = loop {
            let mut running = self.running.lock().await;
            let Some(mut joined) = running.clone() else {
                let (tx, rx) = watch::channel(None);
                *running = Some(rx);
                break tx;
            };
            drop(running);
            if let Ok(outcome) = joined.wait_for(Option::is_some).await {
                if let Some(value) = outcome.clone() {
                    return value;
                }
            }
            // The running work was dropped before it finished; forget it and look again.
            let mut running = self.running.lock().await;
            if running.as_ref().is_some_and(|rx| rx.same_channel(&joined)) {
                *running = None;
            }
        };

        let value = work().await;
        let _ = tx.send(Some(value.clone()));
        *self.running.lock().await = None;
        value
    }
}

/// Whether the app shows the demo household or a real account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The embedded reference server with the seeded demo account.
    Demo,
    /// A Green API server the user configured.
    Connected,
}

/// What the status area shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppStatus {
    /// Demo or connected.
    pub mode: Mode,
    /// The server synced from, once known.
    pub server_url: Option<String>,
    /// The data folder.
    pub data_dir: String,
    /// When a page was last applied.
    pub last_synced_at: Option<String>,
    /// Whether a sync is running.
    pub syncing: bool,
    /// Why the last sync failed, if it did.
    pub last_error: Option<AppError>,
    /// The signed-in account's e-mail address; `None` in demo mode.
    pub account_email: Option<String>,
    /// Bills in the cache.
    #[ts(type = "number")]
    pub bill_count: i64,
    /// This app's version, from its package information (tauri.conf.json).
    pub version: String,
    /// Whose demo account is shown, in demo mode once the demo server has started.
    pub demo_persona: Option<Persona>,
}

/// The app's long-lived state, shared by every command.
#[derive(Debug)]
pub struct Shell {
    data_dir: PathBuf,
    configured_server: Option<String>,
    /// The open cache; emptied while an account change swaps the data folder's contents.
    cache: tokio::sync::Mutex<Option<Cache>>,
    server: tokio::sync::Mutex<Option<RunningServer>>,
    /// The client of the current mode; emptied when someone signs in or out.
    api: tokio::sync::Mutex<Option<GreenApi>>,
    /// Held by a sync and by a sign-in or sign-out, so neither runs under the other.
    account_change: tokio::sync::RwLock<()>,
    one_sync: OneAtATime<Result<SyncReport, AppError>>,
    announced: crate::commands::notifications::Announced,
    syncing: AtomicBool,
    last_error: Mutex<Option<AppError>>,
}

impl Shell {
    /// The shell for the data folder in `GREENMILE_DATA_DIR` (or the platform's app data
    /// folder), connected to `GREENMILE_SERVER` when it is set and in demo mode otherwise.
    pub fn from_environment() -> Result<Self, AppError> {
        let data_dir = match std::env::var_os("GREENMILE_DATA_DIR") {
            Some(dir) => PathBuf::from(dir),
            None => greenmile_core::paths::default_data_dir().ok_or_else(|| AppError {
                code: greenmile_core::ErrorCode::Cache,
                message: "there is no home folder to keep data in".to_owned(),
            })?,
        };
        // A server named in the environment must be the one signed in to.
        let configured_server = std::env::var("GREENMILE_SERVER").ok().filter(|s| !s.is_empty());

        Ok(Self {
            data_dir,
            configured_server,
            cache: tokio::sync::Mutex::new(None),
            server: tokio::sync::Mutex::new(None),
            api: tokio::sync::Mutex::new(None),
            account_change: tokio::sync::RwLock::new(()),
            one_sync: OneAtATime::default(),
            announced: Default::default(),
            syncing: AtomicBool::new(false),
            last_error: Mutex::new(None),
        })
    }

    /// Demo or connected: connected when someone is signed in here or a server is configured.
    pub fn mode(&self) -> Mode {
        let signed_in = account::current(&self.data_dir).ok().flatten().is_some();
        if signed_in || self.configured_server.is_some() { Mode::Connected } else { Mode::Demo }
    }

    /// The cache, opened on first use (and again after an account change).
    pub async fn cache(&self) -> Result<Cache, AppError> {
        let mut slot = self.cache.lock().await;
        if let Some(cache) = slot.as_ref() {
            return Ok(cache.clone());
        }
        let cache = Cache::open(&self.data_dir.join(CACHE_FILE)).await?;
        *slot = Some(cache.clone());
        Ok(cache)
    }

    /// Runs at launch: syncs once, then again on the schedule, for as long as the app runs.
    pub async fn start(&self, app: AppHandle) {
        let every = std::env::var("GREENMILE_SYNC_MINUTES")
            .ok()
            .and_then(|m| m.parse::<u64>().ok())
            .filter(|m| *m > 0)
            .map(|m| Duration::from_secs(m * 60))
            .unwrap_or(SYNC_EVERY);
        loop {
            let wait = match self.sync(&app).await {
                Ok(_) => every,
                Err(error) if error.code == greenmile_core::ErrorCode::ServerUnreachable => {
                    // TODO(sync-network): no OS signal for a returning network yet; a short
                    // poll while offline stands in for it.
                    OFFLINE_RETRY.min(every)
                }
                Err(error) => {
                    tracing::warn!(error.code = ?error.code, "sync failed: {}", error.message);
                    every
                }
            };
            tokio::time::sleep(wait).await;
        }
    }

    /// Syncs every collection; a sync asked for while one runs joins it and gets its result.
    pub async fn sync(&self, app: &AppHandle) -> Result<SyncReport, AppError> {
        self.one_sync.run(|| self.sync_once(app)).await
    }

    async fn sync_once(&self, app: &AppHandle) -> Result<SyncReport, AppError> {
        self.syncing.store(true, Ordering::SeqCst);
        emit_state(app, &SyncState::Syncing { collection: None, applied: 0 });
        let result = self.sync_locked(app).await;
        self.syncing.store(false, Ordering::SeqCst);
        emit_state(
            app,
            &match &result {
                Ok(_) => SyncState::Idle,
                Err(e) if e.code == greenmile_core::ErrorCode::ServerUnreachable => {
                    SyncState::Offline { error: e.clone() }
                }
                Err(e) => SyncState::Error { error: e.clone() },
            },
        );

        *self.last_error.lock().unwrap_or_else(|p| p.into_inner()) = result.as_ref().err().cloned();
        if result.is_ok()
            && let Ok(cache) = self.cache().await
        {
            crate::commands::notifications::instalment_due(app, &cache, &self.announced).await;
        }
        result
    }

    async fn sync_locked(&self, app: &AppHandle) -> Result<SyncReport, AppError> {
        let _no_account_change = self.account_change.read().await;
        let cache = self.cache().await?;
        let api = match self.api().await {
            Ok(api) => api,
            Err(error) => {
                let report = AppError::from(&error);
                let _ = app.emit(SYNC_EVENT, failed(&report));
                return Err(report);
            }
        };

        let emit = |p: &SyncProgress| {
            if let Err(e) = app.emit(SYNC_EVENT, p) {
                tracing::debug!(error = %e, "progress event not delivered");
            }
            if p.phase == greenmile_core::SyncPhase::Page {
                let collection = p.collection.clone();
                emit_state(app, &SyncState::Syncing { collection, applied: p.total_applied });
            }
        };
        Ok(sync::sync_all(&api, &cache, &Utc::now, &emit).await?)
    }

    /// The Green API client: the account signed in to the data folder, or the embedded demo
    /// server started now when no one is signed in and no server is configured.
    async fn api(&self) -> Result<GreenApi, CoreError> {
        let mut slot = self.api.lock().await;
        if let Some(api) = slot.as_ref() {
            return Ok(api.clone());
        }
        let api = async {
            let signed_in = account::current(&self.data_dir)?;
            match (&self.configured_server, signed_in) {
                (None, None) => self.start_demo_server().await,
                (configured, Some(_)) => {
                    let vault = Vault::new(Backend::from_env()?);
                    let (api, account) = account::connect(&self.data_dir, &vault).await?;
                    if let Some(url) = configured {
                        let asked = GreenApi::new(url)?;
                        if asked.base_url() != api.base_url() {
                            let asked = asked.base_url().to_string();
                            return Err(CoreError::OtherServer { cached: account.server, asked });
                        }
                    }
                    Ok(api)
                }
                (Some(url), None) => {
                    Err(CoreError::SignInRequired(format!("sign in to {url} to sync from it")))
                }
            }
        }
        .await?;
        *slot = Some(api.clone());
        Ok(api)
    }

    /// Starts the embedded demo server and signs the demo user in; the tokens stay in this
    /// process's memory, so the demo needs no keychain.
    async fn start_demo_server(&self) -> Result<GreenApi, CoreError> {
        let store = self.data_dir.join(DEMO_DIR).join("green-api.sqlite");
        let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let server = greenmile_server::start_demo(&store, listen, Utc::now())
            .await
            .map_err(|e| CoreError::InvalidInput(format!("the demo server did not start: {e}")))?;
        let api = server
            .demo_client()
            .await
            .map_err(|e| CoreError::InvalidInput(format!("the demo could not sign in: {e}")))?;
        *self.server.lock().await = Some(server);
        Ok(api)
    }

    /// The status area's figures.
    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }

    /// What the status area and About show; `version` is the app's, which Tauri knows.
    pub async fn status(&self, version: String) -> Result<AppStatus, AppError> {
        let cache = self.cache().await?;
        let last = greenmile_core::db::cursors::last_synced_at(cache.pool()).await?;
        let signed_in = account::current(&self.data_dir).ok().flatten();
        let bill_count = greenmile_core::db::bills::count(cache.pool()).await?;
        let last_error = self.last_error.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let demo_persona = match self.server.lock().await.as_ref() {
            Some(server) => server.store().demo_persona().await.map_err(demo_failed)?,
            None => None,
        };

        Ok(AppStatus {
            mode: self.mode(),
            server_url: match &signed_in {
                Some(account) => Some(account.server.clone()),
                None => self.api.lock().await.as_ref().map(|a| a.base_url().to_string()),
            },
            account_email: signed_in.map(|a| a.email),
            data_dir: self.data_dir.display().to_string(),
            last_synced_at: last.map(|t| t.to_rfc3339()),
            syncing: self.syncing.load(Ordering::SeqCst),
            last_error,
            bill_count,
            version,
            demo_persona,
        })
    }

    /// Starts the demo afresh for the next visitor: the embedded server's store is seeded
    /// again with `persona` (or the persona it holds), the cache is emptied, and a sync brings
    /// the new account. It runs as the one sync of the moment: a sync asked for meanwhile
    /// waits for it and gets its result. Refused when the app is connected to a real server.
    pub async fn reset_demo(
        &self,
        app: &AppHandle,
        persona: Option<Persona>,
    ) -> Result<SyncReport, AppError> {
        if self.mode() != Mode::Demo {
            return Err(AppError::from(CoreError::InvalidInput(
                "only the demo can be reset; this app is connected to a server".to_owned(),
            )));
        }
        self.one_sync
            .run(|| async {
                self.reset_stores(persona).await?;
                self.sync_once(app).await
            })
            .await
    }

    async fn reset_stores(&self, persona: Option<Persona>) -> Result<(), AppError> {
        // The demo server starts with the client, if it has not yet.
        self.api().await?;
        let cache = self.cache().await?;
        let server = self.server.lock().await;
        let Some(store) = server.as_ref().map(|s| s.store()) else {
            return Err(demo_failed("the demo server is not running"));
        };
        let persona = match persona {
            Some(persona) => persona,
            None => store.demo_persona().await.map_err(demo_failed)?.unwrap_or_default(),
        };

        store.reset_demo(persona, Utc::now()).await.map_err(demo_failed)?;
        cache.clear().await?;
        tracing::info!(demo.persona = persona.as_str(), "demo reset");
        Ok(())
    }

    /// Stops the demo server and closes the cache.
    pub async fn shutdown(&self) {
        if let Some(server) = self.server.lock().await.take() {
            server.stop().await;
        }
        if let Some(cache) = self.cache.lock().await.take() {
            cache.close().await;
        }
    }

    /// Signs in to `server` as `email`: the data folder then belongs to that account (a cache
    /// of another account is removed first), and the next sync reads from it.
    pub async fn sign_in(
        &self,
        server: &str,
        email: &str,
        password: &SecretString,
    ) -> Result<account::Account, AppError> {
        let _exclusive = self.account_change.write().await;
        let vault = Vault::new(Backend::from_env()?);
        // Checked before anything is closed.
        GreenApi::new(server)?;
        self.release().await;
        let report = account::login(&self.data_dir, &vault, server, email, password).await?;
        Ok(report.account)
    }

    /// Signs out: the server ends the sign-in (best effort), and the keychain entry and the
    /// cache are removed; the next sync is the demo's.
    pub async fn sign_out(&self) -> Result<account::SignOutReport, AppError> {
        let _exclusive = self.account_change.write().await;
        let vault = Vault::new(Backend::from_env()?);
        self.release().await;
        Ok(account::logout(&self.data_dir, &vault).await?)
    }

    /// Closes the cache and forgets the client and the demo server, so the next use opens
    /// them for whoever is signed in then.
    async fn release(&self) {
        if let Some(cache) = self.cache.lock().await.take() {
            cache.close().await;
        }
        self.api.lock().await.take();
        if let Some(server) = self.server.lock().await.take() {
            server.stop().await;
        }
        *self.last_error.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

/// The demo server's store failed: it is a local SQLite file, like the cache.
fn demo_failed(error: impl std::fmt::Display) -> AppError {
    AppError {
        code: greenmile_core::ErrorCode::Cache,
        message: format!("the demo data could not be reset: {error}"),
    }
}

fn emit_state(app: &AppHandle, state: &SyncState) {
    if let Err(e) = app.emit(SYNC_STATE_EVENT, state) {
        tracing::debug!(error = %e, "state event not delivered");
    }
}

fn failed(error: &AppError) -> SyncProgress {
    SyncProgress {
        phase: greenmile_core::SyncPhase::Failed,
        collection: None,
        applied: 0,
        total_applied: 0,
        error: Some(error.clone()),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::AtomicU32;

    use super::*;

    #[tokio::test]
    async fn a_second_request_joins_the_running_work_and_gets_its_result() {
        let once = Arc::new(OneAtATime::<u32>::default());
        let started = Arc::new(AtomicU32::new(0));
        let work = |started: Arc<AtomicU32>| async move {
            let n = started.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(Duration::from_millis(100)).await;
            n
        };

        let (a, b) = tokio::join!(once.run(|| work(started.clone())), async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            once.run(|| work(started.clone())).await
        });
        assert_eq!((a, b), (1, 1), "the second caller got the first run's result");
        assert_eq!(started.load(Ordering::SeqCst), 1, "the work ran once");

        let c = once.run(|| work(started.clone())).await;
        assert_eq!(c, 2, "a request after the run ended starts a new one");
    }

    #[tokio::test]
    async fn work_dropped_part_way_is_not_waited_for() {
        let once = Arc::new(OneAtATime::<u32>::default());
        let stuck = once.run(|| async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            0
        });
        let joined = async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            once.run(|| async { 7 }).await
        };
        // The first run is dropped after 50 ms, while the second waits on it.
        let cancelled = tokio::time::timeout(Duration::from_millis(50), stuck);
        let (first, second) = tokio::join!(cancelled, joined);
        assert!(first.is_err(), "the first run was cancelled");
        assert_eq!(second, 7, "the waiting caller ran the work itself");
    }
}
