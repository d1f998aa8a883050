//! The per-asset status API: `POST /bin/guides/v1/assets/status` starts a look-up,
//! `GET /bin/guides/v1/assets/status?jobId=` reads it (`crate::lookup` does the work).

use asset_processing_api::{
    validate_asset_status_request, AssetStatusReport, AssetStatusRequest, AssetStatusStarted,
    ErrorBody, Status, ASSET_STATUS_PATH,
};
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, Extensions, HeaderMap, StatusCode, Version};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::{CompressionLayer, CompressionLevel};

use super::auth::{CsrfChecked, CurrentUser};
use super::documented::{ApiErrors, CsrfHeader, PostErrors};
use super::jobs::json_body;
use super::{ApiError, AppState};
use crate::lookup::write_report;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(ASSET_STATUS_PATH, get(report).post(start))
        .layer(fast_compression())
}

/// A look-up's answer is large (about 123 MB of JSON for a million assets) and made as it is
/// sent, so it is compressed at the codecs' fastest levels (brotli 0, gzip 1): the server's
/// default (brotli 4) took 3.5 s for a million assets on one core, longer than the console
/// took to read it; brotli 0 takes about 1.2 s. Only successful answers: an error goes on to
/// `error::json_errors`, which may rewrite its body, and the server's own compression then
/// takes it.
fn fast_compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .quality(CompressionLevel::Fastest)
        .compress_when(DefaultPredicate::new().and(
            |status: StatusCode, _: Version, _: &HeaderMap, _: &Extensions| status.is_success(),
        ))
}

/// `POST /bin/guides/v1/assets/status`: validates the paths and starts the look-up.
#[utoipa::path(post, path = "/bin/guides/v1/assets/status", tag = "assets",
    request_body(content = AssetStatusRequest, content_type = "application/json"),
    params(CsrfHeader),
    responses(
        (status = 200, description = "The look-up is queued", body = AssetStatusStarted),
        ApiErrors, PostErrors,
    ))]
pub(super) async fn start(
    State(state): State<AppState>,
    CsrfChecked(_user): CsrfChecked,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<AssetStatusStarted>, ApiError> {
    let request: AssetStatusRequest =
        json_body(&headers, &body, "a valid per-asset status request")?;
    let (paths, excluded) =
        validate_asset_status_request(&request).map_err(|e| ApiError::BadRequest(e.message))?;
    let job_id = state.lookups.start(paths, excluded);
    Ok(Json(AssetStatusStarted {
        job_id,
        status: Status::Waiting,
    }))
}

#[derive(Deserialize)]
pub(super) struct JobIdQuery {
    #[serde(rename = "jobId")]
    job_id: Option<String>,
}

/// `GET /bin/guides/v1/assets/status?jobId=`: the look-up and, once SUCCESS, its assets.
/// The answer is one JSON document, as published, streamed as it is written (a look-up of a
/// million assets is about 150 MB of JSON, never held whole): a blocking task writes it in
/// pieces into a small channel, so a slow reader holds back the writing.
#[utoipa::path(get, path = "/bin/guides/v1/assets/status", tag = "assets",
    params(("jobId" = String, Query, min_length = 1, description = "The look-up's id")),
    responses(
        (status = 200, description = "The look-up; `assets` is filled once it is SUCCESS", body = AssetStatusReport),
        (status = 404, description = "No such look-up", body = ErrorBody),
        ApiErrors,
    ))]
pub(super) async fn report(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(q): Query<JobIdQuery>,
) -> Result<Response, ApiError> {
    let id = match q.job_id.map(|s| s.trim().to_string()) {
        Some(id) if !id.is_empty() => id,
        _ => return Err(ApiError::BadRequest("jobId is required".into())),
    };
    let answer = state.lookups.get(&id).ok_or_else(|| {
        ApiError::NotFound(format!(
            "no per-asset status look-up has the jobId \"{id}\""
        ))
    })?;
    let (pieces, body) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::task::spawn_blocking(move || {
        let written = write_report(&answer, PIECE, |piece| {
            pieces.blocking_send(Ok(Bytes::from(piece))).is_ok()
        });
        if let Err(e) = written {
            // Cannot happen for these types; the reader then sees a cut answer, not a
            // complete wrong one.
            tracing::error!("per-asset status answer {}: {e}", answer.job_id);
            let _ = pieces.blocking_send(Err(std::io::Error::other(e)));
        }
    });
    let stream = tokio_stream::wrappers::ReceiverStream::new(body);
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        Body::from_stream(stream),
    )
        .into_response())
}

/// The size of a piece of a streamed answer.
const PIECE: usize = 64 * 1024;
