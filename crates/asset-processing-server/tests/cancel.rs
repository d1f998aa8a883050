//! Cancel over HTTP, with the real server process: the answer is the job as it is once the
//! request is recorded (here RUNNING, as its worker is held mid-job by `--hold-after`), and the
//! recorded request outlives the process: after a kill -9 and a restart the job is CANCELLED,
//! resumable, and a resume finishes every asset exactly once.

#![cfg(unix)]

mod common;

use asset_processing_api::{Status, API_BASE};
use asset_processing_server::engine::CANCELLED_BY_RESTART;
use common::{start_body, write_files, ServerProcess};

const ASSETS: usize = 1_200;

#[tokio::test]
async fn a_recorded_cancel_is_answered_truthfully_and_survives_a_kill() {
    let dir = tempfile::tempdir().unwrap();
    let (repository, data) = (dir.path().join("dam"), dir.path().join("data"));
    let files: Vec<(String, String)> = (0..ASSETS)
        .map(|i| {
            (
                format!("set-{}/topic-{i:04}.dita", i % 5),
                format!("<topic id=\"t{i}\"><title>Topic {i}</title></topic>"),
            )
        })
        .collect();
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    write_files(&repository, &files);

    // The worker holds after its first batch (512 assets) is committed.
    let server = ServerProcess::spawn(&repository, &data, &["--workers", "1", "--hold-after", "1"])
        .expect("the server starts");
    let mut c = server.client();
    let id = c.start_job(start_body("/content/dam")).await;
    let held = c.wait_for(&id, |j| j.triggered_count > 0).await;
    assert_eq!(held.status, Status::Running);

    let a = c
        .post_empty(&format!("{API_BASE}/cancel?processingId={id}"))
        .await;
    assert_eq!(a.status, 200, "{a:?}");
    let answered = a.job();
    assert_eq!(
        (answered.status, answered.triggered_count),
        (Status::Running, held.triggered_count),
        "the job as it is: recorded, still running until its worker's next commit"
    );
    // Asked again: the same answer, and one request in the log.
    let again = c
        .post_empty(&format!("{API_BASE}/cancel?processingId={id}"))
        .await;
    assert_eq!(again.status, 200, "{again:?}");
    let lines = c.all_log_lines(&id).await;
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("WARN Cancel requested by admin"))
            .count(),
        1
    );
    server.kill();

    let server = ServerProcess::spawn(&repository, &data, &["--workers", "1"]).expect("restarts");
    let mut c = server.client();
    let after = c.status(&id).await;
    assert_eq!(after.status, Status::Cancelled, "{after:?}");
    assert_eq!(after.comments, CANCELLED_BY_RESTART);
    assert_eq!(after.triggered_count, held.triggered_count);
    assert!(after.resumable && !after.cancellable, "{after:?}");

    let resumed = c
        .post_empty(&format!("{API_BASE}/resume?processingId={id}"))
        .await;
    assert_eq!(resumed.status, 200, "{resumed:?}");
    let done = c.wait_final(&id).await;
    assert_eq!(done.status, Status::Success, "{done:?}");
    assert_eq!(done.triggered_count, ASSETS as u64);
    server.kill();

    let db = rusqlite::Connection::open(data.join("asset-processing.sqlite")).unwrap();
    let (rows, distinct): (i64, i64) = db
        .query_row(
            "SELECT COUNT(*), COUNT(DISTINCT path) FROM asset_results WHERE job_id = ?1",
            [&id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (rows, distinct),
        (ASSETS as i64, ASSETS as i64),
        "each asset exactly once"
    );
}
