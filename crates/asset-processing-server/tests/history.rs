//! The history endpoint and the JSON error body, over real HTTP on loopback.

mod common;

use asset_processing_api::{Filter, History, ProcessingType, API_BASE};
use asset_processing_server::store::{NewJob, Store};
use common::TestServer;

#[tokio::test]
async fn empty_history_is_an_empty_list() {
    let server = TestServer::start().await;
    let a = server.client().get(&format!("{API_BASE}/history")).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body, serde_json::json!({ "executionHistory": [] }));
    server.stop().await;
}

#[tokio::test]
async fn history_lists_jobs_newest_first_with_every_contract_field() {
    let server = TestServer::start().await;
    let store = Store::open(&server.data.join("asset-processing.sqlite")).unwrap();
    for i in 0..12 {
        store
            .insert_job(NewJob {
                id: format!("job-{i:02}"),
                path: "/content/dam/docs".into(),
                excluded_paths: vec![],
                kind: ProcessingType::AssetProcessing,
                filter: Filter::default(),
                created_by: "admin".into(),
                created_at: 1_000 + i,
            })
            .await
            .unwrap();
    }

    let a = server.client().get(&format!("{API_BASE}/history")).await;
    let (status, body) = (a.status, a.body);
    assert_eq!(status, 200);
    let history: History = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(history.execution_history.len(), 10, "default limit is 10");
    assert_eq!(history.execution_history[0].processing_id, "job-11");
    let first = body["executionHistory"][0].as_object().unwrap();
    assert_eq!(first.len(), 17, "exactly the contract's fields: {first:?}");

    let body = server
        .client()
        .get(&format!("{API_BASE}/history?limit=3"))
        .await
        .body;
    assert_eq!(body["executionHistory"].as_array().unwrap().len(), 3);
    server.stop().await;
}

#[tokio::test]
async fn a_bad_limit_is_a_400_with_a_message() {
    let server = TestServer::start().await;
    for bad in ["0", "101", "-1", "ten"] {
        let a = server
            .client()
            .get(&format!("{API_BASE}/history?limit={bad}"))
            .await;
        let (status, body) = (a.status, a.body);
        assert_eq!(status, 400, "limit={bad}");
        assert_eq!(body["status"], 400);
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .starts_with("limit must be"),
            "{body}"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn unknown_routes_and_wrong_methods_answer_json() {
    let server = TestServer::start().await;
    let a = server
        .client()
        .get("/bin/guides/v1/assets/process/nothing")
        .await;
    let (status, body) = (a.status, a.body);
    assert_eq!(status, 404);
    assert_eq!(body["status"], 404);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("/bin/guides/v1/assets/process/nothing"));

    let response = reqwest::Client::new()
        .delete(server.url(&format!("{API_BASE}/history")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 405);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], 405);
    server.stop().await;
}
