//! The reference Green API server.
//!
//! [`accounts`] keeps accounts and their sign-ins, and [`auth`] serves them: every data route
//! needs an access token and answers with that account's rows only. [`store`] keeps the three
//! change feeds and the clients' writes in SQLite, each row owned by an account; [`routes`] serves
//! them over HTTP with axum, and [`writes`] takes writes once per idempotency key; [`demo`]
//! builds the seeded demo account and [`bulk`] stores of any size for benchmarks; [`learn`]
//! serves the education catalogue and records quiz attempts once; [`seed`] fills the store from
//! payment exports with the client's own importers; [`fault`] is the seeded fault mode of the
//! fault-injection suite. [`start`] runs a server inside the calling
//! process (the CLI and the desktop app use it for demo mode) and hands back its URL; the
//! `greenmile-server` binary is a thin wrapper around the same call.
//!
//! Every answer carries headers that keep browsers from doing anything with it but read it
//! (`nosniff`, a CSP that allows nothing, no referrer, no framing). There is no CORS layer: the
//! API is for the app and the CLI, never for scripts on other web pages.

pub mod accounts;
pub mod auth;
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

use axum::http::{HeaderValue, header};
use chrono::{DateTime, Utc};
use greenmile_api::STORE_ID_HEADER;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use accounts::UserId;
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
    /// A client of the server could not be made.
    #[error(transparent)]
    Client(#[from] greenmile_core::CoreError),
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

    /// Signs the demo user in, for the process that runs the demo: the tokens stay in this
    /// process's memory and no keychain is needed.
    pub async fn demo_tokens(&self) -> Result<greenmile_api::TokenPair, StoreError> {
        self.store.demo_tokens(Utc::now()).await
    }

    /// The demo user's id; an error when the store has no demo.
    pub async fn demo_user(&self) -> Result<UserId, StoreError> {
        self.store
            .demo_user()
            .await?
            .ok_or_else(|| StoreError::Invalid("this store has no demo account".to_owned()))
    }

    /// A client of this server signed in as the demo user, with its tokens in memory only: how
    /// demo mode (and the tests) read the demo household.
    pub async fn demo_client(&self) -> Result<greenmile_core::GreenApi, ServerError> {
        let tokens = self.demo_tokens().await?;
        Ok(greenmile_core::GreenApi::new(&self.url())?.with_session(tokens.into(), None))
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
    let mut app = routes::router(routes::AppState::new(store.clone()));
    if let Some(faults) = &faults {
        tracing::warn!("fault mode: this server misbehaves on purpose");
        app = app.layer(axum::middleware::from_fn_with_state(faults.clone(), fault::inject));
    }
    let app = app.layer(axum::middleware::from_fn(move |request, next: axum::middleware::Next| {
        counter.fetch_add(1, Ordering::SeqCst);
        let store_id = HeaderValue::from_str(&named.current_id()).ok();
        async move {
            let mut response = next.run(request).await;
            let headers = response.headers_mut();
            if let Some(store_id) = store_id {
                headers.insert(STORE_ID_HEADER, store_id);
            }
            secure(headers);
            response
        }
    }));
    let (tx, rx) = oneshot::channel::<()>();

    let task = tokio::spawn(async move {
        // The client's address is what failed sign-ins are counted under.
        let app = app.into_make_service_with_connect_info::<SocketAddr>();
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

/// Adds the headers every answer carries: the body is data, never a page or a script.
fn secure(headers: &mut axum::http::HeaderMap) {
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'; sandbox"),
    );
    headers.insert(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=31536000; includeSubDomains"),
    );
}

/// Opens the store at `db_path`, seeds the demo account there if it is new, and serves it.
/// The demo user has no password: sign it in with [`RunningServer::demo_tokens`].
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
