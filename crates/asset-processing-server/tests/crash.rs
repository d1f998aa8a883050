//! Kill the real server process (SIGKILL) in the middle of a job, start it again, resume,
//! and find every asset processed exactly once.
//!
//! Deterministic: the first server holds the job once 1,500 assets are committed
//! (`--hold-after`, a `dev-fixtures` flag), so the kill always lands mid-job however fast the
//! machine; ports come from the server's own answer (`--listen 127.0.0.1:0`).

#![cfg(unix)]

mod common;

use std::collections::HashMap;

use asset_processing_api::{CalculationStatus, Status, API_BASE};
use asset_processing_server::engine::INTERRUPTED_COUNTING;
use asset_processing_server::store::logs;
use common::{start_body, ServerProcess};

const ASSETS: usize = 6_000;
/// Past the first sealed block of the log (`logs::BLOCK_LINES`, a line per asset), so the
/// kill lands with lines both in a compressed block and in the open tail.
const HOLD_AFTER: u64 = 1_500;

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

    let hold = HOLD_AFTER.to_string();
    let server = ServerProcess::spawn(&repo, &data, &["--workers", "1", "--hold-after", &hold])
        .expect("the server starts");
    let mut api = server.client();
    let id = api.start_job(start_body("/content/dam")).await;

    // The job holds once HOLD_AFTER assets are committed (at the first batch boundary past
    // it); kill it there, without warning.
    let before = api
        .wait_for(&id, |j| {
            j.triggered_count >= HOLD_AFTER || !j.status.is_active()
        })
        .await;
    assert_eq!(before.status, Status::Running, "held mid-job: {before:?}");
    assert!(before.triggered_count < ASSETS as u64, "{before:?}");
    let shown_before = api.all_log_lines(&id).await;
    assert!(shown_before.len() as u64 > logs::BLOCK_LINES);
    server.kill(); // SIGKILL

    let server = ServerProcess::spawn(&repo, &data, &["--workers", "1"]).expect("it restarts");
    assert!(
        server
            .startup
            .iter()
            .any(|l| l.contains("interrupted by a stop and can be resumed")),
        "the restart says what it found: {:#?}",
        server.startup
    );
    let mut api = server.client();
    let after = api.status(&id).await;
    assert_eq!(after.status, Status::Failed, "{after:?}");
    assert!(after.comments.contains("Interrupted"), "{}", after.comments);
    assert!(after.resumable, "{after:?}");
    assert_eq!(
        after.triggered_count, before.triggered_count,
        "committed work survives the kill, and the held job committed nothing more"
    );

    let shown_after = api.all_log_lines(&id).await;
    assert_eq!(
        shown_after[..shown_before.len()],
        shown_before[..],
        "every line the API showed before the kill is still there, unchanged"
    );

    let resumed = api
        .post_empty(&format!("{API_BASE}/resume?processingId={id}"))
        .await;
    assert_eq!(resumed.status, 200, "{resumed:?}");
    assert_eq!(resumed.job().processing_id, id);
    let done = api.wait_final(&id).await;
    assert_eq!(done.status, Status::Success, "{done:?}");
    assert_eq!(done.triggered_count, ASSETS as u64);
    server.kill();

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
    // Every line of the log as the database holds it (its compressed blocks and open tail).
    let len = logs::len(&conn, &id).unwrap().unwrap();
    let log = logs::range(&conn, &id, 0, len).unwrap();
    assert_eq!(log.len() as u64, len);
    let mut per_path: HashMap<String, usize> = HashMap::new();
    for line in log.iter().filter(|l| l.contains(" INFO Processed ")) {
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

/// Killed while it counts its assets, a job has no checkpoint: it is FAILED and restartable,
/// not resumable, and its comments and log say restart, never resume (`--hold-after 0`
/// holds the job while it counts, so the kill lands there).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_while_counting_its_words_say_restart_as_its_flags_do() {
    let dir = tempfile::tempdir().unwrap();
    let (repo, data) = (dir.path().join("dam"), dir.path().join("data"));
    common::write_files(&repo, &[("docs/a.dita", "<topic id=\"a\"/>")]);
    let server = ServerProcess::spawn(&repo, &data, &["--workers", "1", "--hold-after", "0"])
        .expect("the server starts");
    let mut api = server.client();
    let id = api.start_job(start_body("/content/dam/docs")).await;
    let counting = api
        .wait_for(&id, |j| {
            j.migration_set.calculation_status == CalculationStatus::Running
                || !j.status.is_active()
        })
        .await;
    assert_eq!(counting.status, Status::Running, "{counting:?}");
    server.kill();

    let server = ServerProcess::spawn(&repo, &data, &[]).expect("it restarts");
    let mut api = server.client();
    let after = api.status(&id).await;
    assert_eq!(after.status, Status::Failed, "{after:?}");
    assert!(!after.resumable && after.restartable, "{after:?}");
    assert_eq!(after.comments, INTERRUPTED_COUNTING);
    assert!(after.comments.contains("Restart it"), "{}", after.comments);
    let log = api.all_log_lines(&id).await;
    assert!(
        log.last().unwrap().ends_with(INTERRUPTED_COUNTING),
        "the log says the same: {log:#?}"
    );
    assert!(
        !log.iter().any(|l| l.contains("Resume it")),
        "nothing promises a resume: {log:#?}"
    );
    let resumed = api
        .post_empty(&format!("{API_BASE}/resume?processingId={id}"))
        .await;
    assert_eq!(resumed.status, 409, "{resumed:?}");
    assert!(resumed.message().contains("restart it"), "{resumed:?}");
}
