//! The built console (trunk's `dist`) at `/`, as the router's fallback. Client-side routes
//! (`/jobs/<id>`) answer the console's `index.html`, so a reload or a shared link opens the
//! same view. API paths never fall through to the console: an unknown one is a JSON 404.
//! Its headers (policy, caching) are chosen in `headers`.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use tower::{ServiceBuilder, ServiceExt};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use super::{headers, ApiError, AppState};

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
    let name = path.rsplit('/').next().unwrap_or("").to_string();
    if is_route || name == "index.html" {
        return index(&dist).await;
    }
    let (parts, _) = request.into_parts();
    // ServeDir sets Content-Type from the extension (`application/wasm` for .wasm), and sends
    // `<file>.br` / `<file>.gz` as they are when the build wrote them and the browser takes
    // them (`cargo xtask` builds write them: brotli 11 is too slow to do per request).
    let files = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(headers::cache_control(&name)),
        ))
        .service(ServeDir::new(&dist).precompressed_br().precompressed_gzip());
    match files
        .oneshot(Request::from_parts(parts, Body::empty()))
        .await
        .map(IntoResponse::into_response)
    {
        Ok(response) if response.status() != StatusCode::NOT_FOUND => response,
        _ => ApiError::NotFound(format!("nothing is at {path}")).into_response(),
    }
}

/// The console's page, for `/` and every client-side route, with the policy that allows
/// exactly its own inline code (computed from the bytes sent), never stored by caches.
async fn index(dist: &std::path::Path) -> Response {
    match tokio::fs::read_to_string(dist.join("index.html")).await {
        Ok(page) => (
            [
                (
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_str(&headers::console_policy(&page))
                        .unwrap_or_else(|_| HeaderValue::from_static(headers::DEFAULT_POLICY)),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static(headers::NEVER_STORE),
                ),
            ],
            Html(page),
        )
            .into_response(),
        Err(e) => ApiError::Internal(format!("console index: {e}")).into_response(),
    }
}
