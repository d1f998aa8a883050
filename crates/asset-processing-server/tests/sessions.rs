//! Sessions do not pile up: signing in deletes the expired ones (the timer that also does it
//! is tested in `http::auth`).

mod common;

use common::TestServer;

#[tokio::test]
async fn signing_in_deletes_expired_sessions() {
    let server = TestServer::start().await;
    let db = rusqlite::Connection::open(server.data.join("asset-processing.sqlite")).unwrap();
    let now = asset_processing_server::clock::now_ms();
    db.execute(
        "INSERT INTO sessions (token, user_id, expires_at) VALUES ('gone', 'admin', ?1), ('kept', 'admin', ?2)",
        [now - 1_000, now + 3_600_000],
    )
    .unwrap();

    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = http
        .post(server.url("/libs/granite/core/content/login.html/j_security_check"))
        .form(&[
            ("j_username", "admin"),
            ("j_password", "admin"),
            ("resource", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "signed in and sent back");

    let mut tokens: Vec<String> = db
        .prepare("SELECT token FROM sessions ORDER BY token")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!tokens.contains(&"gone".to_string()), "{tokens:?}");
    assert!(tokens.contains(&"kept".to_string()), "a live session stays");
    tokens.retain(|t| t != "kept");
    assert_eq!(tokens.len(), 1, "and the new one is there");
    server.stop().await;
}
