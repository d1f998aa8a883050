//! The job endpoints under `/bin/guides/v1/assets/process`: start, status, logs, download,
//! cancel, resume, history. Handlers only translate between HTTP and the store and engine.

use std::time::Duration;

use asset_processing_api::{
    check_start_json, endpoints, validate_start_request, ErrorBody, History, Job, LogPage,
    ProcessingIdBody, StartRequest, StartResponse, Status, API_BASE, HISTORY_LIMIT_DEFAULT,
    HISTORY_LIMIT_MAX, MAX_LOG_PAGE,
};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::auth::{CsrfChecked, CurrentUser};
use super::documented::{
    documented, ActionId, ApiErrors, CsrfHeader, DocumentedResponses, PostErrors,
};
use super::{download, ApiError, AppState};
use crate::clock::{now_ms, rfc3339};
use crate::engine::{group, Cancel};
use crate::repository::RepoError;
use crate::store::logs::{format_line, Level};
use crate::store::{jobs, logs, NewJob};

pub fn router() -> Router<AppState> {
    let at = |e: &str| format!("{API_BASE}{e}");
    Router::new()
        .route(&at(endpoints::START), post(start))
        .route(&at(endpoints::STATUS), get(status))
        .route(&at(endpoints::LOGS), get(logs_page))
        .route(&at(endpoints::DOWNLOAD), get(download_logs))
        .route(&at(endpoints::CANCEL), post(cancel))
        .route(&at(endpoints::RESUME), post(resume))
        .route(&at(endpoints::HISTORY), get(history))
}

/// The most jobs one user may have WAITING: beyond it a start is a 429, so one person (or a
/// script gone wrong) cannot fill the queue for everyone.
pub const MAX_WAITING_PER_USER: u64 = 20;
/// The `Retry-After` of that 429, in seconds: about when a place may be free again.
const RETRY_AFTER_FULL_QUEUE: u64 = 60;

/// A JSON body, with every way it can be wrong answered as a 400 that says what is wrong
/// (`what` names the body in the message: "a start request").
pub(super) fn json_body<T: serde::de::DeserializeOwned>(
    headers: &HeaderMap,
    body: &Bytes,
    what: &str,
) -> Result<T, ApiError> {
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type
        .to_ascii_lowercase()
        .starts_with("application/json")
    {
        return Err(ApiError::BadRequest(format!(
            "the request body must be JSON with Content-Type: application/json (got \"{content_type}\")"
        )));
    }
    serde_json::from_slice(body)
        .map_err(|e| ApiError::BadRequest(format!("the request body is not {what}: {e}")))
}

/// 404 for an endpoint that names a job by its `processingId` (documentation only).
struct NoSuchJob;

impl utoipa::IntoResponses for NoSuchJob {
    fn responses() -> DocumentedResponses {
        [documented(StatusCode::NOT_FOUND, "No such job")].into()
    }
}

/// `POST .../process`: validates, queues, answers the new id.
#[utoipa::path(post, path = "/bin/guides/v1/assets/process", tag = "jobs",
    request_body(content = StartRequest, content_type = "application/json"),
    params(CsrfHeader),
    responses(
        (status = 200, description = "The job is queued", body = StartResponse),
        (status = 429, description = "The user already has the most runs waiting that one user may have; Retry-After says when to try again", body = ErrorBody),
        ApiErrors, PostErrors,
    ))]
