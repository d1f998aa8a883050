//! The HTTP side: routers composed per resource, shared state, and the tower-http layers
//! (tracing, compression, body limit, timeout, static files).

mod assets_status;
mod auth;
mod body;
mod console;
mod documented;
mod download;
mod error;
mod headers;
mod jobs;
pub mod openapi;
mod published_docs;
mod repository;
#[cfg(feature = "dev-fixtures")]
mod shell;
mod system;

use std::sync::Arc;
use std::time::Duration;

use asset_processing_api::{CSRF_TOKEN_PATH, CURRENT_USER_PATH, LOGIN_CHECK_PATH, LOGIN_PAGE_PATH};
use axum::routing::{get, post};
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use auth::{spawn_session_purge, Users, SESSION_PURGE_EVERY};
pub use error::ApiError;
pub use published_docs::spawn_system_runs;

use crate::config::{Config, Variant};
use crate::engine::Engine;
use crate::repository::Repository;
use crate::store::Store;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    pub repo: Repository,
    pub engine: Engine,
    pub users: Users,
    pub csrf: auth::CsrfTokens,
    pub lookups: crate::lookup::Lookups,
}

impl AppState {
    pub fn new(
        config: Config,
        store: Store,
        repo: Repository,
        engine: Engine,
        users: Users,
    ) -> Self {
        AppState {
            config: Arc::new(config),
            lookups: crate::lookup::Lookups::new(store.clone(), repo.clone()),
            store,
            repo,
            engine,
            users,
            csrf: auth::CsrfTokens::default(),
        }
    }
}

/// Largest request body accepted (a start request is a few KB at most).
const BODY_LIMIT: usize = 256 * 1024;

pub fn router(state: AppState) -> Router {
    let published_docs = state.config.variant == Variant::PublishedDocs;
    let routes = Router::new()
        .merge(jobs::router())
        .merge(assets_status::router())
        .merge(system::router())
        .route("/openapi.json", get(openapi::document))
        .route(CSRF_TOKEN_PATH, get(auth::csrf_token))
        .route(CURRENT_USER_PATH, get(auth::current_user))
        .route(LOGIN_PAGE_PATH, get(auth::login_page))
        .route(LOGIN_CHECK_PATH, post(auth::security_check))
        .route("/system/sling/logout", get(auth::logout))
        .route("/content/dam.json", get(repository::render))
        .route("/content/dam.0.json", get(repository::render))
        .route("/content/dam.1.json", get(repository::render))
        .route("/content/dam/{*rest}", get(repository::render))
        .fallback(console::fallback)
        .method_not_allowed_fallback(error::method_not_allowed);
    // The AEM look-alike page, a test fixture: only in builds with `dev-fixtures`.
    #[cfg(feature = "dev-fixtures")]
    let routes = routes.merge(shell::router().layer(
        tower_http::set_header::SetResponseHeaderLayer::overriding(
            axum::http::header::CONTENT_SECURITY_POLICY,
            axum::http::HeaderValue::from_static(headers::SHELL_POLICY),
        ),
    ));
    let routes = if published_docs {
        routes
            .merge(published_docs::router())
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                published_docs::rewrite,
            ))
    } else {
        routes
    };
    let app = routes
        .with_state(state)
        // The handler's own time (503: the server was too slow)...
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        // ...which starts once the body is in (408 when the client stalls, 413 too large).
        .layer(axum::middleware::from_fn(body::read_in_time))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        // Outside the limit and timeout layers, so their answers get the JSON body too.
        .layer(axum::middleware::map_response(error::json_errors))
        // JSON says its charset; API answers are never stored by a cache.
        .layer(axum::middleware::from_fn(headers::api_answers))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http());
    // Outermost, so the answers of the layers above carry them too.
    headers::security(app)
}
