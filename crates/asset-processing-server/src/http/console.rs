//! The built console (trunk's `dist`) at `/`, as the router's fallback. Client-side routes
//! (`/jobs/<id>`) answer the console's `index.html`, so a reload or a shared link opens the
//! same view. API paths never fall through to the console: an unknown one is a JSON 404.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use super::{ApiError, AppState};

/// Paths that belong to the API, the repository or AEM's own servlets.
const SERVER_PREFIXES: &[&str] = &["/bin/", "/libs/", "/content/"];

pub async fn fallback(State(state): State<AppState>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    let Some(dist) = state.config.console.clone() else {
        return ApiError::NotFound(format!("nothing is at {path}")).into_response();
    };
    if SERVER_PREFIXES.iter().any(|p| path.starts_with(p)) {
        return ApiError::NotFound(format!("nothing is at {path}")).into_response();
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return ApiError::MethodNotAllowed.into_response();
    }
    let is_route = !path.rsplit('/').next().unwrap_or("").contains('.');
    let (parts, _) = request.into_parts();
    // ServeDir sets Content-Type from the extension (`application/wasm` for .wasm), and sends
    // `<file>.br` / `<file>.gz` as they are when the build wrote them and the browser takes
    // them (`cargo xtask` builds write them: brotli 11 is too slow to do per request).
    let file = ServeDir::new(&dist)
        .precompressed_br()
        .precompressed_gzip()
        .oneshot(Request::from_parts(parts.clone(), Body::empty()))
        .await
        .map(IntoResponse::into_response);
    match file {
        Ok(response) if response.status() != StatusCode::NOT_FOUND => response,
        _ if is_route => ServeFile::new(dist.join("index.html"))
            .oneshot(Request::from_parts(parts, Body::empty()))
            .await
            .map(IntoResponse::into_response)
            .unwrap_or_else(|e| ApiError::Internal(format!("console index: {e}")).into_response()),
        _ => ApiError::NotFound(format!("nothing is at {path}")).into_response(),
    }
}
