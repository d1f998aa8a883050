//! The accept loop: one HTTP/1.1 connection per client, served by hyper with a header read
//! timeout, and a graceful shutdown that lets requests in flight finish.
//!
//! Why not `axum::serve`: it gives hyper no timer, so hyper's header read timeout never runs
//! and a client that sends half its headers holds its connection (and a task) for ever. Here
//! every connection gets [`HEADER_READ_TIMEOUT`]; the body and the handler have their own
//! limits in `http` (408 for a body that stalls, 503 for a handler that does).

use std::future::Future;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// A client has this long to send a request's headers, from the moment it connects (or from
/// the end of the previous answer on a kept-alive connection); then the connection is closed
/// without an answer. So it is also how long an idle kept-alive connection stays open.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves `app` on `listener` until `shutdown` completes, then stops accepting and waits for
/// the open connections to finish their requests.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // A connection reset before it was taken, or out of file descriptors: keep
                    // serving, after a pause that lets descriptors come back.
                    tracing::warn!("accepting a connection failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_READ_TIMEOUT)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!("connection closed: {e}");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}
