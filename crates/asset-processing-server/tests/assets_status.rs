//! The per-asset status API, the system status endpoint and the `published-docs` variant,
//! over real HTTP.

mod common;

use std::time::{Duration, Instant};

use asset_processing_api::{AssetOutcome, AssetStatusReport, Status, API_BASE, ASSET_STATUS_PATH};
use common::{start_body, write_files, Client, TestServer};
use serde_json::json;

use common::docs_folder as folder;

/// Polls a look-up until it is final.
async fn report(c: &Client, job_id: &str) -> AssetStatusReport {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let a = c.get(&format!("{ASSET_STATUS_PATH}?jobId={job_id}")).await;
        assert_eq!(a.status, 200, "{a:?}");
        let r: AssetStatusReport = serde_json::from_value(a.body.clone()).unwrap();
        assert_eq!(r.job_id, job_id);
        if r.status.is_final() {
            // Exactly the published shape: jobId, status, assets of path/uuid/status/exists.
            let keys: Vec<&String> = a.body.as_object().unwrap().keys().collect();
            assert_eq!(keys, ["assets", "jobId", "status"]);
            if let Some(first) = a.body["assets"].get(0) {
                let keys: Vec<&String> = first.as_object().unwrap().keys().collect();
                assert_eq!(keys, ["exists", "path", "status", "uuid"]);
            }
            return r;
        }
        assert!(Instant::now() < deadline, "look-up never ended: {r:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn outcome_of<'a>(r: &'a AssetStatusReport, path: &str) -> Option<&'a AssetOutcome> {
    r.assets.iter().find(|a| a.path == path).map(|a| &a.status)
}

#[tokio::test]
async fn reports_each_assets_latest_outcome() {
    let server = TestServer::start_with(folder).await;
    let mut c = server.client();
    // Before any job: every asset is PENDING (never processed).
    let a = c
        .post_json(ASSET_STATUS_PATH, &json!({"path": "/content/dam/docs"}))
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.body["status"], "WAITING");
    let r = report(&c, a.body["jobId"].as_str().unwrap()).await;
    assert_eq!(r.status, Status::Success);
    assert_eq!(r.assets.len(), 4);
    assert!(r
        .assets
        .iter()
        .all(|a| a.status == AssetOutcome::Pending && a.exists));

    // A job over the folder, less old/: good SUCCESS, bad FAILURE, legacy still PENDING.
    let id = c
        .start_job(
            json!({"path": "/content/dam/docs", "type": "ASSET_PROCESSING",
                          "excludedPaths": ["/content/dam/docs/old"]}),
        )
        .await;
    c.wait_final(&id).await;
    write_files(
        &server.repository,
        &[("docs/new.dita", "<topic id=\"n\"/>")],
    );
    let a = c
        .post_json(
            ASSET_STATUS_PATH,
            &json!({"paths": ["/content/dam/docs", "/content/dam/docs/good.dita", "/content/dam/gone.dita"],
                    "excludedPaths": ["content/dam/docs/notes.txt"]}),
        )
        .await;
    let r = report(&c, a.body["jobId"].as_str().unwrap()).await;
    let paths: Vec<&str> = r.assets.iter().map(|a| a.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/content/dam/docs/bad.dita",
            "/content/dam/docs/good.dita",
            "/content/dam/docs/new.dita",
            "/content/dam/docs/old/legacy.dita",
            "/content/dam/gone.dita",
        ],
        "walk order, each asset once, the excluded one left out"
    );
    assert_eq!(
        outcome_of(&r, "/content/dam/docs/good.dita"),
        Some(&AssetOutcome::Success)
    );
    assert_eq!(
        outcome_of(&r, "/content/dam/docs/bad.dita"),
        Some(&AssetOutcome::Failure)
    );
    assert_eq!(
        outcome_of(&r, "/content/dam/docs/old/legacy.dita"),
        Some(&AssetOutcome::Pending)
    );
    assert_eq!(
        outcome_of(&r, "/content/dam/docs/new.dita"),
        Some(&AssetOutcome::Pending)
    );
    let gone = r
        .assets
        .iter()
        .find(|a| a.path == "/content/dam/gone.dita")
        .unwrap();
    assert!(!gone.exists);
    assert_eq!(gone.status, AssetOutcome::Pending);
    // The uuid is stable for a path.
    let good = r
        .assets
        .iter()
        .find(|a| a.path.ends_with("good.dita"))
        .unwrap()
        .uuid
        .clone();
    assert_eq!(uuid::Uuid::parse_str(&good).unwrap().get_version_num(), 8);

    // The latest outcome wins: fix bad.dita, run again with skip-processed; good stays
    // SUCCESS although that run skipped it, bad turns SUCCESS.
    write_files(
        &server.repository,
        &[(
            "docs/bad.dita",
            "<topic id=\"b\"><title>Fixed</title></topic>",
        )],
    );
    let id = c
        .start_job(
            json!({"path": "/content/dam/docs", "type": "ASSET_PROCESSING",
                          "filter": {"filterProcessedAssets": true}}),
        )
        .await;
    c.wait_final(&id).await;
    let a = c
        .post_json(ASSET_STATUS_PATH, &json!({"paths": ["/content/dam/docs"]}))
        .await;
    let r = report(&c, a.body["jobId"].as_str().unwrap()).await;
    assert_eq!(
        outcome_of(&r, "/content/dam/docs/bad.dita"),
        Some(&AssetOutcome::Success)
    );
    assert_eq!(
        outcome_of(&r, "/content/dam/docs/good.dita"),
        Some(&AssetOutcome::Success)
    );
    server.stop().await;
}

