//! An imitation of the AEM page the console is installed into (`cargo xtask aem-package`):
//! a Granite-like shell with its own header and its own (deliberately careless) styles, the
//! console mounted under `/apps/asset-processing-console/content/asset-processing.html`
//! with its routes in the Sling suffix, and the clientlib served the way AEM serves it,
//! `.wasm` included with AEM's default MIME type (application/octet-stream). As Granite's
//! shell page does, it includes the clientlib in `<head>`, before the mount element exists.
//! It exists so the embedded case is tested for real; it is on only with `--aem-shell DIR`
//! (`target/aem/dist`: the console's build for AEM, with the loader that names its
//! content-hashed wasm and glue, and `frame.html`, the frame the package's mount component
//! paints inside the mount element before the wasm has run).

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

use super::auth::CurrentUser;
use super::{ApiError, AppState};

pub const PAGE: &str = "/apps/asset-processing-console/content/asset-processing.html";
const CLIENTLIB: &str = "/etc.clientlibs/asset-processing-console/clientlibs";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(PAGE, get(page))
        .route(&format!("{PAGE}/{{*suffix}}"), get(page))
        .route(&format!("{CLIENTLIB}/console.js"), get(loader))
        .route(&format!("{CLIENTLIB}/console.css"), get(styles))
        .route(
            &format!("{CLIENTLIB}/console/resources/{{file}}"),
            get(resource),
        )
}

/// The page, for any suffix: the console's router reads the suffix.
async fn page(
    State(state): State<AppState>,
    user: Result<CurrentUser, ApiError>,
    uri: Uri,
) -> Response {
    if state.config.aem_shell.is_none() {
        return ApiError::NotFound(format!("nothing is at {}", uri.path())).into_response();
    }
    if user.is_err() {
        // As AEM does for a page: to the login page, and back here afterwards.
        let back = uri.path_and_query().map(|p| p.as_str()).unwrap_or(PAGE);
        let encoded = super::auth::percent_encode_query(back);
        return Redirect::to(&format!(
            "{}?resource={encoded}",
            asset_processing_api::LOGIN_PAGE_PATH
        ))
        .into_response();
    }
    let frame = match &state.config.aem_shell {
        Some(dir) => tokio::fs::read_to_string(dir.join("frame.html"))
            .await
            .unwrap_or_default(),
        None => String::new(),
    };
    Html(format!(
        r#"<!DOCTYPE html>
<html lang="en" class="coral--light">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Asset Processing | Adobe Experience Manager</title>
<link rel="icon" href="data:,">
<style>
  /* The host page's own styles, as careless as real ones: they must not reach the console. */
  * {{ font-family: Georgia, serif; }}
  body {{ margin: 0; background: #e8e8e8; color: #303030; line-height: 2; }}
  button {{ background: hotpink; color: black; border: 3px dotted black; text-transform: uppercase; }}
  table {{ border: 4px solid red; }}
  td, th {{ padding: 20px; }}
  h1 {{ font-size: 40px; color: green; }}
  a {{ color: orange; }}
  input, select {{ background: yellow; }}
  ul {{ list-style: square; padding-left: 60px; }}
  .shell-header {{ display: flex; align-items: center; gap: 16px; height: 48px; padding: 0 16px; background: #323232; color: #fff; }}
  .shell-header h1 {{ font-size: 16px; color: #fff; margin: 0; }}
  .shell-content {{ padding: 0; }}
</style>
<link rel="stylesheet" href="{CLIENTLIB}/console.css">
<!-- Granite's includeclientlibs writes the category's script here, in <head>. -->
<script src="{CLIENTLIB}/console.js"></script>
</head>
<body>
<header class="shell-header" id="shell-header">
  <h1 id="shell-title">Adobe Experience Manager</h1>
  <button type="button" id="shell-button">Help</button>
  <table id="shell-table"><tr><td>Tools</td></tr></table>
</header>
<div class="shell-content">
  <div id="asset-processing-console" data-api-base="" data-base="{PAGE}">{frame}</div>
</div>
</body>
</html>"#
    ))
    .into_response()
}

async fn file(state: &AppState, name: &str, content_type: &'static str) -> Response {
    let Some(dir) = state.config.aem_shell.clone() else {
        return ApiError::NotFound(format!("nothing is at {name}")).into_response();
    };
    if name.contains('/') || name.contains("..") || name.starts_with('.') {
        return ApiError::NotFound(format!("nothing is at {name}")).into_response();
    }
    match tokio::fs::read(dir.join(name)).await {
        Ok(bytes) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
            Body::from(bytes),
        )
            .into_response(),
        Err(_) => ApiError::NotFound(format!("nothing is at {name}")).into_response(),
    }
}

async fn loader(State(state): State<AppState>) -> Response {
    file(&state, "loader.js", "application/javascript").await
}

async fn styles(State(state): State<AppState>) -> Response {
    file(&state, "console.css", "text/css").await
}

/// Clientlib resources with AEM's MIME table: no entry for .wasm.
async fn resource(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    let content_type = match name.rsplit('.').next() {
        Some("js") => "application/javascript",
        Some("css") => "text/css",
        _ => "application/octet-stream",
    };
    file(&state, &name, content_type).await
}
