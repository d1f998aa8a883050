//! The one error type of the server side: every failure becomes a status code and the
//! contract's JSON body `{"status": N, "message": "..."}` here, and nowhere else. A 500 never
//! shows internals to the client; they go to the log.

use asset_processing_api::ErrorBody;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::store::StoreError;

#[derive(Debug)]
pub enum ApiError {
    /// 400: the message names the field and why.
    BadRequest(String),
    /// 401: not signed in.
    Unauthorized,
    /// 403: a POST without a valid CSRF token.
    Forbidden(String),
    /// 404: unknown id or route.
    NotFound(String),
    /// 405.
    MethodNotAllowed,
    /// 409: the job's state does not allow the action.
    Conflict(String),
    /// 429: more than the server takes from one person at once; `Retry-After` says in how
    /// many seconds to ask again.
    TooManyRequests {
        message: String,
        retry_after_secs: u64,
    },
    /// 500: logged in full, answered in general terms.
    Internal(String),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn message(&self) -> String {
        match self {
            ApiError::BadRequest(m)
            | ApiError::Forbidden(m)
            | ApiError::NotFound(m)
            | ApiError::Conflict(m)
            | ApiError::TooManyRequests { message: m, .. } => m.clone(),
            ApiError::Unauthorized => "not signed in: sign in and try again".into(),
            ApiError::MethodNotAllowed => "this method is not allowed on this path".into(),
            ApiError::Internal(_) => {
                "the server failed to handle this request; the details are in its log".into()
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!("internal error: {detail}");
        }
        let status = self.status();
        let mut response = (
            status,
            Json(ErrorBody {
                status: status.as_u16(),
                message: self.message(),
            }),
        )
            .into_response();
        if let ApiError::TooManyRequests {
            retry_after_secs, ..
        } = self
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, retry_after_secs.into());
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::Internal(format!("database: {e}"))
    }
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// Every error answer carries the JSON body, also those made by layers and extractors that
/// know nothing of it (body too large, timeout, a malformed query or form).
pub async fn json_errors(response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if is_json {
        return response;
    }
    let message = match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            "the request body is too large (at most 256 KiB)".to_string()
        }
        StatusCode::SERVICE_UNAVAILABLE => {
            "the server took too long to answer; try again".to_string()
        }
        StatusCode::REQUEST_TIMEOUT => format!(
            "the request's body did not arrive within {} s; send the request again",
            super::body::BODY_READ_TIMEOUT.as_secs()
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            "the request body must be JSON (Content-Type: application/json)".into()
        }
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => {
            let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024)
                .await
                .unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes).trim().to_string();
            let message = if text.is_empty() {
                "the request is not valid".to_string()
            } else {
                text
            };
            return (
                StatusCode::BAD_REQUEST,
                Json(ErrorBody {
                    status: 400,
                    message,
                }),
            )
                .into_response();
        }
        s => s.canonical_reason().unwrap_or("error").to_lowercase(),
    };
    (
        status,
        Json(ErrorBody {
            status: status.as_u16(),
            message,
        }),
    )
        .into_response()
}
