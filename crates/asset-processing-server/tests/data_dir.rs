//! The data folder belongs to one server at a time, and a database that lost its content is
//! never taken for a new one. Both with the real binary, as an operator would start it.

#![cfg(unix)]

mod common;

use asset_processing_api::Status;
use common::{refused_start, start_body, write_files, ServerProcess};

const DATABASE: &str = "asset-processing.sqlite";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_server_on_the_same_data_is_refused_and_the_first_ones_job_is_unharmed() {
    let dir = tempfile::tempdir().unwrap();
    let (repo, data) = (dir.path().join("dam"), dir.path().join("data"));
    let files: Vec<(String, String)> = (0..400)
        .map(|i| {
            (
                format!("docs/t{i:03}.dita"),
                format!("<topic id=\"t{i}\"/>"),
            )
        })
        .collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(p, c)| (&p[..], &c[..])).collect();
    write_files(&repo, &files);

    // Slow enough (10 ms an asset) that the job is running when the second server tries.
    let first = ServerProcess::spawn(&repo, &data, &["--pace-ms", "10"]).expect("it starts");
    let mut api = first.client();
    let id = api.start_job(start_body("/content/dam/docs")).await;
    let running = api
        .wait_for(&id, |j| j.triggered_count > 0 || j.status.is_final())
        .await;
    assert_eq!(running.status, Status::Running, "{running:?}");

    let (code, printed) = refused_start(&repo, &data, &[]);
    assert!(
        code.is_some_and(|c| c != 0),
        "exit code {code:?}: {printed}"
    );
    assert!(
        printed.contains(&data.display().to_string()),
        "names the folder: {printed}"
    );
    assert!(
        printed.contains(&format!("process {}", first.child.id())),
        "names the process that holds it: {printed}"
    );
    assert!(
        !printed.contains("interrupted"),
        "it touched no job: {printed}"
    );

    // The first server's job goes on, and ends as if nothing had happened.
    let done = api.wait_final(&id).await;
    assert_eq!(done.status, Status::Success, "{done:?}");
    assert_eq!(done.triggered_count, 400);
    assert_eq!(done.comments, "400 processed, 0 failed, 0 skipped.");
    let log = api.all_log_lines(&id).await;
    assert!(
        !log.iter().any(|l| l.contains("Interrupted")),
        "no interruption was recorded: {log:#?}"
    );
}

#[test]
fn an_emptied_database_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let (repo, data) = (dir.path().join("dam"), dir.path().join("data"));
    std::fs::create_dir_all(&repo).unwrap();
    std::fs::create_dir_all(&data).unwrap();
    let file = data.join(DATABASE);
    std::fs::write(&file, b"").unwrap();

    let (code, printed) = refused_start(&repo, &data, &[]);
    assert!(
        code.is_some_and(|c| c != 0),
        "exit code {code:?}: {printed}"
    );
    assert!(printed.contains("is empty (0 bytes)"), "{printed}");
    assert!(
        printed.contains("move it away") && printed.contains(&file.display().to_string()),
        "says how to start afresh on purpose: {printed}"
    );
    assert_eq!(std::fs::metadata(&file).unwrap().len(), 0, "left as it was");
    assert!(
        !data.join(format!("{DATABASE}-wal")).exists(),
        "not even opened"
    );

    // Moved away on purpose: a folder without a database starts, with a new one.
    std::fs::rename(&file, data.join(format!("{DATABASE}.empty"))).unwrap();
    let server = ServerProcess::spawn(&repo, &data, &[]).expect("a new database");
    assert!(std::fs::metadata(&file).unwrap().len() > 0);
    server.kill();
}
