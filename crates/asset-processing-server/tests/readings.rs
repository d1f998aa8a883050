//! The readings of the published pages where they allow more than one (docs/contract.md,
//! "Readings of the published pages"): the reference server takes the lenient one, the
//! `published-docs` variant the strict one, both over real HTTP.

mod common;

use asset_processing_api::{
    CalculationStatus, Status, API_BASE, CURRENT_USER_PATH, SYSTEM_STATUS_PATH,
};
use asset_processing_server::Variant;
use common::{start_body, ServerProcess, TestServer};
use serde_json::json;

use common::docs_folder as folder;

#[tokio::test]
async fn the_system_status_carries_the_published_fields_and_its_own() {
    let server = TestServer::start_with(folder).await;
    let a = server.client().get(SYSTEM_STATUS_PATH).await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.body["isDatabase"], true);
    assert_eq!(a.body["databaseConnectionCheck"], "passed");
    assert_eq!(a.body["status"], "UP");
    assert_eq!(a.body["database"]["writable"], true);
    server.stop().await;

    let variant = TestServer::start_variant(folder, Variant::PublishedDocs).await;
    let a = variant.client().get(SYSTEM_STATUS_PATH).await;
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(
        a.body,
        json!({"isDatabase": true, "databaseConnectionCheck": "passed"}),
        "exactly the published shape"
    );
    variant.stop().await;
}

#[tokio::test]
async fn a_database_that_cannot_write_reads_failed() {
    let dir = tempfile::tempdir().unwrap();
    let (repository, data) = (dir.path().join("dam"), dir.path().join("data"));
    std::fs::create_dir_all(&repository).unwrap();
    folder(&repository);
    for (variant, code) in [("reference", 503), ("published-docs", 200)] {
        let server = ServerProcess::spawn(
            &repository,
            &data.join(variant),
            &["--read-only-database", "--variant", variant],
        )
        .unwrap();
        let a = server.client().get(SYSTEM_STATUS_PATH).await;
        assert_eq!(a.status, code, "{variant}: {a:?}");
        assert_eq!(
            a.body["databaseConnectionCheck"], "failed",
            "{variant}: {a:?}"
        );
        assert_eq!(a.body["isDatabase"], true, "{variant}: {a:?}");
        if variant == "reference" {
            // It still answers reads: connected, but not writable.
            assert_eq!(a.body["database"]["connected"], true);
            assert_eq!(a.body["database"]["writable"], false);
            assert_eq!(a.body["status"], "DOWN");
        }
        server.kill();
    }
}

#[tokio::test]
async fn cancel_and_resume_take_the_id_from_the_body_and_the_strict_variant_only_from_there() {
    // The reference server: query or body, answered with the job.
    let server = TestServer::start_with(folder).await;
    let mut c = server.client();
    let id = c.start_job(start_body("/content/dam/docs")).await;
    c.wait_final(&id).await;
    let a = c
        .post_json(
            &format!("{API_BASE}/resume"),
            &json!({ "processingId": id }),
        )
        .await;
    assert_eq!(a.status, 409, "a finished job: {a:?}");
    assert!(a.message().contains("nothing to resume"), "{a:?}");
    server.stop().await;

    // The strict variant: only the JSON body, and an empty 200. A second per asset, so the
    // cancel always lands while the job runs.
    let dir = tempfile::tempdir().unwrap();
    let (repository, data) = (dir.path().join("dam"), dir.path().join("data"));
    std::fs::create_dir_all(&repository).unwrap();
    folder(&repository);
    let variant = ServerProcess::spawn(
        &repository,
        &data,
        &["--variant", "published-docs", "--pace-ms", "1000"],
    )
    .unwrap();
    let mut c = variant.client();
    let id = c.start_job(start_body("/content/dam/docs")).await;
    // Counted (a checkpoint, so a cancel leaves it resumable) and still running.
    c.wait_for(&id, |j| {
        j.status == Status::Running
            && j.migration_set.calculation_status == CalculationStatus::Success
    })
    .await;
    let query_only = c
        .post_empty(&format!("{API_BASE}/cancel?processingId={id}"))
        .await;
    assert_eq!(query_only.status, 400, "{query_only:?}");
    assert!(
        query_only.message().contains("JSON body"),
        "says where the id goes: {query_only:?}"
    );
    let token = c.csrf_token().await;
    let strict_post = |endpoint: &'static str| {
        c.http
            .post(format!("{}{API_BASE}{endpoint}", variant.base))
            .basic_auth("admin", Some("admin"))
            .header("CSRF-Token", &token)
            .json(&json!({ "processingId": id }))
            .send()
    };
    let response = strict_post("/cancel").await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "", "an empty answer body");
    let job = c.wait_final(&id).await;
    assert_eq!(job.status, Status::Cancelled, "{job:?}");
    assert!(job.resumable, "{job:?}");
    let response = strict_post("/resume").await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "", "an empty answer body");
    assert_eq!(c.wait_final(&id).await.status, Status::Success);
    // A refusal still says why, in the contract's error body.
    let finished = c
        .post_json(
            &format!("{API_BASE}/cancel"),
            &json!({ "processingId": id }),
        )
        .await;
    assert_eq!(finished.status, 409, "{finished:?}");
    let unknown = c
        .post_json(
            &format!("{API_BASE}/cancel"),
            &json!({ "processingId": "nope" }),
        )
        .await;
    assert_eq!(unknown.status, 404, "{unknown:?}");
    variant.kill();
}

#[tokio::test]
async fn the_variant_runs_the_repository_by_itself_and_names_a_run_with_errors_its_own_way() {
    let variant = TestServer::start_variant(folder, Variant::PublishedDocs).await;
    let c = variant.client();
    // The system's own run of /content/dam, started with the server.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let system_run = loop {
        let h = c.get(&format!("{API_BASE}/history?limit=10")).await;
        let runs = h.body["executionHistory"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if let Some(run) = runs
            .iter()
            .find(|r| r["createdBy"] == "system" && r["completedAt"].as_i64() > Some(0))
        {
            break run.clone();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no finished system run: {runs:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(system_run["path"], "/content/dam");
    // bad.dita failed: the post-processing event's word, with an end time and no cancel.
    assert_eq!(
        system_run["status"], "COMPLETED WITH ERRORS",
        "{system_run}"
    );
    assert_eq!(system_run["cancellable"], false);
    let id = system_run["processingId"].as_str().unwrap();
    let status = c.get(&format!("{API_BASE}/status?processingId={id}")).await;
    assert_eq!(status.body["status"], "COMPLETED WITH ERRORS");
    variant.stop().await;
}

#[tokio::test]
async fn the_current_user_is_answered_as_granite_does() {
    let server = TestServer::start_with(folder).await;
    let me = server.client().get(CURRENT_USER_PATH).await;
    assert_eq!(me.status, 200, "{me:?}");
    assert_eq!(me.body["authorizableId"], "admin");
    let nobody = server.anonymous().get(CURRENT_USER_PATH).await;
    assert_eq!(nobody.status, 200, "{nobody:?}");
    assert_eq!(nobody.body["authorizableId"], "anonymous");
    server.stop().await;
}
