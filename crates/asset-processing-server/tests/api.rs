//! Every endpoint and every documented error, over real HTTP on loopback.

mod common;

use std::io::Read;

use asset_processing_api::{CalculationStatus, FileCategory, History, LogPage, Status, API_BASE};
use common::{raw_get, start_body, write_files, TestServer};
use serde_json::json;

/// A small documentation set: a map, topics (one malformed, one with a broken reference),
/// an image, a folder to exclude, a text file.
fn docs(root: &std::path::Path) {
    write_files(
        root,
        &[
            (
                "docs/guide.ditamap",
                r#"<?xml version="1.0"?><map id="guide"><title>User guide</title>
                   <topicref href="topics/install.dita"/><topicref href="topics/gone.dita"/></map>"#,
            ),
            (
                "docs/topics/install.dita",
                r#"<?xml version="1.0"?><topic id="install"><title>Installing &amp; starting</title>
                   <body><p><image href="../images/screen.png"/><xref href="broken.dita"/></p></body></topic>"#,
            ),
            (
                "docs/topics/broken.dita",
                "<topic id=\"b\"><title>Broken</title><body><p>never closed</body></topic>",
            ),
            (
                "docs/old/legacy.dita",
                "<topic id=\"l\"><title>Legacy</title></topic>",
            ),
            ("docs/notes.txt", "plain text"),
        ],
    );
    // A PNG header is all the dimension reader needs: 8-byte signature and an IHDR of 40 × 30.
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    png.extend_from_slice(&40u32.to_be_bytes());
    png.extend_from_slice(&30u32.to_be_bytes());
    png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    std::fs::create_dir_all(root.join("docs/images")).unwrap();
    std::fs::write(root.join("docs/images/screen.png"), png).unwrap();
}

#[tokio::test]
async fn start_runs_to_success_with_results_logs_and_history() {
    let server = TestServer::start_with(docs).await;
    let mut c = server.client();
    let id = c
        .start_job(json!({
            "path": "/content/dam/docs",
            "excludedPaths": ["content/dam/docs/old"],
            "type": "ASSET_PROCESSING"
        }))
        .await;
    let job = c.wait_final(&id).await;
    assert_eq!(job.status, Status::Success, "{job:?}");
    assert_eq!(
        job.migration_set.calculation_status,
        CalculationStatus::Success
    );
    assert_eq!(job.migration_set.total_files, 5, "old/ excluded: {job:?}");
    assert_eq!(job.triggered_count, 5);
    assert_eq!(
        job.excluded_paths,
        vec!["/content/dam/docs/old"],
        "normalised"
    );
    assert_eq!(job.created_by, "admin");
    assert!(job.started_at > 0 && job.completed_at >= job.started_at);
    assert!(job.has_logs && job.restartable && !job.resumable && !job.cancellable);
    assert_eq!(job.comments, "4 processed, 1 failed, 0 skipped.");

    let lines = c.all_log_lines(&id).await;
    let text = lines.join("\n");
    assert!(
        lines.iter().all(|l| l
            .split(' ')
            .nth(1)
            .is_some_and(|lvl| ["INFO", "WARN", "ERROR"].contains(&lvl))),
        "{text}"
    );
    assert!(
        text.contains("Queued by admin: /content/dam/docs"),
        "{text}"
    );
    assert!(
        text.contains("Found 5 asset(s) to process; 1 excluded path(s) not entered"),
        "{text}"
    );
    assert!(
        text.contains(
            "WARN Unresolved href \"topics/gone.dita\" in /content/dam/docs/guide.ditamap"
        ),
        "{text}"
    );
    assert!(
        !text.contains("WARN Unresolved href \"broken.dita\""),
        "broken.dita exists: {text}"
    );
    assert!(
        text.contains("ERROR Malformed XML in /content/dam/docs/topics/broken.dita"),
        "{text}"
    );
    assert!(text.contains("title \"Installing & starting\""), "{text}");
    assert!(text.contains("40 × 30 px"), "{text}");
    assert!(
        lines.last().unwrap().contains("Finished: 5 of 5 asset(s)"),
        "{text}"
    );

    let history: History =
        serde_json::from_value(c.get(&format!("{API_BASE}/history")).await.body).unwrap();
    assert_eq!(history.execution_history[0].processing_id, id);
    server.stop().await;
}

