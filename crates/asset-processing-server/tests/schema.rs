//! The database's schema is versioned (`PRAGMA user_version`, `store::MIGRATIONS`): a database
//! made by the first release is brought forward on start, with its data and a line in the
//! server's log for each step; a database newer than the server is refused, untouched.

mod common;

use std::path::Path;

use asset_processing_api::Status;
use asset_processing_server::store::{jobs, logs, schema_version, sessions, Store, MIGRATIONS};
use common::ServerProcess;

/// The first release's schema, as it shipped (commit 35f03ac).
const SCHEMA_V1: &str = include_str!("fixtures/schema-v1.sql");

fn without_comments(sql: &str) -> String {
    sql.lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// A database as the first release left it: its tables, `user_version` 0, a finished job
/// with its log, checkpoint and results, an asset's last processing and a session.
fn first_release_database(file: &Path) {
    let db = rusqlite::Connection::open(file).unwrap();
    db.execute_batch(SCHEMA_V1).unwrap();
    db.execute_batch(
        r#"
        INSERT INTO jobs (id, path, excluded_paths, kind, file_types, filter_processed, status,
                          calculation_status, total_files, triggered_count, processed, failed,
                          skipped, created_at, started_at, completed_at, created_by, comments,
                          eta_seconds, has_checkpoint, log_lines)
        VALUES ('old-job', '/content/dam/docs', '["/content/dam/docs/old"]', 'ASSET_PROCESSING',
                '[]', 0, 'SUCCESS', 'SUCCESS', 2, 2, 1, 1, 0, 1000, 1001, 2000, 'author',
                '1 processed, 1 failed, 0 skipped.', 0, 1, 3);
        INSERT INTO log_lines (job_id, line_no, text) VALUES
            ('old-job', 0, '1970-01-01T00:00:01.000Z INFO Queued by author'),
            ('old-job', 1, '1970-01-01T00:00:01.500Z INFO Processed /content/dam/docs/a.dita (application/dita+xml, 10 bytes)'),
            ('old-job', 2, '1970-01-01T00:00:02.000Z ERROR Failed /content/dam/docs/b.dita: it is gone');
        INSERT INTO job_assets (job_id, seq, path) VALUES
            ('old-job', 0, '/content/dam/docs/a.dita'), ('old-job', 1, '/content/dam/docs/b.dita');
        INSERT INTO asset_results (job_id, path, outcome, media_type, size, sha256, message) VALUES
            ('old-job', '/content/dam/docs/a.dita', 'processed', 'application/dita+xml', 10, 'ab', ''),
            ('old-job', '/content/dam/docs/b.dita', 'failed', '', 0, '', 'it is gone');
        INSERT INTO processed_assets (path, size, modified_ns, sha256, job_id, processed_at) VALUES
            ('/content/dam/docs/a.dita', 10, 5, 'ab', 'old-job', 1500);
        INSERT INTO sessions (token, user_id, expires_at) VALUES ('t0ken', 'author', 9000000000000);
        "#,
    )
    .unwrap();
    let version: u32 = db
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 0, "the first release never set a version");
}

fn user_version(file: &Path) -> u32 {
    rusqlite::Connection::open(file)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

#[test]
fn the_first_migration_is_the_first_release_schema_unchanged() {
    // A shipped migration never changes: databases in the field were made by it.
    assert_eq!(
        without_comments(MIGRATIONS[0].1),
        without_comments(SCHEMA_V1)
    );
    assert_eq!(schema_version() as usize, MIGRATIONS.len());
}

#[test]
fn a_first_release_database_is_upgraded_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("asset-processing.sqlite");
    first_release_database(&file);

    let store = Store::open(&file).unwrap();
    assert_eq!(user_version(&file), schema_version());
    let conn = store.connect().unwrap();
    let job = jobs::get(&conn, "old-job").unwrap().unwrap();
    assert_eq!(job.status, Status::Success);
    assert_eq!(job.path, "/content/dam/docs");
    assert_eq!(job.excluded_paths, vec!["/content/dam/docs/old"]);
    assert_eq!((job.triggered_count, job.migration_set.total_files), (2, 2));
    assert_eq!((job.started_at, job.completed_at), (1001, 2000));
    assert_eq!(job.created_by, "author");
    assert_eq!(job.comments, "1 processed, 1 failed, 0 skipped.");
    assert!(job.restartable && !job.resumable && job.has_logs);
    assert!(job.filter.file_types.is_empty() && !job.filter.filter_processed_assets);
    assert!(
        !jobs::cancel_requested(&conn, "old-job").unwrap(),
        "no cancel recorded"
    );
    let lines = logs::range(&conn, "old-job", 0, 10).unwrap();
    assert_eq!(lines.len(), 3);
    assert!(lines[2].ends_with("ERROR Failed /content/dam/docs/b.dita: it is gone"));
    assert_eq!(
        sessions::user(&conn, "t0ken", 0).unwrap().as_deref(),
        Some("author"),
        "people stay signed in across the upgrade"
    );
    drop(store);

    // Opening again migrates nothing more and changes nothing.
    Store::open(&file).unwrap();
    assert_eq!(user_version(&file), schema_version());
}

