//! The reference Green API server.
//!
//! [`store`] keeps the three change feeds and the clients' writes in SQLite; [`routes`] serves
//! them over HTTP with axum, and [`writes`] takes writes once per idempotency key; [`demo`]
//! builds the seeded demo account and [`bulk`] stores of any size for benchmarks; [`learn`]
//! serves the education catalogue and records quiz attempts once; [`seed`] fills the store from
//! payment exports with the client's own importers; [`fault`] is the seeded fault mode of the
//! fault-injection suite. [`start`] runs a server inside the calling
//! process (the CLI and the desktop app use it for demo mode) and hands back its URL; the
//! `greenmile-server` binary is a thin wrapper around the same call.

pub mod bulk;
pub mod demo;
pub mod fault;
pub mod learn;
pub mod routes;
pub mod seed;
pub mod store;
pub mod writes;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::HeaderValue;
use chrono::{DateTime, Utc};
use greenmile_api::STORE_ID_HEADER;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use store::{Collection, FeedRow, Store, StoreError, StoredWrite, WriteOutcome};

/// What can stop a server from starting.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The address could not be bound (in use, or not allowed).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The folder for the store could not be created.
    #[error("cannot create {path}: {source}")]
    Folder {
        /// The folder.
        path: std::path::PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The store could not be opened or seeded.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A server running inside this process; dropping it does not stop it, [`Self::stop`] does.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    store: Store,
    requests: Arc<AtomicU64>,
    faults: Option<Arc<fault::Faults>>,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl RunningServer {
    /// The base URL clients use, such as `http://127.0.0.1:41234/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The store behind the server, for changes made outside HTTP (tests, admin commands).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// How many requests the server has answered (or begun to answer) since it started.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }

    /// The fault layer, when the server was started with one.
    pub fn faults(&self) -> Option<&fault::Faults> {
        self.faults.as_deref()
    }

    /// Stops accepting, lets requests in flight finish, and closes the store.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
        self.store.close().await;
    }
}

/// How a server runs, beyond its address and store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StartOptions {
    /// Misbehave on purpose, with faults drawn from this seed ([`fault`]).
    pub faults: Option<u64>,
}

/// Serves `store` on `listen` (port 0 picks a free port).
pub async fn start(listen: SocketAddr, store: Store) -> Result<RunningServer, ServerError> {
    start_with(listen, store, StartOptions::default()).await
}

/// [`start`] with `options`.
pub async fn start_with(
    listen: SocketAddr,
    store: Store,
    options: StartOptions,
) -> Result<RunningServer, ServerError> {
    let listener = TcpListener::bind(listen)
        .await
        .map_err(|source| ServerError::Bind { addr: listen, source })?;
    let addr =
        listener.local_addr().map_err(|source| ServerError::Bind { addr: listen, source })?;
    let requests = Arc::new(AtomicU64::new(0));
    let counter = requests.clone();
    // Every answer names its store, so a client checks whose data it reads without asking
    // /v1/health first. The id is read per answer: a demo reset changes it.
    HeaderValue::from_str(&store.current_id())
        .map_err(|_| StoreError::Invalid("the store id is not header text".to_owned()))?;
    let named = store.clone();
    let faults = options.faults.map(fault::Faults::new);
    let mut app = routes::router(routes::AppState { store: store.clone() });
    if let Some(faults) = &faults {
        tracing::warn!("fault mode: this server misbehaves on purpose");
        app = app.layer(axum::middleware::from_fn_with_state(faults.clone(), fault::inject));
    }
    let app = app.layer(axum::middleware::from_fn(move |request, next: axum::middleware::Next| {
        counter.fetch_add(1, Ordering::SeqCst);
        let store_id = HeaderValue::from_str(&named.current_id()).ok();
        async move {
            let mut response = next.run(request).await;
            if let Some(store_id) = store_id {
                response.headers_mut().insert(STORE_ID_HEADER, store_id);
            }
            response
        }
    }));
    let (tx, rx) = oneshot::channel::<()>();

    let task = tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
        if let Err(error) = served {
            tracing::error!(error = %error, "the server stopped");
        }
    });

    tracing::info!(http.addr = %addr, "Green API listening");
    Ok(RunningServer { addr, store, requests, faults, shutdown: Some(tx), task })
}

/// Opens the store at `db_path`, seeds the demo household there if it is new, and serves it.
pub async fn start_demo(
    db_path: &Path,
    listen: SocketAddr,
    now: DateTime<Utc>,
) -> Result<RunningServer, ServerError> {
    start_demo_as(db_path, listen, now, None).await
}

/// Opens the store at `db_path` and serves a demo account from it. With `Some(persona)` the
/// store is reset to that persona first (emptied, seeded afresh, given a new id: see
/// [`Store::reset_demo`]); with `None` it keeps the account it holds, seeding the household
/// when it is new.
pub async fn start_demo_as(
    db_path: &Path,
    listen: SocketAddr,
    now: DateTime<Utc>,
    persona: Option<demo::Persona>,
) -> Result<RunningServer, ServerError> {
    if let Some(dir) = db_path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|source| ServerError::Folder { path: dir.to_owned(), source })?;
    }
    let store = Store::open(db_path).await?;
    match persona {
        Some(persona) => store.reset_demo(persona, now).await?,
        None => {
            store.seed_demo(now).await?;
        }
    }
    start(listen, store).await
}
