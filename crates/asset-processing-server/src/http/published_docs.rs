//! `--variant published-docs`: the server answers the way the published pages also allow
//! (contract: "Tolerate what the published pages leave open"), so the console's e2e flows
//! can prove it copes with both readings. Off by default; nothing here changes the
//! reference answers. In this variant:
//! - the log download answers JSON `{"logFilePaths": [...]}` naming plain-text log files
//!   (served below [`LOG_FILES`]) instead of a ZIP;
//! - categories are accepted in any case on a start request (it echoes them lower case, so a
//!   console's restart sends them back that way);
//! - history ignores `limit` and always answers its own [`OWN_HISTORY_SIZE`] runs;
//! - `eta.unit` is a lower-case word ("seconds") and a filter's categories are echoed in
//!   lower case ("ditamap"): words a console does not know and must show as they come.

use asset_processing_api::{endpoints, API_BASE};
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use super::auth::CurrentUser;
use super::{ApiError, AppState};
use crate::store::logs;

/// Where the log files named by `logFilePaths` are served (as AEM Guides keeps them under /var).
pub const LOG_FILES: &str = "/var/dxml/asset-processing/logs";
/// The history size this variant answers whatever `limit` asked.
pub const OWN_HISTORY_SIZE: u32 = 20;

pub fn router() -> Router<AppState> {
    Router::new().route(&format!("{LOG_FILES}/{{file}}"), get(log_file))
}

/// Rewrites requests and answers of the job endpoints as described at the top.
pub async fn rewrite(State(_state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let download = format!("{API_BASE}{}", endpoints::DOWNLOAD);
    let history = format!("{API_BASE}{}", endpoints::HISTORY);
    if path == download {
        let id = query_value(request.uri(), "processingId").unwrap_or_default();
        // The answer still needs the job to exist and the person signed in: ask the
        // status endpoint's rules by letting the request through to it first.
        let status_uri = format!(
            "{API_BASE}{}?processingId={}",
            endpoints::STATUS,
            encode(&id)
        );
        *request.uri_mut() = status_uri.parse().unwrap_or_else(|_| request.uri().clone());
        let answer = next.run(request).await;
        if answer.status() != StatusCode::OK {
            return answer;
        }
        return Json(json!({ "logFilePaths": [format!("{LOG_FILES}/{}.log", encode(&id))] }))
            .into_response();
    }
    if path == API_BASE && request.method() == axum::http::Method::POST {
        let (parts, body) = request.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, 256 * 1024).await else {
            return (StatusCode::PAYLOAD_TOO_LARGE, "body too large").into_response();
        };
        let bytes = match serde_json::from_slice::<Value>(&bytes) {
            Ok(mut value) => {
                if let Some(types) = value
                    .pointer_mut("/filter/fileTypes")
                    .and_then(Value::as_array_mut)
                {
                    for t in types.iter_mut() {
                        if let Some(word) = t.as_str() {
                            *t = Value::String(word.to_ascii_uppercase());
                        }
                    }
                }
                serde_json::to_vec(&value).unwrap_or_default().into()
            }
            Err(_) => bytes,
        };
        let mut parts = parts;
        parts.headers.remove(header::CONTENT_LENGTH);
        request = Request::from_parts(parts, Body::from(bytes));
    }
    if path == history {
        let uri: Uri = format!("{history}?limit={OWN_HISTORY_SIZE}")
            .parse()
            .expect("a fixed URI");
        *request.uri_mut() = uri;
    }
    let answer = next.run(request).await;
    let is_json = answer
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !path.starts_with(API_BASE) || !is_json || answer.status() != StatusCode::OK {
        return answer;
    }
    let (mut parts, body) = answer.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "answer too large").into_response();
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    match value
        .get_mut("executionHistory")
        .and_then(Value::as_array_mut)
    {
        Some(jobs) => jobs.iter_mut().for_each(reword_job),
        None => reword_job(&mut value),
    }
    let body = serde_json::to_vec(&value).unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}

/// Lower-case words where the reference server sends the contract's upper-case ones.
fn reword_job(job: &mut Value) {
    if let Some(unit) = job.pointer_mut("/eta/unit") {
        if let Some(word) = unit.as_str() {
            *unit = Value::String(word.to_ascii_lowercase());
        }
    }
    if let Some(types) = job
        .pointer_mut("/filter/fileTypes")
        .and_then(Value::as_array_mut)
    {
        for t in types.iter_mut() {
            if let Some(word) = t.as_str() {
                *t = Value::String(word.to_ascii_lowercase());
            }
        }
    }
}

/// `GET /var/dxml/asset-processing/logs/<processingId>.log`: a job's whole log as text.
async fn log_file(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let id = file.strip_suffix(".log").unwrap_or(&file).to_string();
    let shown = id.clone();
    let text = state
        .store
        .call(move |conn| {
            let Some(len) = logs::len(conn, &id)? else {
                return Ok(None);
            };
            let mut text = String::new();
            let mut offset = 0;
            while offset < len {
                for line in logs::range(conn, &id, offset, 1_000)? {
                    text.push_str(&line);
                    text.push('\n');
                }
                offset += 1_000;
            }
            Ok(Some(text))
        })
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no log file for \"{shown}\"")))?;
    let mut response = text.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    Ok(response)
}

fn query_value(uri: &Uri, name: &str) -> Option<String> {
    uri.query()?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Keeps an id that came percent-encoded in a query as it was; encodes anything else that
/// could break a path or query (ids are UUIDs, so this is only a guard).
fn encode(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '%'))
        .collect()
}