pub(super) async fn start(
    State(state): State<AppState>,
    CsrfChecked(user): CsrfChecked,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<StartResponse>, ApiError> {
    let raw: serde_json::Value = json_body(&headers, &body, "a valid start request")?;
    if !raw.is_object() {
        return Err(ApiError::BadRequest(
            "the request body is not a valid start request: expected a JSON object".into(),
        ));
    }
    check_start_json(&raw).map_err(|e| ApiError::BadRequest(e.message))?;
    let request: StartRequest = serde_json::from_value(raw).map_err(|e| {
        ApiError::BadRequest(format!(
            "the request body is not a valid start request: {e}"
        ))
    })?;
    let request = validate_start_request(&request).map_err(|e| ApiError::BadRequest(e.message))?;
    match state.repo.kind(&request.path) {
        Ok(_) => {}
        Err(RepoError::NotFound) => {
            return Err(ApiError::BadRequest(format!(
                "path {} does not exist in the repository",
                request.path
            )))
        }
        Err(e) => return Err(ApiError::BadRequest(format!("path {} {e}", request.path))),
    }
    let filter = request.filter.clone().unwrap_or_default();
    let job = NewJob {
        id: uuid::Uuid::new_v4().to_string(),
        path: request.path.clone(),
        excluded_paths: request.excluded_paths.clone(),
        kind: request.kind.clone(),
        filter: filter.clone(),
        created_by: user.0.clone(),
        created_at: now_ms(),
    };
    let mut what = format!("Queued by {}: {} ({})", user.0, request.path, request.kind);
    if !request.excluded_paths.is_empty() {
        what.push_str(&format!(
            "; excluding {}",
            request.excluded_paths.join(", ")
        ));
    }
    if !filter.file_types.is_empty() {
        let names: Vec<&str> = filter.file_types.iter().map(|c| c.as_str()).collect();
        what.push_str(&format!("; file types {}", names.join(", ")));
    }
    match (filter.start_time, filter.end_time) {
        (Some(from), Some(until)) => what.push_str(&format!(
            "; created from {} to {}",
            rfc3339(from),
            rfc3339(until)
        )),
        (Some(from), None) => what.push_str(&format!("; created from {}", rfc3339(from))),
        (None, Some(until)) => what.push_str(&format!("; created until {}", rfc3339(until))),
        (None, None) => {}
    }
    if filter.filter_processed_assets {
        what.push_str("; skipping assets unchanged since their last processing");
    }
    let line = format_line(job.created_at, Level::Info, &what);
    let id = job.id.clone();
    let queued = state
        .store
        .call(move |conn| jobs::queue_if_room(conn, &job, &line, MAX_WAITING_PER_USER))
        .await?;
    if !queued {
        return Err(ApiError::TooManyRequests {
            message: format!(
                "you already have {MAX_WAITING_PER_USER} runs waiting to start, the most one \
                 user may have; start this one once one of them has started, or cancel one"
            ),
            retry_after_secs: RETRY_AFTER_FULL_QUEUE,
        });
    }
    state.engine.wake();
    Ok(Json(StartResponse { processing_id: id }))
}

#[derive(Deserialize)]
pub(super) struct IdQuery {
    #[serde(rename = "processingId")]
    processing_id: Option<String>,
}

fn required_id(id: Option<String>) -> Result<String, ApiError> {
    match id.map(|s| s.trim().to_string()) {
        Some(id) if !id.is_empty() => Ok(id),
        _ => Err(ApiError::BadRequest("processingId is required".into())),
    }
}

async fn job_or_404(state: &AppState, id: String) -> Result<Job, ApiError> {
    let shown = id.clone();
    state
        .store
        .job(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no job has the processingId \"{shown}\"")))
}

/// `GET .../status?processingId=`.
#[utoipa::path(get, path = "/bin/guides/v1/assets/process/status", tag = "jobs",
    params(("processingId" = String, Query, min_length = 1, description = "The job's id")),
    responses(
        (status = 200, description = "The job", body = Job),
        ApiErrors, NoSuchJob,
    ))]
pub(super) async fn status(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(q): Query<IdQuery>,
) -> Result<Json<Job>, ApiError> {
    let id = required_id(q.processing_id)?;
    Ok(Json(job_or_404(&state, id).await?))
}

#[derive(Deserialize)]
pub(super) struct LogsQuery {
    #[serde(rename = "processingId")]
    processing_id: Option<String>,
    offset: Option<String>,
    limit: Option<String>,
    tail: Option<String>,
}

fn number(name: &str, raw: Option<&str>, min: u64, max: u64) -> Result<Option<u64>, ApiError> {
    let Some(raw) = raw else { return Ok(None) };
    match raw.trim().parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err(ApiError::BadRequest(format!(
            "{name} must be a whole number from {} to {} (got \"{raw}\")",
            group(min),
            group(max)
        ))),
    }
}

