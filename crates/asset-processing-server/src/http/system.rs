//! `GET /bin/guides/v1/system/status`: is the processing back end healthy? The AEM Guides
//! pages publish two fields, `isDatabase` (a database is in use) and `databaseConnectionCheck`
//! (`passed`/`failed`); this answer carries both, and this server's own: the database, the
//! queue, the workers. The database check is real: a write is committed (a full disk or a
//! database that cannot write reads `failed`), not only a read.

use asset_processing_api::SYSTEM_STATUS_PATH;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use super::auth::CurrentUser;
use super::documented::SignInErrors;
use super::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route(SYSTEM_STATUS_PATH, get(system_status))
}

/// The answer: `status` is `UP` when the database answers and writes, `DOWN` otherwise.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SystemStatus {
    /// `UP` or `DOWN`.
    pub status: String,
    /// Published: a database is in use (always, here).
    pub is_database: bool,
    /// Published: `passed` when the database answered and committed a write, else `failed`.
    pub database_connection_check: String,
    pub database: DatabaseStatus,
    pub queue: QueueStatus,
    pub workers: WorkerStatus,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseStatus {
    pub connected: bool,
    /// A write was committed just now.
    pub writable: bool,
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
        (status = 503, description = "The database does not answer", body = SystemStatus),
        SignInErrors,
    ))]
pub(super) async fn system_status(State(state): State<AppState>, _user: CurrentUser) -> Response {
    let (code, body) = check(&state).await;
    (code, Json(body)).into_response()
}

/// Asks the database: counts (it answers) and a committed write (it can write).
pub(super) async fn check(state: &AppState) -> (StatusCode, SystemStatus) {
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
    let writable = match state.store.call(write_probe).await {
        Ok(()) => true,
        Err(e) => {
            tracing::error!("system status: the database cannot write: {e}");
            false
        }
    };
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
    let healthy = connected && writable;
    let body = SystemStatus {
        status: if healthy { "UP" } else { "DOWN" }.into(),
        is_database: true,
        database_connection_check: if healthy { "passed" } else { "failed" }.into(),
        database: DatabaseStatus {
            connected,
            writable,
            size_bytes,
        },
        queue: QueueStatus { waiting, running },
        workers: WorkerStatus {
            busy: running.min(total),
            total,
        },
    };
    let code = if healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, body)
}

/// Commits a write that changes nothing: the schema version set to itself rewrites the
/// database's header page, so the commit goes through the WAL like any other (a full disk,
/// a read-only file or a broken journal fail it).
fn write_probe(conn: &mut rusqlite::Connection) -> crate::store::Result<()> {
    let tx = crate::store::write_tx(conn)?;
    let version: u32 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    tx.pragma_update(None, "user_version", version)?;
    tx.commit()?;
    Ok(())
}