#[test]
fn a_long_log_of_an_earlier_release_is_compressed_and_keeps_every_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("asset-processing.sqlite");
    first_release_database(&file);
    // The old job's log grown to 2,345 lines, one row each as the first release wrote them.
    let db = rusqlite::Connection::open(&file).unwrap();
    let mut written: Vec<String> = Vec::new();
    for i in 0..2_345i64 {
        let text: String = if i < 3 {
            db.query_row(
                "SELECT text FROM log_lines WHERE job_id = 'old-job' AND line_no = ?1",
                [i],
                |r| r.get(0),
            )
            .unwrap()
        } else {
            let text =
                format!("1970-01-01T00:00:03.000Z INFO Processed /content/dam/docs/t-{i}.dita");
            db.execute(
                "INSERT INTO log_lines (job_id, line_no, text) VALUES ('old-job', ?1, ?2)",
                rusqlite::params![i, text],
            )
            .unwrap();
            text
        };
        written.push(text);
    }
    db.execute("UPDATE jobs SET log_lines = 2345 WHERE id = 'old-job'", [])
        .unwrap();
    drop(db);

    let store = Store::open(&file).unwrap();
    let conn = store.connect().unwrap();
    assert_eq!(logs::len(&conn, "old-job").unwrap(), Some(2_345));
    assert_eq!(logs::range(&conn, "old-job", 0, 5_000).unwrap(), written);
    assert_eq!(
        logs::range(&conn, "old-job", 1_990, 20).unwrap(),
        written[1_990..2_010]
    );
    let (blocks, rows): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT COUNT(*) FROM log_blocks WHERE job_id = 'old-job'), \
                    (SELECT COUNT(*) FROM log_lines WHERE job_id = 'old-job')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (blocks, rows),
        (2, 345),
        "full blocks sealed, the tail left as rows"
    );
    let bytes: usize = written.iter().map(|l| l.len() + 1).sum();
    assert_eq!(logs::text_bytes(&conn, "old-job").unwrap(), bytes as u64);
}

#[test]
fn a_newer_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("asset-processing.sqlite");
    drop(Store::open(&file).unwrap());
    let newer = schema_version() + 1;
    rusqlite::Connection::open(&file)
        .unwrap()
        .pragma_update(None, "user_version", newer)
        .unwrap();
    let err = Store::open(&file).err().expect("refused");
    assert!(
        err.0.contains(&format!("schema version {newer}"))
            && err.0.contains("newer than this server knows")
            && err.0.contains(&file.display().to_string()),
        "{err}"
    );
    assert_eq!(user_version(&file), newer, "left as it was");
}

#[tokio::test]
async fn the_server_migrates_on_start_and_says_so_in_its_log() {
    let dir = tempfile::tempdir().unwrap();
    let (repository, data) = (dir.path().join("dam"), dir.path().join("data"));
    std::fs::create_dir_all(repository.join("docs")).unwrap();
    std::fs::create_dir_all(&data).unwrap();
    first_release_database(&data.join("asset-processing.sqlite"));

    let server = ServerProcess::spawn(&repository, &data, &[]).expect("it starts");
    for version in 2..=schema_version() {
        let step = format!("schema migrated to version {version}");
        assert!(
            server.startup.iter().any(|l| l.contains(&step)),
            "{step} in {:#?}",
            server.startup
        );
    }
    let job = server.client().status("old-job").await;
    assert_eq!((job.status, job.triggered_count), (Status::Success, 2));
    server.kill();

    // Started again on the migrated database: nothing more to migrate.
    let server = ServerProcess::spawn(&repository, &data, &[]).expect("it starts again");
    assert!(
        !server.startup.iter().any(|l| l.contains("schema migrated")),
        "{:#?}",
        server.startup
    );
    server.kill();
}

#[test]
fn the_server_refuses_a_newer_database_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let (repository, data) = (dir.path().join("dam"), dir.path().join("data"));
    std::fs::create_dir_all(&repository).unwrap();
    std::fs::create_dir_all(&data).unwrap();
    let file = data.join("asset-processing.sqlite");
    drop(Store::open(&file).unwrap());
    rusqlite::Connection::open(&file)
        .unwrap()
        .pragma_update(None, "user_version", schema_version() + 5)
        .unwrap();
    let printed = ServerProcess::spawn(&repository, &data, &[])
        .err()
        .expect("the server must not start");
    assert!(
        printed.contains("error: cannot open the database")
            && printed.contains("newer than this server knows"),
        "{printed}"
    );
}