#[tokio::test]
async fn file_types_and_skip_processed_assets() {
    let server = TestServer::start_with(docs).await;
    let mut c = server.client();
    let body = json!({"path": "/content/dam/docs", "type": "ASSET_PROCESSING",
                      "filter": {"fileTypes": ["DITATOPIC"], "filterProcessedAssets": true}});
    let first = c.start_job(body.clone()).await;
    let job = c.wait_final(&first).await;
    assert_eq!(job.migration_set.total_files, 3, "only topics: {job:?}");
    assert_eq!(job.filter.file_types, vec![FileCategory::DitaTopic]);
    assert_eq!(job.comments, "2 processed, 1 failed, 0 skipped.");

    // Unchanged assets that processed successfully are skipped; the failed one is tried again.
    let second = c.start_job(body.clone()).await;
    let job = c.wait_final(&second).await;
    assert_eq!(job.comments, "0 processed, 1 failed, 2 skipped.", "{job:?}");

    // A changed asset is processed again. Its size changes, and its modification time is set
    // a second on rather than left to the clock (a quick rewrite can keep the same stamp).
    let legacy = server.repository.join("docs/old/legacy.dita");
    let before = std::fs::metadata(&legacy).unwrap().modified().unwrap();
    write_files(
        &server.repository,
        &[(
            "docs/old/legacy.dita",
            "<topic id=\"l2\"><title>Changed</title></topic>",
        )],
    );
    std::fs::File::options()
        .write(true)
        .open(&legacy)
        .unwrap()
        .set_modified(before + std::time::Duration::from_secs(1))
        .unwrap();
    let third = c.start_job(body).await;
    let job = c.wait_final(&third).await;
    assert_eq!(job.comments, "1 processed, 1 failed, 1 skipped.", "{job:?}");
    server.stop().await;
}

#[tokio::test]
async fn categories_and_the_time_window_select_assets_and_are_echoed() {
    let server = TestServer::start_with(docs).await;
    let mut c = server.client();
    // Maps and topics, duplicates folded; echoed in status and history as sent.
    let body = json!({"path": "/content/dam/docs", "type": "ASSET_PROCESSING",
                      "filter": {"fileTypes": ["DITAMAP", "DITATOPIC", "DITAMAP"]}});
    let id = c.start_job(body).await;
    let job = c.wait_final(&id).await;
    assert_eq!(
        job.migration_set.total_files, 4,
        "map and three topics: {job:?}"
    );
    assert_eq!(
        job.filter.file_types,
        vec![FileCategory::DitaMap, FileCategory::DitaTopic]
    );
    let raw = c
        .get(&format!("{API_BASE}/status?processingId={id}"))
        .await
        .body;
    assert_eq!(
        raw["filter"],
        json!({"fileTypes": ["DITAMAP", "DITATOPIC"], "filterProcessedAssets": false})
    );

    // OTHERS: everything that is no DITA, Markdown, HTML/CSS or DITAVAL (the text and the PNG).
    let id = c
        .start_job(
            json!({"path": "/content/dam/docs", "type": "ASSET_PROCESSING",
                          "filter": {"fileTypes": ["OTHERS"]}}),
        )
        .await;
    assert_eq!(c.wait_final(&id).await.migration_set.total_files, 2);

    // A window that ends before the files were made selects nothing; one around now, all.
    let now = asset_processing_server::clock::now_ms();
    let id = c
        .start_job(
            json!({"path": "/content/dam/docs", "type": "ASSET_PROCESSING",
                          "filter": {"startTime": 0, "endTime": 1_000}}),
        )
        .await;
    let job = c.wait_final(&id).await;
    assert_eq!(job.migration_set.total_files, 0, "{job:?}");
    assert_eq!(job.status, Status::Success);
    let window = json!({"fileTypes": [], "startTime": now - 3_600_000, "endTime": now + 3_600_000,
                        "filterProcessedAssets": false});
    let id = c
        .start_job(
            json!({"path": "/content/dam/docs", "type": "ASSET_PROCESSING", "filter": window}),
        )
        .await;
    let job = c.wait_final(&id).await;
    assert_eq!(job.migration_set.total_files, 6, "{job:?}");
    let history = c.get(&format!("{API_BASE}/history")).await.body;
    assert_eq!(history["executionHistory"][0]["processingId"], json!(id));
    assert_eq!(history["executionHistory"][0]["filter"], window);
    let log = c.all_log_lines(&id).await.join("\n");
    assert!(log.contains("; created from "), "{log}");
    server.stop().await;
}

