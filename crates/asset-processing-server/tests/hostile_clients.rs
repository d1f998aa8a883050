//! Careless and hostile clients: names longer than the file system allows, headers or a body
//! that never finish, one user filling the queue, a start with thousands of excluded paths.
//! Each gets a clear 4xx or a closed connection, over real HTTP.

mod common;

use std::time::{Duration, Instant};

use asset_processing_api::{AssetStatusReport, API_BASE, ASSET_STATUS_PATH};
use common::{start_body, write_files, Client, ServerProcess, TestServer};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The server closes a connection that stalls after 30 s; a test waits for the close itself,
/// and gives up (fails) only well after that.
const GIVE_UP: Duration = Duration::from_secs(45);

#[tokio::test]
async fn names_longer_than_the_file_system_allows_are_a_4xx_and_do_not_exist() {
    let server =
        TestServer::start_with(|root| write_files(root, &[("docs/a.dita", "<topic/>")])).await;
    let mut c = server.client();
    let long = format!("/content/dam/{}", "a".repeat(256));
    let deep = format!("/content/dam/docs/{}/x.dita", "b".repeat(300));
    for path in [&long, &deep] {
        let a = c.get(&format!("{path}.1.json")).await;
        assert_eq!(a.status, 404, "{a:?}");
        assert!(
            a.message().starts_with("nothing is at /content/dam/"),
            "{a:?}"
        );
        let a = c.post_json(API_BASE, &start_body(path)).await;
        assert_eq!(a.status, 400, "{a:?}");
        assert!(
            a.message().ends_with("does not exist in the repository"),
            "{a:?}"
        );
    }
    // The per-asset status: such a path is simply not there.
    let a = c
        .post_json(
            ASSET_STATUS_PATH,
            &json!({ "paths": [&long, "/content/dam/docs"] }),
        )
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    let id = a.body["jobId"].as_str().unwrap().to_string();
    let deadline = Instant::now() + Duration::from_secs(60);
    let report = loop {
        let a = c.get(&format!("{ASSET_STATUS_PATH}?jobId={id}")).await;
        let r: AssetStatusReport = serde_json::from_value(a.body).unwrap();
        if r.status.is_final() {
            break r;
        }
        assert!(Instant::now() < deadline, "{r:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(report.status.as_str(), "SUCCESS", "{report:?}");
    let gone = report.assets.iter().find(|a| a.path == long).unwrap();
    assert!(!gone.exists, "{gone:?}");
    assert!(report
        .assets
        .iter()
        .any(|a| a.path == "/content/dam/docs/a.dita" && a.exists));
    server.stop().await;
}

/// Sends `head` and reads until the server closes the connection: what it answered, and
/// how long it waited.
async fn send_and_wait_for_close(base: &str, head: &str) -> (String, Duration) {
    let mut stream = tokio::net::TcpStream::connect(base.trim_start_matches("http://"))
        .await
        .unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    let sent = Instant::now();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(GIVE_UP, stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "still open after {GIVE_UP:?}");
    (
        String::from_utf8_lossy(&answer).into_owned(),
        sent.elapsed(),
    )
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_closed_within_30_s() {
    let server = TestServer::start().await;
    let head = "GET /bin/guides/v1/assets/process/history HTTP/1.1\r\nHost: x\r\nX-Half: ";
    let (_answer, waited) = send_and_wait_for_close(&server.base, head).await;
    assert!(waited <= Duration::from_secs(31), "closed after {waited:?}");
    server.stop().await;
}

#[tokio::test]
async fn a_body_that_stalls_is_a_408_not_a_503() {
    let server = TestServer::start().await;
    let head = "POST /bin/guides/v1/assets/process HTTP/1.1\r\nHost: x\r\n\
                Authorization: Basic YWRtaW46YWRtaW4=\r\nContent-Type: application/json\r\n\
                Content-Length: 100\r\n\r\n{\"path\": \"/content/dam\"";
    let (answer, waited) = send_and_wait_for_close(&server.base, head).await;
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
    assert!(answer.contains("did not arrive within 30 s"), "{answer}");
    assert!(
        waited <= Duration::from_secs(31),
        "answered after {waited:?}"
    );
    server.stop().await;
}

#[tokio::test]
async fn at_most_a_thousand_excluded_paths() {
    let server =
        TestServer::start_with(|root| write_files(root, &[("docs/a.dita", "<topic/>")])).await;
    let mut c = server.client();
    let excluded: Vec<String> = (0..1_001)
        .map(|i| format!("/content/dam/docs/x{i}"))
        .collect();
    let body = json!({ "path": "/content/dam/docs", "type": "ASSET_PROCESSING", "excludedPaths": excluded });
    let a = c.post_json(API_BASE, &body).await;
    assert_eq!(a.status, 400, "{a:?}");
    assert_eq!(
        a.message(),
        "excludedPaths may list at most 1000 paths (got 1001); exclude a parent folder instead"
    );
    let body = json!({ "path": "/content/dam/docs", "type": "ASSET_PROCESSING", "excludedPaths": excluded[..1_000] });
    assert_eq!(c.post_json(API_BASE, &body).await.status, 200);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_21st_waiting_job_of_one_user_is_a_429_with_retry_after() {
    let dir = tempfile::tempdir().unwrap();
    let (repo, data) = (dir.path().join("dam"), dir.path().join("data"));
    write_files(
        &repo,
        &[
            ("docs/a.dita", "<topic/>"),
            ("docs/b.dita", "<topic/>"),
            ("docs/c.dita", "<topic/>"),
        ],
    );
    let users = dir.path().join("users.json");
    std::fs::write(&users, r#"{"admin": "admin", "author": "s3cret"}"#).unwrap();
    let users = users.to_str().unwrap();
    // One worker, held once a job has an asset committed: every later job waits.
    let server = ServerProcess::spawn(
        &repo,
        &data,
        &["--workers", "1", "--hold-after", "1", "--users", users],
    )
    .expect("the server starts");
    let mut admin = server.client();
    let running = admin.start_job(start_body("/content/dam/docs")).await;
    admin.wait_for(&running, |j| j.triggered_count > 0).await;
    let mut waiting = Vec::new();
    for _ in 0..20 {
        waiting.push(admin.start_job(start_body("/content/dam/docs")).await);
    }

    let token = admin.csrf_token().await;
    let refused = admin
        .http
        .post(format!("{}{API_BASE}", server.base))
        .basic_auth("admin", Some("admin"))
        .header("CSRF-Token", token)
        .json(&start_body("/content/dam/docs"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 429);
    assert_eq!(refused.headers()["retry-after"], "60");
    assert_eq!(
        refused.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["status"], 429);
    assert_eq!(
        body["message"],
        "you already have 20 runs waiting to start, the most one user may have; start this one \
         once one of them has started, or cancel one"
    );

    // The cap is per user: another may still start.
    let mut author = Client {
        auth: Some(("author".into(), "s3cret".into())),
        ..server.client()
    };
    author.start_job(start_body("/content/dam/docs")).await;
    // And a place freed is a place to take.
    let cancelled = admin
        .post_empty(&format!("{API_BASE}/cancel?processingId={}", waiting[0]))
        .await;
    assert_eq!(cancelled.status, 200, "{cancelled:?}");
    admin.start_job(start_body("/content/dam/docs")).await;
    server.kill();
}
