//! A job whose folder is removed while it runs cannot go on: it ends FAILED and says so
//! (contract, "Job outcome"), not SUCCESS with every remaining asset counted as failed.
//! Deterministic: the folder is removed by a hook right after the run's first commit.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use asset_processing_api::{Filter, ProcessingType, Status};
use asset_processing_server::clock::now_ms;
use asset_processing_server::engine::{Engine, Hooks, Options};
use asset_processing_server::repository::Repository;
use asset_processing_server::store::{jobs, logs, NewJob, Store};

const ASSETS: u64 = 300;

#[test]
fn a_folder_removed_while_its_job_runs_ends_the_job_failed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("dam");
    let folder = root.join("docs");
    for i in 0..ASSETS {
        let p = folder.join(format!("part-{}/t{i:03}.dita", i % 5));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, format!("<topic id=\"t{i}\"><title>T</title></topic>")).unwrap();
    }
    let store = Store::open(&dir.path().join("db.sqlite")).unwrap();
    let repo = Repository::open(&root).unwrap();
    let removed = Arc::new(AtomicBool::new(false));
    let remove = removed.clone();
    let gone = folder.clone();
    let hooks = Hooks {
        after_commit: Some(Arc::new(move |_id: &str, _handled: u64| {
            if !remove.swap(true, Ordering::SeqCst) {
                std::fs::remove_dir_all(&gone).unwrap(); // rm -rf, mid-job
            }
        })),
        ..Hooks::default()
    };
    let options = Options {
        batch: 4,
        hooks,
        ..Options::default()
    };
    let engine = Engine::start_with(store.clone(), repo, 1, options).unwrap();
    let job = NewJob {
        id: "gone".into(),
        path: "/content/dam/docs".into(),
        excluded_paths: vec![],
        kind: ProcessingType::AssetProcessing,
        filter: Filter::default(),
        created_by: "tester".into(),
        created_at: now_ms(),
    };
    jobs::insert_with_log(&mut store.connect().unwrap(), &job, "queued").unwrap();
    engine.wake();

    let conn = store.connect().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let done = loop {
        let j = jobs::get(&conn, "gone").unwrap().unwrap();
        if j.status.is_final() {
            break j;
        }
        assert!(Instant::now() < deadline, "never ended: {j:?}");
        std::thread::sleep(Duration::from_millis(5));
    };
    engine.shutdown();
    assert!(
        removed.load(Ordering::SeqCst),
        "the folder was removed mid-job"
    );
    assert_eq!(done.status, Status::Failed, "{done:?}");
    assert!(
        done.comments
            .starts_with("Failed: the path /content/dam/docs vanished while the job ran"),
        "{}",
        done.comments
    );
    assert!(done.triggered_count < ASSETS, "it stopped: {done:?}");
    assert!(
        done.resumable,
        "its checkpoint stays, for when the folder is back"
    );
    let len = logs::len(&conn, "gone").unwrap().unwrap();
    let log = logs::range(&conn, "gone", 0, len).unwrap();
    let last = log.last().unwrap();
    assert!(
        last.contains(" ERROR Failed: the path /content/dam/docs vanished"),
        "the log ends with why: {last}"
    );
}
