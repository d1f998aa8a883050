//! Request bodies are read whole before a handler runs: at most `BODY_LIMIT` (413 beyond),
//! within [`BODY_READ_TIMEOUT`] (408 when the client stalls). A stalled body is the client's
//! fault, so it must not reach the handler's own time limit, whose 503 says the server was
//! too slow. Every body this API takes is a few KB of JSON or a sign-in form, so reading it
//! first costs nothing and leaves handlers with bytes already in memory.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// How long a client has to send a request's body once its headers are in.
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Reads the body (the body-limit layer outside this one bounds it), then runs the request.
pub async fn read_in_time(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let read = Bytes::from_request(Request::new(body), &());
    let bytes = match tokio::time::timeout(BODY_READ_TIMEOUT, read).await {
        Ok(Ok(bytes)) => bytes,
        // Too large (413) or broken off (400); `error::json_errors` words it.
        Ok(Err(rejection)) => return rejection.into_response(),
        Err(_) => return StatusCode::REQUEST_TIMEOUT.into_response(),
    };
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}
