//! The reference Green API server.
//!
//! [`store`] keeps the three change feeds in SQLite; [`routes`] serves them over HTTP with
//! axum; [`demo`] builds the seeded demo account and [`bulk`] stores of any size for
//! benchmarks. [`start`] runs a server inside the calling
//! process (the CLI and the desktop app use it for demo mode) and hands back its URL; the
//! `greenmile-server` binary is a thin wrapper around the same call.

pub mod bulk;
pub mod demo;
pub mod routes;
pub mod store;

use std::net::SocketAddr;
use std::path::Path;

use chrono::{DateTime, Utc};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use store::{Collection, Store, StoreError};

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

    /// Stops accepting, lets requests in flight finish, and closes the store.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
        self.store.close().await;
    }
}

/// Serves `store` on `listen` (port 0 picks a free port).
pub async fn start(listen: SocketAddr, store: Store) -> Result<RunningServer, ServerError> {
    let listener = TcpListener::bind(listen)
        .await
        .map_err(|source| ServerError::Bind { addr: listen, source })?;
    let addr =
        listener.local_addr().map_err(|source| ServerError::Bind { addr: listen, source })?;
    let app = routes::router(routes::AppState { store: store.clone() });
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
    Ok(RunningServer { addr, store, shutdown: Some(tx), task })
}

/// Opens the store at `db_path`, seeds the demo account there if it is new, and serves it.
pub async fn start_demo(
    db_path: &Path,
    listen: SocketAddr,
    now: DateTime<Utc>,
) -> Result<RunningServer, ServerError> {
    if let Some(dir) = db_path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|source| ServerError::Folder { path: dir.to_owned(), source })?;
    }
    let store = Store::open(db_path).await?;
    store.seed_demo(now).await?;
    start(listen, store).await
}