#[tokio::test]
async fn logs_page_by_offset_and_by_tail() {
    let server = TestServer::start_with(docs).await;
    let mut c = server.client();
    let id = c.start_job(start_body("/content/dam/docs")).await;
    c.wait_final(&id).await;
    let all = c.all_log_lines(&id).await;
    let n = all.len() as u64;
    assert!(n >= 8, "{all:?}");

    let page: LogPage = serde_json::from_value(
        c.get(&format!(
            "{API_BASE}/logs?processingId={id}&offset=2&limit=3"
        ))
        .await
        .body,
    )
    .unwrap();
    assert_eq!(page.lines, all[2..5].to_vec());
    assert_eq!((page.offset, page.limit, page.has_more), (2, 3, true));

    // tail: offset is the index of the first line, so offset + lines = the log's length.
    let tail: LogPage = serde_json::from_value(
        c.get(&format!("{API_BASE}/logs?processingId={id}&tail=4"))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(tail.offset + tail.lines.len() as u64, n);
    assert_eq!(tail.lines, all[all.len() - 4..].to_vec());
    assert!(!tail.has_more);
    let big: LogPage = serde_json::from_value(
        c.get(&format!("{API_BASE}/logs?processingId={id}&tail=1000"))
            .await
            .body,
    )
    .unwrap();
    assert_eq!((big.offset, big.lines.len() as u64), (0, n));

    // Past the end: an empty page, not an error.
    let past: LogPage = serde_json::from_value(
        c.get(&format!(
            "{API_BASE}/logs?processingId={id}&offset=999999&limit=10"
        ))
        .await
        .body,
    )
    .unwrap();
    assert!(past.lines.is_empty() && !past.has_more);
    server.stop().await;
}

#[tokio::test]
async fn log_parameters_are_checked() {
    let server = TestServer::start_with(docs).await;
    let mut c = server.client();
    let id = c.start_job(start_body("/content/dam/docs")).await;
    for (query, needle) in [
        ("tail=0", "tail must be a whole number from 1 to 1,000"),
        ("tail=1001", "tail must be"),
        ("offset=-1&limit=5", "offset must be"),
        (
            "offset=0&limit=0",
            "limit must be a whole number from 1 to 1,000",
        ),
        ("offset=0&limit=5000", "limit must be"),
        ("offset=abc", "offset must be"),
        ("tail=5&offset=0", "either tail, or offset and limit"),
    ] {
        let a = c
            .get(&format!("{API_BASE}/logs?processingId={id}&{query}"))
            .await;
        assert_eq!(a.status, 400, "{query}: {a:?}");
        assert!(a.message().contains(needle), "{query}: {}", a.message());
    }
    let a = c.get(&format!("{API_BASE}/logs?tail=5")).await;
    assert_eq!((a.status, a.message()), (400, "processingId is required"));
    let a = c
        .get(&format!("{API_BASE}/logs?processingId=nope&tail=5"))
        .await;
    assert_eq!(a.status, 404);
    server.stop().await;
}

#[tokio::test]
async fn download_is_a_zip_of_the_whole_log() {
    let server = TestServer::start_with(docs).await;
    let mut c = server.client();
    let id = c.start_job(start_body("/content/dam/docs")).await;
    c.wait_final(&id).await;
    let lines = c.all_log_lines(&id).await;

    let response = c
        .http
        .get(server.api(&format!("/logs/download?processingId={id}")))
        .basic_auth("admin", Some("admin"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/zip");
    assert_eq!(
        response.headers()["content-disposition"],
        format!("attachment; filename=\"{id}-logs.zip\"").as_str()
    );
    let bytes = response.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(zip.len(), 1);
    let mut file = zip.by_index(0).unwrap();
    assert_eq!(file.name().unwrap(), format!("{id}.log"));
    let mut text = String::new();
    file.read_to_string(&mut text).unwrap();
    assert_eq!(text, lines.join("\n") + "\n");

    let a = c
        .get(&format!("{API_BASE}/logs/download?processingId=nope"))
        .await;
    assert_eq!(a.status, 404);
    assert_eq!(a.body["status"], 404);
    server.stop().await;
}

#[tokio::test]
async fn start_refuses_bad_requests_with_the_field_named() {
    let server = TestServer::start_with(docs).await;
    let mut c = server.client();
    for (body, needle) in [
        (json!({"type": "ASSET_PROCESSING"}), "missing field `path`"),
        (json!({"path": "/content/dam/docs"}), "missing field `type`"),
        (
            json!({"path": "", "type": "ASSET_PROCESSING"}),
            "path is empty",
        ),
        (
            json!({"path": "/etc/passwd", "type": "ASSET_PROCESSING"}),
            "path must be /content/dam or a path below it",
        ),
        (
            json!({"path": "/content/dam/../etc", "type": "ASSET_PROCESSING"}),
            "path must not contain",
        ),
        (
            json!({"path": "/content/dam/%2e%2e/etc", "type": "ASSET_PROCESSING"}),
            "path must not contain",
        ),
        (
            json!({"path": "/content/dam//docs", "type": "ASSET_PROCESSING"}),
            "empty segment",
        ),
        (
            json!({"path": "/content/dam/nothing-here", "type": "ASSET_PROCESSING"}),
            "path /content/dam/nothing-here does not exist",
        ),
        (
            json!({"path": "/content/dam/docs", "type": "REINDEX"}),
            "type \"REINDEX\" is not a known processing type",
        ),
        (
            json!({"path": "/content/dam/docs", "type": "ASSET_PROCESSING", "excludedPaths": ["/content/dam/other"]}),
            "excludedPaths[0] (/content/dam/other) must be at or below path",
        ),
        (
            json!({"path": "/content/dam/docs", "type": "ASSET_PROCESSING", "excludedPaths": ["/content/dam/docs/old", "/content/dam/docs/old/"]}),
            "listed twice",
        ),
        (
            json!({"path": "/content/dam/docs", "type": "ASSET_PROCESSING", "filter": {"fileTypes": ["*.png"]}}),
            "filter.fileTypes[0] \"*.png\" is not a file type category",
        ),
        (
            json!({"path": "/content/dam/docs", "type": "ASSET_PROCESSING", "filter": {"fileTypes": ["DITAMAP", "dita"]}}),
            "filter.fileTypes[1] \"dita\" is not a file type category (known: DITATOPIC, DITAMAP, MARKDOWN, HTML/CSS, DITAVAL, OTHERS)",
        ),
        (
            json!({"path": "/content/dam/docs", "type": "ASSET_PROCESSING", "filter": {"fileTypes": [7]}}),
            "filter.fileTypes[0] must be a category name",
        ),
        (
            json!({"path": "/content/dam/docs", "type": "ASSET_PROCESSING", "filter": {"startTime": -1}}),
            "filter.startTime must not be negative",
        ),
        (
            json!({"path": "/content/dam/docs", "type": "ASSET_PROCESSING", "filter": {"endTime": 1.5}}),
            "filter.endTime must be a whole number of epoch milliseconds",
        ),
        (
            json!({"path": "/content/dam/docs", "type": "ASSET_PROCESSING", "filter": {"startTime": "yesterday"}}),
            "filter.startTime must be a whole number of epoch milliseconds",
        ),
        (
            json!({"path": "/content/dam/docs", "type": "ASSET_PROCESSING", "filter": {"startTime": 2000, "endTime": 1000}}),
            "filter.endTime (1000) must not be before filter.startTime (2000)",
        ),
        (
            json!({"path": "/content/dam/docs", "type": "ASSET_PROCESSING", "filter": "DITAMAP"}),
            "filter must be an object",
        ),
        (
            json!({"path": 5, "type": "ASSET_PROCESSING"}),
            "invalid type",
        ),
        (json!([1, 2]), "not a valid start request"),
    ] {
        let a = c.post_json(API_BASE, &body).await;
        assert_eq!(a.status, 400, "{body}: {a:?}");
        assert_eq!(a.body["status"], 400);
        assert!(a.message().contains(needle), "{body}: {}", a.message());
    }
    // Not JSON at all, and the wrong content type.
    let token = c.csrf_token().await;
    for (ct, body) in [
        ("application/json", "{not json"),
        ("text/plain", "{}"),
        ("application/x-www-form-urlencoded", "path=x"),
    ] {
        let r = c
            .http
            .post(server.api(""))
            .basic_auth("admin", Some("admin"))
            .header("CSRF-Token", &token)
            .header("content-type", ct)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{ct}");
        let v: serde_json::Value = r.json().await.unwrap();
        assert!(v["message"].as_str().unwrap().len() > 10, "{v}");
    }
    // A huge body.
    let huge = json!({"path": "/content/dam/docs", "type": "ASSET_PROCESSING", "excludedPaths": vec!["/content/dam/docs/x"; 40_000]});
    let a = c.post_json(API_BASE, &huge).await;
    assert_eq!(a.status, 413, "{:?}", a.status);
    assert!(a.message().contains("too large"));
    server.stop().await;
}

#[tokio::test]
async fn an_asset_may_be_the_path() {
    let server = TestServer::start_with(docs).await;
    let mut c = server.client();
    let id = c
        .start_job(start_body("/content/dam/docs/topics/install.dita"))
        .await;
    let job = c.wait_final(&id).await;
    assert_eq!(
        (job.status, job.migration_set.total_files),
        (Status::Success, 1)
    );
    server.stop().await;
}

#[tokio::test]
async fn status_errors() {
    let server = TestServer::start().await;
    let c = server.client();
    let a = c.get(&format!("{API_BASE}/status")).await;
    assert_eq!((a.status, a.message()), (400, "processingId is required"));
    let a = c.get(&format!("{API_BASE}/status?processingId=")).await;
    assert_eq!(a.status, 400);
    let a = c
        .get(&format!("{API_BASE}/status?processingId=unknown-id"))
        .await;
    assert_eq!(a.status, 404);
    assert_eq!(a.message(), "no job has the processingId \"unknown-id\"");
    server.stop().await;
}

#[tokio::test]
async fn cancel_and_resume_state_rules() {
    let server = TestServer::start_with(docs).await;
    let mut c = server.client();
    let id = c.start_job(start_body("/content/dam/docs")).await;
    c.wait_final(&id).await;

    let a = c
        .post_empty(&format!("{API_BASE}/cancel?processingId={id}"))
        .await;
    assert_eq!(a.status, 409, "{a:?}");
    assert!(
        a.message()
            .contains("only WAITING or RUNNING jobs can be cancelled"),
        "{}",
        a.message()
    );
    let a = c
        .post_empty(&format!("{API_BASE}/resume?processingId={id}"))
        .await;
    assert_eq!(a.status, 409);
    assert!(a.message().contains("nothing to resume"), "{}", a.message());

    for action in ["cancel", "resume"] {
        let a = c
            .post_empty(&format!("{API_BASE}/{action}?processingId=nope"))
            .await;
        assert_eq!(a.status, 404, "{action}");
        let a = c.post_empty(&format!("{API_BASE}/{action}")).await;
        assert_eq!(a.status, 400, "{action}");
        assert!(a.message().contains("processingId is required"));
        // The JSON body form.
        let a = c
            .post_json(
                &format!("{API_BASE}/{action}"),
                &json!({"processingId": "nope"}),
            )
            .await;
        assert_eq!(a.status, 404, "{action}");
    }
    server.stop().await;
}

#[tokio::test]
async fn sign_in_is_required_and_post_needs_csrf() {
    let server = TestServer::start_with(docs).await;
    let anon = server.anonymous();
    for path in [
        format!("{API_BASE}/history"),
        format!("{API_BASE}/status?processingId=x"),
        format!("{API_BASE}/logs?processingId=x&tail=1"),
        format!("{API_BASE}/logs/download?processingId=x"),
        "/libs/granite/csrf/token.json".to_string(),
        "/content/dam.1.json".to_string(),
    ] {
        let a = anon.get(&path).await;
        assert_eq!(a.status, 401, "{path}");
        assert_eq!(a.body["status"], 401, "{path}");
    }
    let mut wrong = server.client();
    wrong.auth = Some(("admin".into(), "wrong".into()));
    assert_eq!(wrong.get(&format!("{API_BASE}/history")).await.status, 401);

    // A POST without a token, and with a made-up one.
    let c = server.client();
    for token in [None, Some("made-up")] {
        let mut rb = c
            .http
            .post(server.api(""))
            .basic_auth("admin", Some("admin"))
            .json(&start_body("/content/dam/docs"));
        if let Some(t) = token {
            rb = rb.header("CSRF-Token", t);
        }
        let r = rb.send().await.unwrap();
        assert_eq!(r.status(), 403, "{token:?}");
        let v: serde_json::Value = r.json().await.unwrap();
        assert!(
            v["message"]
                .as_str()
                .unwrap()
                .contains("/libs/granite/csrf/token.json"),
            "{v}"
        );
    }
    // Not signed in beats the missing token: 401.
    let r = c
        .http
        .post(server.api(""))
        .json(&start_body("/content/dam/docs"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    server.stop().await;
}

#[tokio::test]
async fn login_page_sets_the_session_cookie() {
    let server = TestServer::start().await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = http
        .get(server.url("/libs/granite/core/content/login.html?resource=/jobs/1"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("j_security_check") && html.contains("value=\"/jobs/1\""));

    let bad = http
        .post(server.url("/libs/granite/core/content/login.html/j_security_check"))
        .form(&[
            ("j_username", "admin"),
            ("j_password", "nope"),
            ("resource", "/jobs/1"),
        ])
        .send()
        .await
        .unwrap();
    assert!(bad.status().is_redirection());
    assert!(bad.headers()["location"]
        .to_str()
        .unwrap()
        .contains("j_reason=invalid_login"));
    assert!(bad.headers().get("set-cookie").is_none());

    let ok = http
        .post(server.url("/libs/granite/core/content/login.html/j_security_check"))
        .form(&[
            ("j_username", "admin"),
            ("j_password", "admin"),
            ("resource", "/jobs/1"),
        ])
        .send()
        .await
        .unwrap();
    assert!(ok.status().is_redirection());
    assert_eq!(ok.headers()["location"], "/jobs/1");
    let cookie = ok.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.starts_with("login-token=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let token_pair = cookie.split(';').next().unwrap().to_string();

    // The cookie signs in API calls, and its CSRF token lets a POST through.
    let history = http
        .get(server.api("/history"))
        .header("cookie", &token_pair)
        .send()
        .await
        .unwrap();
    assert_eq!(history.status(), 200);
    let csrf: serde_json::Value = http
        .get(server.url("/libs/granite/csrf/token.json"))
        .header("cookie", &token_pair)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let r = http
        .post(server.api("/cancel?processingId=nope"))
        .header("cookie", &token_pair)
        .header("CSRF-Token", csrf["token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "past auth and CSRF");

    // An open redirect is not possible.
    let evil = http
        .post(server.url("/libs/granite/core/content/login.html/j_security_check"))
        .form(&[
            ("j_username", "admin"),
            ("j_password", "admin"),
            ("resource", "//evil.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(evil.headers()["location"], "/");

    // Signing out ends the session.
    let out = http
        .get(server.url("/system/sling/logout"))
        .header("cookie", &token_pair)
        .send()
        .await
        .unwrap();
    assert!(out.status().is_redirection());
    let after = http
        .get(server.api("/history"))
        .header("cookie", &token_pair)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 401);
    server.stop().await;
}

#[tokio::test]
async fn repository_renders_as_sling_json_and_never_leaves_the_folder() {
    let server = TestServer::start_with(|root| {
        docs(root);
        write_files(
            root,
            &[("Bifröst Gateway/release notes 2.1.dita", "<topic/>")],
        );
        std::fs::write(root.parent().unwrap().join("secret.txt"), "outside").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(
            root.parent().unwrap().join("secret.txt"),
            root.join("docs/escape.txt"),
        )
        .unwrap();
    })
    .await;
    let c = server.client();
    let a = c.get("/content/dam.1.json").await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body["jcr:primaryType"], "sling:Folder");
    assert_eq!(a.body["docs"]["jcr:primaryType"], "sling:Folder");
    assert_eq!(a.body["Bifröst Gateway"]["jcr:primaryType"], "sling:Folder");

    let a = c.get("/content/dam/docs.1.json").await;
    let keys: Vec<&String> = a.body.as_object().unwrap().keys().collect();
    assert!(keys.contains(&&"guide.ditamap".to_string()));
    assert_eq!(a.body["guide.ditamap"]["jcr:primaryType"], "dam:Asset");
    assert!(
        a.body.get("escape.txt").is_none(),
        "a link out of the repository is not shown"
    );

    let a = c
        .get("/content/dam/Bifr%C3%B6st%20Gateway/release%20notes%202.1.dita.json")
        .await;
    assert_eq!(
        (a.status, a.body["jcr:primaryType"].as_str()),
        (200, Some("dam:Asset"))
    );

    for (path, status) in [
        ("/content/dam/nope.1.json", 404),
        ("/content/dam/docs/escape.txt.json", 404),
        ("/content/dam/docs.infinity.json", 400),
        ("/content/dam/docs.2.json", 400),
        ("/content/dam/docs.html", 404),
        ("/content/other.1.json", 404),
    ] {
        let a = c.get(path).await;
        assert_eq!(a.status, status, "{path}: {a:?}");
        assert_eq!(a.body["status"], status, "{path}");
    }
    // Traversal sent as is (a client library would resolve it before sending).
    for path in [
        "/content/dam/../secret.txt.json",
        "/content/dam/%2e%2e/secret.txt.json",
        "/content/dam/docs/%2E%2E/%2E%2E/secret.txt.json",
        "/content/dam/docs/.%2e/.%2e/secret.txt.json",
    ] {
        let (status, body) = raw_get(&server.base, path).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .contains("\".\" or \"..\""),
            "{path}: {body}"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn wrong_methods_and_unknown_routes_answer_json() {
    let server = TestServer::start().await;
    let c = server.client();
    for (method, path, status) in [
        (reqwest::Method::GET, API_BASE.to_string(), 405),
        (reqwest::Method::PUT, format!("{API_BASE}/status"), 405),
        (reqwest::Method::GET, format!("{API_BASE}/cancel"), 405),
        (reqwest::Method::DELETE, format!("{API_BASE}/history"), 405),
        (reqwest::Method::GET, format!("{API_BASE}/unknown"), 404),
        (reqwest::Method::GET, "/bin/other".to_string(), 404),
    ] {
        let r = c
            .http
            .request(method.clone(), server.url(&path))
            .basic_auth("admin", Some("admin"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), status, "{method} {path}");
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json"));
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["status"], status);
    }
    server.stop().await;
}

#[tokio::test]
async fn the_console_is_served_compressed_ahead_when_the_build_wrote_it() {
    let server = TestServer::start_full(
        |_| {},
        |dist| {
            std::fs::write(dist.join("index.html"), "<!DOCTYPE html><title>c</title>").unwrap();
            std::fs::write(dist.join("app_bg.wasm"), b"\0asm\x01\0\0\0 plain").unwrap();
            std::fs::write(dist.join("app_bg.wasm.br"), b"pretend brotli").unwrap();
            std::fs::write(dist.join("app.js"), "export default 1;".repeat(20)).unwrap();
            true
        },
    )
    .await;
    let http = reqwest::Client::new();
    // A browser that takes brotli gets the build's .br as it is, with the wasm's type.
    let r = http
        .get(server.url("/app_bg.wasm"))
        .header("Accept-Encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-encoding"], "br");
    assert_eq!(r.headers()["content-type"], "application/wasm");
    assert_eq!(&r.bytes().await.unwrap()[..], b"pretend brotli");
    // One that takes none gets the file itself.
    let r = http.get(server.url("/app_bg.wasm")).send().await.unwrap();
    assert!(r.headers().get("content-encoding").is_none());
    assert_eq!(&r.bytes().await.unwrap()[..], b"\0asm\x01\0\0\0 plain");
    // Without a compressed copy the server still compresses on the fly.
    let r = http
        .get(server.url("/app.js"))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-encoding"], "gzip");
    // Client-side routes still answer the console's page.
    let r = http.get(server.url("/jobs/abc")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("<title>c</title>"));
}

/// While a run goes on, its comments count what it has done so far, failures included: a
/// history can say "1 failed so far" before the run ends. The worker is held after its first
/// committed batch (`--hold-after`, a `dev-fixtures` flag), so the job is seen RUNNING.
#[cfg(unix)]
#[tokio::test]
async fn a_running_job_counts_what_it_has_done_so_far_in_its_comments() {
    let dir = tempfile::tempdir().unwrap();
    let (repository, data) = (dir.path().join("dam"), dir.path().join("data"));
    let mut files: Vec<(String, String)> = (0..700)
        .map(|i| {
            (
                format!("docs/topic-{i:04}.dita"),
                format!("<topic id=\"t{i}\"><title>Topic {i}</title></topic>"),
            )
        })
        .collect();
    files.push((
        "docs/a-bad.dita".into(),
        "<topic id=\"b\"><title>never closed</topic>".into(),
    ));
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    write_files(&repository, &files);
    let server =
        common::ServerProcess::spawn(&repository, &data, &["--workers", "1", "--hold-after", "1"])
            .expect("the server starts");
    let mut c = server.client();
    let id = c.start_job(start_body("/content/dam/docs")).await;
    let held = c.wait_for(&id, |j| j.triggered_count > 0).await;
    assert_eq!(held.status, Status::Running);
    let handled = held.triggered_count;
    assert!(handled < 701, "held mid-job: {held:?}");
    assert_eq!(
        held.comments,
        format!("{} processed, 1 failed, 0 skipped so far", handled - 1),
        "{held:?}"
    );
    server.kill();
}
