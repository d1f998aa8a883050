//! The job endpoints under `/bin/guides/v1/assets/process`.

use asset_processing_api::{endpoints, History, API_BASE, HISTORY_LIMIT_DEFAULT, HISTORY_LIMIT_MAX};
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use super::{ApiError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route(&format!("{API_BASE}{}", endpoints::HISTORY), get(history))
}

#[derive(Deserialize)]
struct HistoryQuery {
    limit: Option<String>,
}

/// `GET .../history?limit=N`: the last N runs, newest first.
async fn history(
    State(state): State<AppState>,
    Query(query): Query<HistoryQuery>,
) -> Result<Json<History>, ApiError> {
    let limit = parse_history_limit(query.limit.as_deref())?;
    let execution_history = state.store.history(limit).await?;
    Ok(Json(History { execution_history }))
}

fn parse_history_limit(raw: Option<&str>) -> Result<u32, ApiError> {
    let Some(raw) = raw else { return Ok(HISTORY_LIMIT_DEFAULT) };
    match raw.trim().parse::<u32>() {
        Ok(n) if (1..=HISTORY_LIMIT_MAX).contains(&n) => Ok(n),
        _ => Err(ApiError::BadRequest(format!(
            "limit must be a whole number from 1 to {HISTORY_LIMIT_MAX} (got \"{raw}\")"
        ))),
    }
}