#[tokio::test]
async fn bad_requests_unknown_ids_and_sign_in() {
    let server = TestServer::start_with(folder).await;
    let mut c = server.client();
    for (body, needle) in [
        (json!({}), "paths is required"),
        (json!({"paths": []}), "paths is required"),
        (
            json!({"paths": ["/etc"]}),
            "paths[0] must be /content/dam or a path below it",
        ),
        (json!({"path": "/content/dam/../etc"}), "path "),
        (
            json!({"paths": ["/content/dam/docs"], "excludedPaths": ["/content/dam/other"]}),
            "excludedPaths[0] (/content/dam/other) must be at or below one of the paths",
        ),
        (
            json!({"paths": "/content/dam/docs"}),
            "not a valid per-asset status request",
        ),
        (json!([1]), "not a valid per-asset status request"),
    ] {
        let a = c.post_json(ASSET_STATUS_PATH, &body).await;
        assert_eq!(a.status, 400, "{body}: {a:?}");
        assert!(a.message().contains(needle), "{body}: {}", a.message());
    }
    let a = c.get(&format!("{ASSET_STATUS_PATH}?jobId=nope")).await;
    assert_eq!(a.status, 404);
    assert!(a.message().contains("nope"));
    let a = c.get(ASSET_STATUS_PATH).await;
    assert_eq!(a.status, 400);
    assert!(a.message().contains("jobId is required"));

    // Sign-in for both, a CSRF token for the POST.
    let anonymous = server.anonymous();
    assert_eq!(
        anonymous
            .get(&format!("{ASSET_STATUS_PATH}?jobId=x"))
            .await
            .status,
        401
    );
    let r = reqwest::Client::new()
        .post(server.url(ASSET_STATUS_PATH))
        .basic_auth("admin", Some("admin"))
        .json(&json!({"path": "/content/dam/docs"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = reqwest::Client::new()
        .post(server.url(ASSET_STATUS_PATH))
        .header("CSRF-Token", "whatever")
        .json(&json!({"path": "/content/dam/docs"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    server.stop().await;
}

#[tokio::test]
async fn system_status_says_the_back_end_is_up() {
    let server = TestServer::start_with(folder).await;
    let mut c = server.client();
    let a = c.get("/bin/guides/v1/system/status").await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.body["status"], "UP");
    assert_eq!(a.body["database"]["connected"], true);
    assert!(a.body["database"]["sizeBytes"].as_u64().unwrap() > 0);
    assert_eq!(a.body["workers"]["total"], 2);
    assert_eq!(a.body["queue"]["waiting"], 0);
    let id = c.start_job(start_body("/content/dam/docs")).await;
    c.wait_final(&id).await;
    assert_eq!(
        server
            .anonymous()
            .get("/bin/guides/v1/system/status")
            .await
            .status,
        401
    );
    server.stop().await;
}

#[tokio::test]
async fn the_published_docs_variant_answers_the_other_documented_forms() {
    let server =
        TestServer::start_variant(folder, asset_processing_server::Variant::PublishedDocs).await;
    let mut c = server.client();
    let mut ids = Vec::new();
    for _ in 0..22 {
        let id = c
            .start_job(
                json!({"path": "/content/dam/docs", "type": "ASSET_PROCESSING",
                              "filter": {"fileTypes": ["DITATOPIC"]}}),
            )
            .await;
        ids.push(id);
    }
    for id in &ids {
        c.wait_final(id).await;
    }
    // History ignores limit and answers its own 20.
    let h = c.get(&format!("{API_BASE}/history?limit=5")).await;
    assert_eq!(h.status, 200);
    let runs = h.body["executionHistory"].as_array().unwrap();
    assert_eq!(runs.len(), 20);
    // Words the contract does not know: shown as they come by a console.
    assert_eq!(runs[0]["filter"]["fileTypes"], json!(["ditatopic"]));
    assert_eq!(runs[0]["eta"]["unit"], "seconds");
    let status = c
        .get(&format!("{API_BASE}/status?processingId={}", ids[0]))
        .await;
    assert_eq!(status.body["filter"]["fileTypes"], json!(["ditatopic"]));
    // The download names log files; each is the whole log as text.
    let d = c
        .get(&format!("{API_BASE}/logs/download?processingId={}", ids[0]))
        .await;
    assert_eq!(d.status, 200, "{d:?}");
    let path = d.body["logFilePaths"][0].as_str().unwrap().to_string();
    assert_eq!(
        path,
        format!("/var/dxml/asset-processing/logs/{}.log", ids[0])
    );
    let text = c
        .http
        .get(server.url(&path))
        .basic_auth("admin", Some("admin"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines = c.all_log_lines(&ids[0]).await;
    assert_eq!(text, lines.join("\n") + "\n");
    // Unknown job: still a 404, and signing in is still required.
    let d = c
        .get(&format!("{API_BASE}/logs/download?processingId=nope"))
        .await;
    assert_eq!(d.status, 404);
    assert_eq!(server.anonymous().get(&path).await.status, 401);
    server.stop().await;
}

/// A server over `n` topics in ten folders under `/content/dam/many`, and a finished look-up
/// of them all (its id and report).
async fn many_topics_looked_up(n: usize) -> (TestServer, Client, String, AssetStatusReport) {
    let server = TestServer::start_with(|root| {
        for i in 0..n {
            let p = root.join(format!("many/d{}/topic-{i:04}.dita", i % 10));
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, format!("<topic id=\"t{i}\"/>")).unwrap();
        }
    })
    .await;
    let mut c = server.client();
    let a = c
        .post_json(ASSET_STATUS_PATH, &json!({"path": "/content/dam/many"}))
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    let job_id = a.body["jobId"].as_str().unwrap().to_string();
    let r = report(&c, &job_id).await;
    assert_eq!((r.status.clone(), r.assets.len()), (Status::Success, n));
    (server, c, job_id, r)
}

/// A big answer is streamed (chunked, no length known up front) and is, byte for byte, the
/// report as one serialised document (what the handler answered before it streamed).
#[tokio::test]
async fn a_big_answer_is_streamed_and_is_the_whole_report() {
    let (server, c, job_id, r) = many_topics_looked_up(3_000).await;

    let response = c
        .http
        .get(format!("{}{ASSET_STATUS_PATH}?jobId={job_id}", server.base))
        .basic_auth("admin", Some("admin"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    // As every JSON answer of the API (the contract: charset named).
    assert_eq!(headers["content-type"], "application/json; charset=utf-8");
    assert!(
        headers.get("content-length").is_none()
            && headers["transfer-encoding"]
                .to_str()
                .unwrap()
                .contains("chunked"),
        "streamed: {headers:?}"
    );
    let body = response.bytes().await.unwrap();
    assert!(body.len() > 300_000, "{} bytes", body.len());
    assert_eq!(&body[..], &serde_json::to_vec(&r).unwrap()[..]);
}

/// A look-up's answer is compressed for a client that asks (at the fastest level: it is made
/// as it is sent) and decodes to the same document; its errors stay JSON answers.
#[tokio::test]
async fn a_big_answer_is_compressed_when_asked_and_its_errors_stay_json() {
    use std::io::Read;
    let (server, c, job_id, r) = many_topics_looked_up(2_000).await;
    let gzipped = |query: String| {
        let c = &c;
        let url = format!("{}{ASSET_STATUS_PATH}{query}", server.base);
        async move {
            let response = c
                .http
                .get(url)
                .basic_auth("admin", Some("admin"))
                .header("Accept-Encoding", "gzip")
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            assert_eq!(headers["content-encoding"], "gzip", "{headers:?}");
            assert!(headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json"));
            let body = response.bytes().await.unwrap();
            let mut text = Vec::new();
            flate2::read::GzDecoder::new(&body[..])
                .read_to_end(&mut text)
                .unwrap();
            (status, body.len(), text)
        }
    };
    let (status, sent, text) = gzipped(format!("?jobId={job_id}")).await;
    assert_eq!(status, 200);
    assert_eq!(&text[..], &serde_json::to_vec(&r).unwrap()[..]);
    assert!(
        sent * 3 < text.len(),
        "{sent} bytes sent for {}",
        text.len()
    );
    for query in ["?jobId=no-such-look-up".to_string(), "?jobId=".to_string()] {
        let (status, _, text) = gzipped(query.clone()).await;
        assert!(status == 404 || status == 400, "{query}: {status}");
        let body: serde_json::Value = serde_json::from_slice(&text).unwrap();
        assert_eq!(body["status"], status, "{query}: {body}");
    }
}
