//! The HTTP side: routers composed per resource, shared state, and the tower-http layers
//! (tracing, compression, body limit, timeout, static files).

mod console;
mod error;
mod jobs;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::ApiError;

use crate::engine::Engine;
use crate::repository::Repository;
use crate::store::Store;
use crate::Config;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    pub repo: Repository,
    pub engine: Engine,
}

impl AppState {
    pub fn new(config: Config, store: Store, repo: Repository, engine: Engine) -> Self {
        AppState { config: Arc::new(config), store, repo, engine }
    }
}

/// Largest request body accepted (a start request is a few KB at most).
const BODY_LIMIT: usize = 256 * 1024;

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(jobs::router())
        .fallback(console::fallback)
        .method_not_allowed_fallback(error::method_not_allowed)
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}
