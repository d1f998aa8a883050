//! The reference server: a real implementation of `docs/contract.md` over a local folder
//! mapped to `/content/dam`, with its state in SQLite.
//!
//! - `engine`: the queue and the workers that process jobs (no HTTP in it).
//! - `repository`: the folder mapped to `/content/dam`, and every path check.
//! - `store`: the SQLite database (jobs, checkpoints, asset results, logs, sessions).
//! - `lookup`: per-asset status look-ups (each asset's latest outcome).
//! - `http`: the routes, one module per resource, and the one error type of this side.
//! - `demo`: the deterministic demo repository that `cargo xtask serve` starts with.
//! - `config`: what the server is started with.
//! - `data_lock`: one server per data folder; `serve`: the accept loop (header read timeout).
//! - `fixtures`, `synthetic` (feature `dev-fixtures` only): what tests, demos and benchmarks
//!   need from the real process; never in the server users run.

pub mod clock;
pub mod config;
pub mod data_lock;
pub mod demo;
pub mod engine;
#[cfg(feature = "dev-fixtures")]
pub mod fixtures;
pub mod http;
pub mod lookup;
pub mod repository;
mod serve;
pub mod store;
#[cfg(feature = "dev-fixtures")]
pub mod synthetic;

use std::net::SocketAddr;

pub use config::{Config, Variant};

/// A running server: where it listens and how to stop it.
pub struct Running {
    pub addr: SocketAddr,
    pub engine: engine::Engine,
    shutdown: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    /// Deletes expired sessions every `http::SESSION_PURGE_EVERY`.
    session_purge: tokio::task::JoinHandle<()>,
    /// `--variant published-docs`: the system's own runs of /content/dam (every 15 minutes).
    system_runs: Option<tokio::task::JoinHandle<()>>,
    /// This server's hold on its data folder, released when it is dropped (after `stop`).
    _data_lock: data_lock::DataLock,
}

impl Running {
    /// Stops accepting connections, lets requests in flight finish, stops the engine (a
    /// running job commits what it handled and stays resumable), and waits.
    pub async fn stop(self) -> std::io::Result<()> {
        self.session_purge.abort();
        if let Some(runs) = &self.system_runs {
            runs.abort();
        }
        let _ = self.shutdown.send(());
        let served = self
            .task
            .await
            .unwrap_or_else(|e| Err(std::io::Error::other(e)));
        let engine = self.engine.clone();
        let _ = tokio::task::spawn_blocking(move || engine.shutdown()).await;
        served
    }
}

/// Opens the state and starts serving on `config.listen` (port 0 picks a free port).
pub async fn start(config: Config) -> Result<Running, String> {
    if !config.repository.is_dir() {
        return Err(format!(
            "the repository folder {} does not exist (it is mapped to /content/dam)",
            config.repository.display()
        ));
    }
    std::fs::create_dir_all(&config.data).map_err(|e| {
        format!(
            "cannot create the data folder {}: {e}",
            config.data.display()
        )
    })?;
    // Before the database is opened: a second server on this folder changes nothing.
    let data_lock = data_lock::lock(&config.data)?;
    let store = store::Store::open(&config.data.join("asset-processing.sqlite"))
        .map_err(|e| format!("cannot open the database in {}: {e}", config.data.display()))?;
    #[cfg(feature = "dev-fixtures")]
    if config.read_only_database {
        store
            .call(|conn| Ok(conn.pragma_update(None, "query_only", true)?))
            .await
            .map_err(|e| format!("cannot make the database read-only: {e}"))?;
    }
    let repo = repository::Repository::open(&config.repository).map_err(|e| {
        format!(
            "cannot open the repository {}: {e}",
            config.repository.display()
        )
    })?;
    #[cfg(feature = "dev-fixtures")]
    let options = fixtures::engine_options(&config);
    #[cfg(not(feature = "dev-fixtures"))]
    let options = engine::Options::default();
    let engine = engine::Engine::start_with(store.clone(), repo.clone(), config.workers, options)
        .map_err(|e| format!("cannot start the processing engine: {e}"))?;
    let users = match &config.users {
        Some(file) => http::Users::load(file)?,
        None => http::Users::demo(),
    };
    let session_purge = http::spawn_session_purge(store.clone(), http::SESSION_PURGE_EVERY);
    let state = http::AppState::new(config.clone(), store, repo, engine.clone(), users);
    let system_runs =
        (config.variant == Variant::PublishedDocs).then(|| http::spawn_system_runs(state.clone()));
    let app = http::router(state);
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let (shutdown, signal) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        serve::serve(listener, app, async {
            let _ = signal.await;
        })
        .await
    });
    Ok(Running {
        addr,
        engine,
        shutdown,
        task,
        session_purge,
        system_runs,
        _data_lock: data_lock,
    })
}

/// Runs until Ctrl-C or SIGTERM.
pub async fn run(config: Config) -> Result<(), String> {
    let running = start(config.clone()).await?;
    tracing::info!("listening on http://{}/", running.addr);
    println!("Asset processing server on http://{}/", running.addr);
    println!(
        "  repository /content/dam = {}",
        config.repository.display()
    );
    println!("  data (database, logs)   = {}", config.data.display());
    if config.console.is_some() {
        println!("  console                 = http://{}/", running.addr);
    }
    match &config.users {
        Some(file) => println!("  users                   = {}", file.display()),
        None => println!(
            "  sign in as              admin / admin (the demo user, as on a fresh AEM author)"
        ),
    }
    println!("Press Ctrl-C to stop.");
    shutdown_signal().await;
    println!("Stopping…");
    running.stop().await.map_err(|e| e.to_string())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
