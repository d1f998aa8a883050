//! `GET /bin/guides/v1/system/status`: is the processing back end healthy? The published
//! page shows a JSON object about the database's use and connection; a console must not
//! depend on its exact fields, so this one is small: the database, the queue, the workers.

use asset_processing_api::{ErrorBody, SYSTEM_STATUS_PATH};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use super::auth::CurrentUser;
use super::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route(SYSTEM_STATUS_PATH, get(system_status))
}

/// The answer: `status` is `UP` when the database answers, `DOWN` otherwise.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SystemStatus {
    /// `UP` or `DOWN`.
    pub status: String,
    pub database: DatabaseStatus,
    pub queue: QueueStatus,
    pub workers: WorkerStatus,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseStatus {
    pub connected: bool,
    /// The database file's size on disk.
    pub size_bytes: u64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct QueueStatus {
    /// Jobs waiting for a worker.
    pub waiting: u64,
    /// Jobs being processed.
    pub running: u64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct WorkerStatus {
    pub busy: u64,
    pub total: u64,
}

/// `GET /bin/guides/v1/system/status`: 200 when healthy, 503 (same shape) when not.
#[utoipa::path(get, path = "/bin/guides/v1/system/status", tag = "system",
    responses(
        (status = 200, description = "The back end is healthy", body = SystemStatus),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 503, description = "The database does not answer", body = SystemStatus),
    ))]
pub(super) async fn system_status(State(state): State<AppState>, _user: CurrentUser) -> Response {
    let counts = state
        .store
        .call(|conn| {
            let count = |status: &str| -> rusqlite::Result<u64> {
                conn.query_row(
                    "SELECT COUNT(*) FROM jobs WHERE status = ?1",
                    [status],
                    |r| r.get::<_, i64>(0),
                )
                .map(|n| n.max(0) as u64)
            };
            Ok((count("WAITING")?, count("RUNNING")?))
        })
        .await;
    let total = state.config.workers as u64;
    let size_bytes = std::fs::metadata(state.store.file())
        .map(|m| m.len())
        .unwrap_or(0);
    let (connected, waiting, running) = match counts {
        Ok((waiting, running)) => (true, waiting, running),
        Err(e) => {
            tracing::error!("system status: the database does not answer: {e}");
            (false, 0, 0)
        }
    };
    let body = SystemStatus {
        status: if connected { "UP" } else { "DOWN" }.into(),
        database: DatabaseStatus {
            connected,
            size_bytes,
        },
        queue: QueueStatus { waiting, running },
        workers: WorkerStatus {
            busy: running.min(total),
            total,
        },
    };
    let code = if connected {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, Json(body)).into_response()
}
