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
//!   lower case ("ditamap"): words a console does not know and must show as they come;
//! - cancel and resume read the id only from a JSON body `{"processingId": "..."}`, as the
//!   AEM Guides workflow page sends it (a query alone is a 400 that says so), and answer an
//!   empty 200, as the pages give no answer body;
//! - the system status answers exactly the published shape, `{"isDatabase": true,
//!   "databaseConnectionCheck": "passed"|"failed"}`, always with a 200;
//! - the system processes `/content/dam` by itself at start and every 15 minutes, as AEM
//!   Guides does (runs created by `system`); such a run that ended with failed assets reads
//!   `COMPLETED WITH ERRORS`, the post-processing event's word, which the contract never names.

use std::time::Duration;

use asset_processing_api::{endpoints, ProcessingType, API_BASE, SYSTEM_STATUS_PATH};
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
use crate::clock::now_ms;
use crate::store::logs::{self, format_line, Level};
use crate::store::{jobs, NewJob};

/// Where the log files named by `logFilePaths` are served (as AEM Guides keeps them under /var).
pub const LOG_FILES: &str = "/var/dxml/asset-processing/logs";
/// The history size this variant answers whatever `limit` asked.
pub const OWN_HISTORY_SIZE: u32 = 20;
/// Who the runs the system starts by itself are created by.
pub const SYSTEM_USER: &str = "system";
/// How often the system processes `/content/dam` by itself (AEM Guides: every 15 minutes).
pub const SYSTEM_RUN_EVERY: Duration = Duration::from_secs(15 * 60);
/// The word a system run that ended with failed assets reads (the post-processing event's).
pub const COMPLETED_WITH_ERRORS: &str = "COMPLETED WITH ERRORS";

pub fn router() -> Router<AppState> {
    Router::new().route(&format!("{LOG_FILES}/{{file}}"), get(log_file))
}

/// Rewrites requests and answers of the job endpoints as described at the top.
pub async fn rewrite(State(_state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let is_post = request.method() == axum::http::Method::POST;
    if is_post
        && [endpoints::CANCEL, endpoints::RESUME]
            .iter()
            .any(|e| path == format!("{API_BASE}{e}"))
    {
        return strict_action(request, next).await;
    }
    if path == SYSTEM_STATUS_PATH {
        return published_status(next.run(request).await).await;
    }
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

/// Cancel or resume as the workflow page sends them: the id only from the JSON body, and
/// an empty 200 for an accepted action.
async fn strict_action(request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 256 * 1024).await else {
        return ApiError::BadRequest("the request body is too large".into()).into_response();
    };
    let id = serde_json::from_slice::<Value>(&bytes)
        .ok()
        .and_then(|v| {
            v.get("processingId")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .filter(|id| !id.trim().is_empty());
    let Some(id) = id else {
        return ApiError::BadRequest(
            "processingId is required in a JSON body {\"processingId\": \"...\"} \
             (this server reads it only there, as the AEM Guides workflow page sends it)"
                .into(),
        )
        .into_response();
    };
    // The handler reads the body's id: the query (if any) goes, so only the body speaks.
    parts.uri = parts
        .uri
        .path()
        .parse()
        .unwrap_or_else(|_| parts.uri.clone());
    let body = serde_json::to_vec(&json!({ "processingId": id })).unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let answer = next.run(Request::from_parts(parts, Body::from(body))).await;
    if answer.status() != StatusCode::OK {
        return answer;
    }
    StatusCode::OK.into_response()
}

/// The system status in exactly the published shape, always a 200 (a sign-in or other
/// error answer passes as it came).
async fn published_status(answer: Response) -> Response {
    let status = answer.status();
    if status != StatusCode::OK && status != StatusCode::SERVICE_UNAVAILABLE {
        return answer;
    }
    let Ok(bytes) = axum::body::to_bytes(answer.into_body(), 1024 * 1024).await else {
        return ApiError::Internal("system status answer too large".into()).into_response();
    };
    let own: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let check = own
        .get("databaseConnectionCheck")
        .and_then(Value::as_str)
        .unwrap_or("failed");
    Json(json!({ "isDatabase": true, "databaseConnectionCheck": check })).into_response()
}

/// Starts the system's own runs of `/content/dam`: one now, then every [`SYSTEM_RUN_EVERY`].
pub fn spawn_system_runs(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(SYSTEM_RUN_EVERY);
        loop {
            every.tick().await;
            if let Err(e) = start_system_run(&state).await {
                tracing::error!("the system's own run of /content/dam did not start: {e:?}");
            }
        }
    })
}

/// Queues a run of the whole repository created by [`SYSTEM_USER`].
async fn start_system_run(state: &AppState) -> Result<(), ApiError> {
    let job = NewJob {
        id: uuid::Uuid::new_v4().to_string(),
        path: "/content/dam".into(),
        excluded_paths: vec![],
        kind: ProcessingType::AssetProcessing,
        filter: Default::default(),
        created_by: SYSTEM_USER.into(),
        created_at: now_ms(),
    };
    let line = format_line(
        job.created_at,
        Level::Info,
        "Queued by system: /content/dam (ASSET_PROCESSING), the scheduled processing of every asset",
    );
    state
        .store
        .call(move |conn| jobs::insert_with_log(conn, &job, &line))
        .await?;
    state.engine.wake();
    Ok(())
}

/// The number before " failed" in a job's comments ("1,991 processed, 1 failed, 0 skipped.").
fn failed_count(comments: &str) -> u64 {
    let Some(end) = comments.find(" failed") else {
        return 0;
    };
    let digits: String = comments[..end]
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().unwrap_or(0)
}

/// Lower-case words where the reference server sends the contract's upper-case ones, and
/// the post-processing event's word for a system run that ended with failed assets.
fn reword_job(job: &mut Value) {
    let system_run = job.get("createdBy").and_then(Value::as_str) == Some(SYSTEM_USER);
    let with_errors = job
        .get("comments")
        .and_then(Value::as_str)
        .is_some_and(|c| failed_count(c) > 0);
    if let Some(status) = job.get_mut("status") {
        if system_run && with_errors && status.as_str() == Some("SUCCESS") {
            *status = Value::String(COMPLETED_WITH_ERRORS.into());
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_system_run_with_failures_reads_completed_with_errors_and_no_other_run_does() {
        let job = |by: &str, status: &str, comments: &str| {
            let mut v = json!({"createdBy": by, "status": status, "comments": comments});
            reword_job(&mut v);
            v["status"].as_str().unwrap().to_string()
        };
        assert_eq!(
            job("system", "SUCCESS", "1,991 processed, 1 failed, 0 skipped."),
            COMPLETED_WITH_ERRORS
        );
        assert_eq!(
            job("system", "SUCCESS", "1,992 processed, 0 failed, 0 skipped."),
            "SUCCESS"
        );
        assert_eq!(
            job("admin", "SUCCESS", "1,991 processed, 1 failed, 0 skipped."),
            "SUCCESS"
        );
        assert_eq!(job("system", "RUNNING", ""), "RUNNING");
        assert_eq!(failed_count("12,345 processed, 1,002 failed"), 1_002);
        assert_eq!(failed_count("Interrupted"), 0);
    }
}