/// `GET .../logs?processingId=&tail=N` or `&offset=&limit=`.
#[utoipa::path(get, path = "/bin/guides/v1/assets/process/logs", tag = "jobs",
    params(
        ("processingId" = String, Query, min_length = 1, description = "The job's id"),
        ("offset" = Option<u64>, Query, minimum = 0, maximum = 9223372036854775807u64, description = "First line (0-based)"),
        ("limit" = Option<u64>, Query, minimum = 1, maximum = 1000, description = "Lines to read, 1 to 1,000 (default 1,000)"),
        ("tail" = Option<u64>, Query, minimum = 1, maximum = 1000, description = "The last N lines, 1 to 1,000; not with offset/limit"),
    ),
    responses(
        (status = 200, description = "A page of the log", body = LogPage),
        ApiErrors, NoSuchJob,
    ))]
pub(super) async fn logs_page(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(q): Query<LogsQuery>,
) -> Result<Json<LogPage>, ApiError> {
    let id = required_id(q.processing_id)?;
    let tail = number("tail", q.tail.as_deref(), 1, MAX_LOG_PAGE)?;
    let offset = number("offset", q.offset.as_deref(), 0, i64::MAX as u64)?;
    let limit = number("limit", q.limit.as_deref(), 1, MAX_LOG_PAGE)?;
    if tail.is_some() && (offset.is_some() || limit.is_some()) {
        return Err(ApiError::BadRequest(
            "give either tail, or offset and limit, not both".into(),
        ));
    }
    let shown = id.clone();
    let page = state
        .store
        .call(move |conn| {
            let Some(len) = logs::len(conn, &id)? else {
                return Ok(None);
            };
            let (offset, limit) = match tail {
                Some(n) => (len.saturating_sub(n), n),
                None => (offset.unwrap_or(0), limit.unwrap_or(MAX_LOG_PAGE)),
            };
            let lines = if offset >= len {
                Vec::new()
            } else {
                logs::range(conn, &id, offset, limit)?
            };
            let has_more = offset.saturating_add(lines.len() as u64) < len;
            Ok(Some(LogPage {
                lines,
                limit,
                offset,
                has_more,
            }))
        })
        .await?;
    page.map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no job has the processingId \"{shown}\"")))
}

/// `GET .../logs/download?processingId=`: the log as a ZIP, streamed.
#[utoipa::path(get, path = "/bin/guides/v1/assets/process/logs/download", tag = "jobs",
    params(("processingId" = String, Query, min_length = 1, description = "The job's id")),
    responses(
        (status = 200, description = "The job's log file in a ZIP", content_type = "application/zip", body = Vec<u8>),
        ApiErrors, NoSuchJob,
    ))]
pub(super) async fn download_logs(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(q): Query<IdQuery>,
) -> Result<Response, ApiError> {
    let id = required_id(q.processing_id)?;
    let job = job_or_404(&state, id).await?;
    download::zip_response(&state, &job)
}

/// The id of a cancel or resume: query parameter, or JSON body `{"processingId": ...}`.
fn action_id(q: IdQuery, headers: &HeaderMap, body: &Bytes) -> Result<String, ApiError> {
    if let Some(id) = q.processing_id {
        return required_id(Some(id));
    }
    if body.is_empty() {
        return Err(ApiError::BadRequest(
            "processingId is required (query parameter or JSON body)".into(),
        ));
    }
    let parsed: ProcessingIdBody =
        json_body(headers, body, "a valid {\"processingId\": ...} body")?;
    required_id(Some(parsed.processing_id))
}

/// Runs a blocking engine call (it waits on SQLite and on workers) off the async threads.
async fn on_engine<T, F>(state: &AppState, call: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&crate::engine::Engine) -> Result<T, crate::store::StoreError> + Send + 'static,
{
    let engine = state.engine.clone();
    tokio::task::spawn_blocking(move || call(&engine))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(ApiError::from)
}

