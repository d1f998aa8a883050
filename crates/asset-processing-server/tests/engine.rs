//! The engine's guarantees, without HTTP: every asset handled exactly once across cancel,
//! resume and a stop in the middle of a job; waiting jobs start after a restart.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use asset_processing_api::{Filter, ProcessingType, Status};
use asset_processing_server::clock::now_ms;
use asset_processing_server::engine::{Cancel, Engine};
use asset_processing_server::repository::Repository;
use asset_processing_server::store::{assets, jobs, logs, NewJob, Store};

const ASSETS: usize = 600;

fn fixture() -> (tempfile::TempDir, Store, Repository) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("dam");
    for i in 0..ASSETS {
        let p = root.join(format!("set-{}/topic-{i:04}.dita", i % 7));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(
            p,
            format!("<topic id=\"t{i}\"><title>Topic {i}</title><body/></topic>"),
        )
        .unwrap();
    }
    let store = Store::open(&dir.path().join("db.sqlite")).unwrap();
    let repo = Repository::open(&root).unwrap();
    (dir, store, repo)
}

fn queue(store: &Store, id: &str) {
    let mut conn = store.connect().unwrap();
    let job = NewJob {
        id: id.into(),
        path: "/content/dam".into(),
        excluded_paths: vec![],
        kind: ProcessingType::AssetProcessing,
        filter: Filter::default(),
        created_by: "tester".into(),
        created_at: now_ms(),
    };
    jobs::insert_with_log(&mut conn, &job, "queued").unwrap();
}

fn job(store: &Store, id: &str) -> asset_processing_api::Job {
    jobs::get(&store.connect().unwrap(), id).unwrap().unwrap()
}

