//! The shell's state: where the data lives, which server to sync from, and the sync runs.
//!
//! With no server configured the app is in demo mode: it starts the reference server inside
//! this process on 127.0.0.1 (port 0) over a demo store in the data folder, and syncs from it
//! through the same HTTP path as production. A sync failure leaves the cache as it was, so the
//! UI keeps showing what it has and says why it could not refresh.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::Utc;
use greenmile_core::paths::{CACHE_FILE, DEMO_DIR};
use greenmile_core::{AppError, Cache, CoreError, GreenApi, SyncProgress, SyncReport, sync};
use greenmile_server::RunningServer;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter};
use tokio::sync::OnceCell;
use ts_rs::TS;

/// The event that carries [`SyncProgress`] to the UI.
pub const SYNC_EVENT: &str = "sync://progress";

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
    /// Bills in the cache.
    #[ts(type = "number")]
    pub bill_count: i64,
}

/// The app's long-lived state, shared by every command.
#[derive(Debug)]
pub struct Shell {
    data_dir: PathBuf,
    configured_server: Option<String>,
    cache: OnceCell<Cache>,
    server: tokio::sync::Mutex<Option<RunningServer>>,
    api: OnceCell<GreenApi>,
    sync_lock: tokio::sync::Mutex<()>,
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
        // TODO(accounts): the server URL and sign-in come from settings and the keychain
        // (issue 8); until then an environment variable selects a server.
        let configured_server = std::env::var("GREENMILE_SERVER").ok().filter(|s| !s.is_empty());

        Ok(Self {
            data_dir,
            configured_server,
            cache: OnceCell::new(),
            server: tokio::sync::Mutex::new(None),
            api: OnceCell::new(),
            sync_lock: tokio::sync::Mutex::new(()),
            syncing: AtomicBool::new(false),
            last_error: Mutex::new(None),
        })
    }

    /// Demo or connected.
    pub fn mode(&self) -> Mode {
        if self.configured_server.is_some() { Mode::Connected } else { Mode::Demo }
    }

    /// The cache, opened on first use.
    pub async fn cache(&self) -> Result<&Cache, AppError> {
        self.cache
            .get_or_try_init(|| async { Cache::open(&self.data_dir.join(CACHE_FILE)).await })
            .await
            .map_err(AppError::from)
    }

    /// Runs at launch: opens the cache and syncs once, reporting progress to the UI.
    pub async fn start(&self, app: AppHandle) {
        if let Err(error) = self.sync(&app).await {
            tracing::warn!(error.code = ?error.code, "first sync failed: {}", error.message);
        }
    }

    /// Syncs every collection; a sync asked for while one runs waits for it, then runs.
    pub async fn sync(&self, app: &AppHandle) -> Result<SyncReport, AppError> {
        let _running = self.sync_lock.lock().await;
        self.syncing.store(true, Ordering::SeqCst);
        let result = self.sync_locked(app).await;
        self.syncing.store(false, Ordering::SeqCst);

        let mut last = self.last_error.lock().unwrap_or_else(|p| p.into_inner());
        *last = result.as_ref().err().cloned();
        result
    }

    async fn sync_locked(&self, app: &AppHandle) -> Result<SyncReport, AppError> {
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
        };
        Ok(sync::sync_all(api, cache, &Utc::now, &emit).await?)
    }

    /// The Green API client: the configured server, or the embedded demo server started now.
    async fn api(&self) -> Result<&GreenApi, CoreError> {
        self.api
            .get_or_try_init(|| async {
                let url = match &self.configured_server {
                    Some(url) => url.clone(),
                    None => self.start_demo_server().await?,
                };
                GreenApi::new(&url)
            })
            .await
    }

    async fn start_demo_server(&self) -> Result<String, CoreError> {
        let store = self.data_dir.join(DEMO_DIR).join("green-api.sqlite");
        let listen = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let server = greenmile_server::start_demo(&store, listen, Utc::now())
            .await
            .map_err(|e| CoreError::InvalidInput(format!("the demo server did not start: {e}")))?;
        let url = server.url();
        *self.server.lock().await = Some(server);
        Ok(url)
    }

    /// The status area's figures.
    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }

    /// What the status area shows.
    pub async fn status(&self) -> Result<AppStatus, AppError> {
        let cache = self.cache().await?;
        let last = greenmile_core::db::cursors::last_synced_at(cache.pool()).await?;
        let bill_count = greenmile_core::db::bills::count(cache.pool()).await?;
        let last_error = self.last_error.lock().unwrap_or_else(|p| p.into_inner()).clone();

        Ok(AppStatus {
            mode: self.mode(),
            server_url: self.api.get().map(|a| a.base_url().to_string()),
            data_dir: self.data_dir.display().to_string(),
            last_synced_at: last.map(|t| t.to_rfc3339()),
            syncing: self.syncing.load(Ordering::SeqCst),
            last_error,
            bill_count,
        })
    }

    /// Stops the demo server and closes the cache.
    pub async fn shutdown(&self) {
        if let Some(server) = self.server.lock().await.take() {
            server.stop().await;
        }
        if let Some(cache) = self.cache.get() {
            cache.close().await;
        }
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
