//! The engine's guarantees, without HTTP: every asset handled exactly once across cancel,
//! resume and a stop in the middle of a job; waiting jobs start after a restart; a cancel is
//! never lost (claim window included) and nothing is handled after it is recorded.

use std::collections::{HashMap, HashSet};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use asset_processing_api::{Filter, ProcessingType, Status};
use asset_processing_server::clock::now_ms;
use asset_processing_server::engine::{
    Cancel, Engine, Hooks, Options, CANCELLED_BY_RESTART_COUNTING,
};
use asset_processing_server::repository::Repository;
use asset_processing_server::store::{assets, jobs, logs, NewJob, Store};

const ASSETS: usize = 600;

fn fixture() -> (tempfile::TempDir, Store, Repository) {
    fixture_of(ASSETS)
}

fn fixture_of(assets: usize) -> (tempfile::TempDir, Store, Repository) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("dam");
    for i in 0..assets {
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
            // Recorded is final: a job whose cancel was accepted ends CANCELLED, even when
            // its last asset was handled before the request.
            assert_eq!(outcome, Cancel::Done);
            assert_eq!(cancelled.status, Status::Cancelled, "{cancelled:?}");
            assert!(cancelled.resumable && cancelled.restartable && !cancelled.cancellable);
            assert!(
                cancelled.comments.starts_with("Cancelled after"),
                "{}",
                cancelled.comments
            );
            last = cancelled.triggered_count;
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

/// A job's log lines in order.
fn log_lines(store: &Store, id: &str) -> Vec<String> {
    let conn = store.connect().unwrap();
    let len = logs::len(&conn, id).unwrap().unwrap();
    logs::range(&conn, id, 0, len).unwrap()
}

/// Lines that record an asset as handled (processed, failed or skipped).
fn is_asset_line(line: &str) -> bool {
    [" INFO Processed /", " ERROR Failed /", " INFO Skipped /"]
        .iter()
        .any(|m| line.contains(m))
}

/// A job whose cancel was accepted: CANCELLED, and every asset it handled was committed
/// before the request (its log line comes first; the request is logged in the transaction
/// that records it, and log lines are numbered in commit order).
fn assert_cancelled_with_nothing_after(store: &Store, id: &str) {
    let job = wait(store, id, |j| j.status.is_final());
    assert_eq!(job.status, Status::Cancelled, "{id}: {job:?}");
    assert!(!job.cancellable && job.restartable, "{job:?}");
    let lines = log_lines(store, id);
    let request = lines
        .iter()
        .position(|l| {
            l.contains("WARN Cancel requested by tester")
                || l.contains("WARN Cancelled by tester before it started")
        })
        .unwrap_or_else(|| panic!("{id}: the request is in the log: {lines:#?}"));
    let after: Vec<&String> = lines[request..]
        .iter()
        .filter(|l| is_asset_line(l))
        .collect();
    assert!(
        after.is_empty(),
        "{id}: handled after the cancel was recorded: {after:?}"
    );
    let before = lines[..request].iter().filter(|l| is_asset_line(l)).count() as u64;
    let results = assets::result_counts(&store.connect().unwrap(), id)
        .unwrap()
        .len() as u64;
    assert_eq!(
        (job.triggered_count, results),
        (before, before),
        "{id}: {job:?}"
    );
}

/// A hook that holds each claimed job whose id starts with `claim-` until the test releases
/// it, and reports the claim: the window between the claim (RUNNING in the database) and the
/// start of the run, where a cancel used to set nothing at all.
struct ClaimWindow {
    claimed: Mutex<mpsc::Receiver<String>>,
    released: Arc<(Mutex<HashSet<String>>, Condvar)>,
}

impl ClaimWindow {
    fn hooks() -> (Hooks, ClaimWindow) {
        let (tx, rx) = mpsc::channel::<String>();
        let released = Arc::new((Mutex::new(HashSet::new()), Condvar::new()));
        let held = released.clone();
        let tx = Mutex::new(tx);
        let hooks = Hooks {
            after_claim: Some(Arc::new(move |id: &str| {
                if !id.starts_with("claim-") {
                    return;
                }
                tx.lock().unwrap().send(id.to_string()).unwrap();
                let (set, cvar) = &*held;
                let mut set = set.lock().unwrap();
                while !set.contains(id) {
                    set = cvar.wait(set).unwrap();
                }
            })),
            ..Hooks::default()
        };
        (
            hooks,
            ClaimWindow {
                claimed: Mutex::new(rx),
                released,
            },
        )
    }

    fn next_claim(&self) -> String {
        self.claimed
            .lock()
            .unwrap()
            .recv_timeout(Duration::from_secs(60))
            .expect("a job was claimed")
    }

    fn release(&self, id: &str) {
        let (set, cvar) = &*self.released;
        set.lock().unwrap().insert(id.to_string());
        cvar.notify_all();
    }
}

#[test]
fn racing_cancels_never_get_lost_and_nothing_is_handled_after_them() {
    const SMALL: usize = 30;
    let (_dir, store, repo) = fixture_of(SMALL);
    let (hooks, window) = ClaimWindow::hooks();
    let engine = Engine::start_with(
        store.clone(),
        repo,
        2,
        Options {
            batch: 1,
            hooks,
            ..Options::default()
        },
    )
    .unwrap();
    let mut accepted = Vec::new();
    let mut refused = Vec::new();
    let (mut in_window, mut mid_run) = (0, 0);
    for i in 0..300usize {
        let id = match i % 3 {
            // Forced into the claim window: claimed, RUNNING, its run not started.
            0 => {
                let id = format!("claim-{i}");
                queue(&store, &id);
                engine.wake();
                assert_eq!(window.next_claim(), id);
                assert_eq!(job(&store, &id).status, Status::Running);
                assert_eq!(
                    engine.cancel(&id, "tester", Duration::ZERO).unwrap(),
                    Cancel::Done
                );
                window.release(&id);
                in_window += 1;
                id
            }
            // Right after the start: WAITING, just claimed, or counting.
            1 => {
                let id = format!("start-{i}");
                queue(&store, &id);
                engine.wake();
                id
            }
            // After a varying number of assets.
            _ => {
                let id = format!("mid-{i}");
                queue(&store, &id);
                engine.wake();
                let at = (i * 7 % SMALL) as u64;
                let j = wait(&store, &id, |j| {
                    j.triggered_count >= at || j.status.is_final()
                });
                if j.status == Status::Running {
                    mid_run += 1;
                }
                id
            }
        };
        if i % 3 != 0 {
            match engine.cancel(&id, "tester", Duration::ZERO).unwrap() {
                Cancel::Done => accepted.push(id),
                Cancel::NotAllowed => refused.push(id),
                Cancel::NotFound => panic!("{id} not found"),
            }
        } else {
            accepted.push(id);
        }
    }
    for id in &accepted {
        assert_cancelled_with_nothing_after(&store, id);
    }
    // A refused cancel is one that came after the end: the job finished every asset.
    for id in &refused {
        let j = job(&store, id);
        assert_eq!(
            (j.status, j.triggered_count),
            (Status::Success, SMALL as u64),
            "{id}"
        );
    }
    assert_eq!(in_window, 100);
    eprintln!(
        "cancels: {} accepted ({in_window} in the claim window), {} after the end; {mid_run} mid-run",
        accepted.len(),
        refused.len()
    );
    assert!(
        accepted.len() >= 200,
        "most cancels came in time: {}",
        accepted.len()
    );
    assert!(mid_run >= 20, "cancels landed mid-run: {mid_run}");
    engine.shutdown();
}

#[test]
fn a_cancel_recorded_before_a_stop_survives_the_restart() {
    let (_dir, store, repo) = fixture();
    let (hooks, window) = ClaimWindow::hooks();
    let engine = Engine::start_with(
        store.clone(),
        repo.clone(),
        1,
        Options {
            batch: 1,
            hooks,
            ..Options::default()
        },
    )
    .unwrap();
    queue(&store, "claim-1");
    engine.wake();
    assert_eq!(window.next_claim(), "claim-1");
    assert_eq!(
        engine.cancel("claim-1", "tester", Duration::ZERO).unwrap(),
        Cancel::Done
    );
    // The process dies here, before its worker ever ran the job: what is left is a RUNNING
    // job with a recorded cancel. (The held worker is let go after the new engine started.)
    let restarted = Engine::start(store.clone(), repo, 1).unwrap();
    let j = job(&store, "claim-1");
    assert_eq!(j.status, Status::Cancelled, "{j:?}");
    // Never counted, so no checkpoint: its words say restart, as its flags do.
    assert_eq!(j.comments, CANCELLED_BY_RESTART_COUNTING);
    assert!(!j.resumable && j.restartable, "{j:?}");
    restarted.shutdown();
    window.release("claim-1");
    engine.shutdown();
    assert_eq!(job(&store, "claim-1").status, Status::Cancelled);
    assert_eq!(job(&store, "claim-1").triggered_count, 0);
}

/// Slow assets are committed a few at a time (at least every 250 ms or so), not once per
/// batch of 512: the status and the log of a slow job keep moving.
#[test]
fn slow_assets_are_committed_in_small_chunks() {
    let (_d, store, repo) = fixture_of(48);
    let commits: Arc<Mutex<Vec<u64>>> = Arc::default();
    let seen = commits.clone();
    let hooks = Hooks {
        after_commit: Some(Arc::new(move |_id: &str, handled: u64| {
            seen.lock().unwrap().push(handled)
        })),
        ..Hooks::default()
    };
    let engine = Engine::start_with(
        store.clone(),
        repo,
        1,
        Options {
            pace: Duration::from_millis(40),
            hooks,
            ..Options::default()
        },
    )
    .unwrap();
    queue(&store, "slow");
    engine.wake();
    let done = wait(&store, "slow", |j| j.status.is_final());
    assert_eq!(done.status, Status::Success);
    assert_eq!(done.triggered_count, 48);
    let commits = commits.lock().unwrap().clone();
    // 40 ms an asset on at most 4 threads: no chunk holds more than 125 / 10 = 12 assets
    // (fewer on a busy machine, which only makes chunks smaller).
    assert!(commits.len() >= 4, "{commits:?}");
    let steps: Vec<u64> = commits.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(steps.iter().all(|&n| n <= 12), "{commits:?}");
    assert_eq!(commits.last(), Some(&48));
    engine.shutdown();
}

/// A cancel recorded while the assets are counted, but not seen by the walk (recorded in the
/// database only, as a request handled by another server of a cluster would be): the run
/// stores no asset list and handles nothing, though its file work had begun on the list.
#[test]
fn a_cancel_recorded_while_counting_but_unseen_by_the_walk_ends_it_with_nothing_handled() {
    let (_dir, store, repo) = fixture();
    let recorder = store.clone();
    let hooks = Hooks {
        while_counting: Some(Arc::new(move |id: &str| {
            let mut conn = recorder.connect().unwrap();
            let line = logs::format_line(now_ms(), logs::Level::Warn, "Cancel requested by tester");
            let outcome = jobs::request_cancel(&mut conn, id, now_ms(), "", "", &line).unwrap();
            assert_eq!(outcome, jobs::CancelRequest::Recorded);
        })),
        ..Hooks::default()
    };
    let engine = Engine::start_with(
        store.clone(),
        repo,
        1,
        Options {
            hooks,
            ..Options::default()
        },
    )
    .unwrap();
    queue(&store, "counted");
    engine.wake();
    let job = wait(&store, "counted", |j| j.status.is_final());
    assert_eq!(job.status, Status::Cancelled, "{job:?}");
    assert_eq!(
        job.comments,
        "Cancelled while counting the assets; nothing was processed."
    );
    let conn = store.connect().unwrap();
    assert!(assets::result_counts(&conn, "counted").unwrap().is_empty());
    assert_eq!(job.triggered_count, 0);
    // No checkpoint: a resume has nothing to go on from; the words say restart.
    assert!(!job.resumable && job.restartable, "{job:?}");
    assert_cancelled_with_nothing_after(&store, "counted");
    engine.shutdown();
}