fn wait(
    store: &Store,
    id: &str,
    pred: impl Fn(&asset_processing_api::Job) -> bool,
) -> asset_processing_api::Job {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let j = job(store, id);
        if pred(&j) {
            return j;
        }
        assert!(Instant::now() < deadline, "timed out: {j:?}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Each asset has exactly one result row and exactly one "Processed" log line.
fn assert_exactly_once(store: &Store, id: &str) {
    let conn = store.connect().unwrap();
    let results = assets::result_counts(&conn, id).unwrap();
    assert_eq!(results.len(), ASSETS, "one result row per asset");
    assert!(results.iter().all(|(_, outcome)| outcome == "processed"));
    let len = logs::len(&conn, id).unwrap().unwrap();
    let lines = logs::range(&conn, id, 0, len).unwrap();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for l in &lines {
        if let Some(rest) = l.split_once(" INFO Processed ").map(|(_, r)| r) {
            let path = rest.split(" (").next().unwrap().to_string();
            *seen.entry(path).or_default() += 1;
        }
    }
    assert_eq!(seen.len(), ASSETS, "every asset logged");
    assert!(seen.values().all(|&n| n == 1), "no asset logged twice");
    assert!(assets::pending(&conn, id).unwrap().is_empty());
}

#[test]
fn cancel_and_resume_repeatedly_handle_every_asset_exactly_once() {
    let (_dir, store, repo) = fixture();
    // Batches of one: a cancel can land between any two assets.
    let engine = Engine::start_with_batch(store.clone(), repo, 1, 1).unwrap();
    queue(&store, "j");
    engine.wake();
    let mut cancels = 0;
    let mut last = 0;
    loop {
        let j = wait(&store, "j", |j| {
            j.status.is_final() || (j.status == Status::Running && j.triggered_count > last)
        });
        if j.status == Status::Success {
            break;
        }
        if j.status == Status::Running && cancels < 4 {
            let outcome = engine
                .cancel("j", "tester", Duration::from_secs(10))
                .unwrap();
            let cancelled = job(&store, "j");
            if outcome == Cancel::NotAllowed {
                // The job finished between our look and the cancel: refused, as it must be.
                assert_eq!(cancelled.status, Status::Success, "{cancelled:?}");
                break;
            }
            assert_eq!(outcome, Cancel::Done);
            if cancelled.status == Status::Success {
                break; // it finished just before the cancel arrived
            }
            assert_eq!(cancelled.status, Status::Cancelled, "{cancelled:?}");
            assert!(cancelled.resumable && cancelled.restartable && !cancelled.cancellable);
            assert!(
                cancelled.comments.starts_with("Cancelled after"),
                "{}",
                cancelled.comments
            );
            last = cancelled.triggered_count;
            assert!(last < ASSETS as u64);
            cancels += 1;
            assert!(engine.resume("j", "tester").unwrap());
        } else {
            last = j.triggered_count;
        }
    }
    assert!(cancels >= 1, "the job was cancelled at least once");
    let done = wait(&store, "j", |j| j.status.is_final());
    assert_eq!(
        (
            done.status,
            done.triggered_count,
            done.migration_set.total_files
        ),
        (Status::Success, ASSETS as u64, ASSETS as u64)
    );
    assert_exactly_once(&store, "j");
    engine.shutdown();
}

#[test]
fn a_stop_mid_job_leaves_it_resumable_and_resume_finishes_it_exactly_once() {
    let (_dir, store, repo) = fixture();
    let engine = Engine::start_with_batch(store.clone(), repo.clone(), 1, 1).unwrap();
    queue(&store, "j");
    engine.wake();
    wait(&store, "j", |j| {
        j.triggered_count >= 50 || j.status.is_final()
    });
    engine.shutdown();
    let stopped = job(&store, "j");
    assert_eq!(stopped.status, Status::Failed, "{stopped:?}");
    assert!(
        stopped.comments.starts_with("Interrupted"),
        "{}",
        stopped.comments
    );
    assert!(stopped.resumable);

    let engine = Engine::start_with_batch(store.clone(), repo, 2, 8).unwrap();
    assert!(engine.resume("j", "tester").unwrap());
    let done = wait(&store, "j", |j| j.status.is_final());
    assert_eq!(done.status, Status::Success, "{done:?}");
    assert_exactly_once(&store, "j");
    engine.shutdown();
}

#[test]
fn jobs_left_running_by_a_dead_process_fail_and_waiting_ones_start() {
    let (_dir, store, repo) = fixture();
    queue(&store, "was-running");
    queue(&store, "waiting");
    // What a killed process leaves behind: a job marked RUNNING that nobody runs.
    let conn = store.connect().unwrap();
    assert_eq!(
        jobs::claim_next(&conn, now_ms()).unwrap().as_deref(),
        Some("was-running")
    );

    let engine = Engine::start(store.clone(), repo, 2).unwrap();
    let failed = job(&store, "was-running");
    assert_eq!(failed.status, Status::Failed);
    assert!(failed.comments.contains("Interrupted"));
    assert!(
        !failed.resumable,
        "it had not counted its assets yet, so there is no checkpoint"
    );
    assert!(failed.restartable);
    let done = wait(&store, "waiting", |j| j.status.is_final());
    assert_eq!(done.status, Status::Success);
    engine.shutdown();
}

#[test]
fn cancelling_a_waiting_job_is_immediate_and_final_jobs_refuse() {
    let (_dir, store, repo) = fixture();
    // An engine whose workers have stopped: a job queued now stays WAITING.
    let engine = Engine::start(store.clone(), repo, 1).unwrap();
    engine.shutdown();
    queue(&store, "w2");
    let e2 = engine.clone();
    assert_eq!(
        e2.cancel("w2", "tester", Duration::from_millis(100))
            .unwrap(),
        Cancel::Done
    );
    let j = job(&store, "w2");
    assert_eq!(j.status, Status::Cancelled);
    assert!(!j.resumable && j.restartable);
    assert_eq!(
        e2.cancel("w2", "tester", Duration::from_millis(100))
            .unwrap(),
        Cancel::NotAllowed
    );
    assert_eq!(
        e2.cancel("nope", "tester", Duration::from_millis(100))
            .unwrap(),
        Cancel::NotFound
    );
}
