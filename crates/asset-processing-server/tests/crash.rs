//! Kill the real server process (SIGKILL) in the middle of a job, start it again, resume,
//! and find every asset processed exactly once.

#![cfg(unix)]

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use asset_processing_api::{Job, Status, API_BASE};
use serde_json::json;

const ASSETS: usize = 6_000;

fn spawn(repo: &Path, data: &Path) -> (Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_asset-processing-server"))
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--workers",
            "1",
        ])
        .arg("--repository")
        .arg(repo)
        .arg("--data")
        .arg(data)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    (child, format!("http://127.0.0.1:{port}"))
}

struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    async fn ready(base: &str) -> Api {
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let r = http
                .get(format!("{base}{API_BASE}/history"))
                .basic_auth("admin", Some("admin"))
                .send()
                .await;
            if r.is_ok_and(|r| r.status() == 200) {
                return Api {
                    http,
                    base: base.to_string(),
                };
            }
            assert!(Instant::now() < deadline, "the server did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn token(&self) -> String {
        let v: serde_json::Value = self
            .http
            .get(format!("{}/libs/granite/csrf/token.json", self.base))
            .basic_auth("admin", Some("admin"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["token"].as_str().unwrap().to_string()
    }

    async fn post(&self, path: &str, body: Option<serde_json::Value>) -> serde_json::Value {
        let mut rb = self
            .http
            .post(format!("{}{path}", self.base))
            .basic_auth("admin", Some("admin"))
            .header("CSRF-Token", self.token().await);
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let r = rb.send().await.unwrap();
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }

    async fn status(&self, id: &str) -> Job {
        self.http
            .get(format!("{}{API_BASE}/status?processingId={id}", self.base))
            .basic_auth("admin", Some("admin"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_job_then_resume_processes_every_asset_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("dam");
    let data = dir.path().join("data");
    for i in 0..ASSETS {
        let p = repo.join(format!(
            "book-{:02}/chapter-{:03}/topic-{i:05}.dita",
            i % 10,
            i % 97
        ));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let body = "<p>Some text of the topic, long enough to be hashed for real.</p>".repeat(20);
        std::fs::write(
            p,
            format!("<topic id=\"t{i}\"><title>Topic {i}</title><body>{body}</body></topic>"),
        )
        .unwrap();
    }

    let (mut server, base) = spawn(&repo, &data);
    let api = Api::ready(&base).await;
    let started = api
        .post(
            API_BASE,
            Some(json!({"path": "/content/dam", "type": "ASSET_PROCESSING"})),
        )
        .await;
    let id = started["processingId"].as_str().unwrap().to_string();

    // Wait until it is well into processing, then kill it without warning.
    let deadline = Instant::now() + Duration::from_secs(60);
    let before = loop {
        let job = api.status(&id).await;
        if job.triggered_count >= 200 {
            break job;
        }
        assert!(
            job.status.is_active(),
            "the job ended before it could be killed: {job:?}"
        );
        assert!(Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    assert!(
        before.triggered_count < ASSETS as u64,
        "killed mid-job: {before:?}"
    );

    let (mut server, base) = spawn(&repo, &data);
    let api = Api::ready(&base).await;
    let after = api.status(&id).await;
    assert_eq!(after.status, Status::Failed, "{after:?}");
    assert!(after.comments.contains("Interrupted"), "{}", after.comments);
    assert!(after.resumable, "{after:?}");
    assert!(
        after.triggered_count >= before.triggered_count,
        "committed work survives the kill"
    );

    let resumed = api
        .post(&format!("{API_BASE}/resume?processingId={id}"), None)
        .await;
    assert_eq!(resumed["processingId"], id.as_str());
    let deadline = Instant::now() + Duration::from_secs(120);
    let done = loop {
        let job = api.status(&id).await;
        if job.status.is_final() {
            break job;
        }
        assert!(Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(done.status, Status::Success, "{done:?}");
    assert_eq!(done.triggered_count, ASSETS as u64);
    server.kill().unwrap();
    server.wait().unwrap();

    // Exactly once, from the database itself.
    let conn = rusqlite::Connection::open(data.join("asset-processing.sqlite")).unwrap();
    let (rows, distinct): (i64, i64) = conn
        .query_row(
            "SELECT COUNT(*), COUNT(DISTINCT path) FROM asset_results WHERE job_id = ?1",
            [&id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((rows, distinct), (ASSETS as i64, ASSETS as i64));
    let mut stmt = conn
        .prepare("SELECT text FROM log_lines WHERE job_id = ?1 AND text LIKE '% INFO Processed %'")
        .unwrap();
    let mut per_path: HashMap<String, usize> = HashMap::new();
    for line in stmt.query_map([&id], |r| r.get::<_, String>(0)).unwrap() {
        let line = line.unwrap();
        let path = line
            .split(" INFO Processed ")
            .nth(1)
            .unwrap()
            .split(" (")
            .next()
            .unwrap()
            .to_string();
        *per_path.entry(path).or_default() += 1;
    }
    assert_eq!(per_path.len(), ASSETS);
    assert!(
        per_path.values().all(|&n| n == 1),
        "an asset was logged as processed twice"
    );
}