/// `POST .../cancel`.
#[utoipa::path(post, path = "/bin/guides/v1/assets/process/cancel", tag = "jobs",
    params(ActionId, CsrfHeader),
    request_body(content = Option<ProcessingIdBody>, content_type = "application/json"),
    responses(
        (status = 200, description = "The job after the change", body = Job),
        (status = 409, description = "The job's state does not allow it to be cancelled", body = ErrorBody),
        ApiErrors, PostErrors, NoSuchJob,
    ))]
pub(super) async fn cancel(
    State(state): State<AppState>,
    CsrfChecked(user): CsrfChecked,
    Query(q): Query<IdQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Job>, ApiError> {
    let id = action_id(q, &headers, &body)?;
    let (job_id, who) = (id.clone(), user.0);
    let outcome = on_engine(&state, move |e| {
        // The request is recorded before this returns; the short wait only lets a quick
        // job answer CANCELLED rather than RUNNING (and stopping at its next commit).
        e.cancel(&job_id, &who, Duration::from_secs(2))
    })
    .await?;
    match outcome {
        Cancel::NotFound => Err(ApiError::NotFound(format!(
            "no job has the processingId \"{id}\""
        ))),
        Cancel::NotAllowed => {
            let job = job_or_404(&state, id).await?;
            Err(ApiError::Conflict(format!(
                "job {} is {}; only WAITING or RUNNING jobs can be cancelled",
                job.processing_id, job.status
            )))
        }
        Cancel::Done => Ok(Json(job_or_404(&state, id).await?)),
    }
}

/// `POST .../resume`.
#[utoipa::path(post, path = "/bin/guides/v1/assets/process/resume", tag = "jobs",
    params(ActionId, CsrfHeader),
    request_body(content = Option<ProcessingIdBody>, content_type = "application/json"),
    responses(
        (status = 200, description = "The job after the change", body = Job),
        (status = 409, description = "The job's state does not allow it to be resumed", body = ErrorBody),
        ApiErrors, PostErrors, NoSuchJob,
    ))]
pub(super) async fn resume(
    State(state): State<AppState>,
    CsrfChecked(user): CsrfChecked,
    Query(q): Query<IdQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Job>, ApiError> {
    let id = action_id(q, &headers, &body)?;
    let job = job_or_404(&state, id.clone()).await?;
    let (job_id, who) = (id.clone(), user.0);
    let resumed = on_engine(&state, move |e| e.resume(&job_id, &who)).await?;
    if !resumed {
        let why = match job.status {
            Status::Waiting | Status::Running => format!("job {id} is {}; only FAILED or CANCELLED jobs can be resumed", job.status),
            Status::Success => format!("job {id} finished successfully; there is nothing to resume (restart it to run it again)"),
            _ if !job.resumable => format!(
                "job {id} has no checkpoint (it stopped before its assets were counted); restart it instead"
            ),
            _ => format!("job {id} cannot be resumed in its current state ({})", job.status),
        };
        return Err(ApiError::Conflict(why));
    }
    Ok(Json(job_or_404(&state, id).await?))
}

#[derive(Deserialize)]
pub(super) struct HistoryQuery {
    limit: Option<String>,
}

/// `GET .../history?limit=N`: the last N runs, newest first.
#[utoipa::path(get, path = "/bin/guides/v1/assets/process/history", tag = "jobs",
    params(("limit" = Option<u32>, Query, minimum = 1, maximum = 100, description = "How many runs, 1 to 100 (default 10)")),
    responses(
        (status = 200, description = "The last runs, newest first", body = History),
        ApiErrors,
    ))]
pub(super) async fn history(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(query): Query<HistoryQuery>,
) -> Result<Json<History>, ApiError> {
    let limit = number(
        "limit",
        query.limit.as_deref(),
        1,
        u64::from(HISTORY_LIMIT_MAX),
    )?
    .map(|n| n as u32)
    .unwrap_or(HISTORY_LIMIT_DEFAULT);
    let execution_history = state.store.history(limit).await?;
    Ok(Json(History { execution_history }))
}
