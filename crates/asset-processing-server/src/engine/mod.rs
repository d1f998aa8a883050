//! The processing engine: a queue of WAITING jobs and a pool of worker threads that run them.
//! No HTTP here; the HTTP side calls `Engine::wake`, `cancel` and `resume`.
//!
//! Guarantees (tested in `tests/engine.rs` and by killing the real server in
//! `tests/crash.rs`):
//! - **Every asset handled exactly once per job**, across cancel, resume and `kill -9`: an
//!   asset's result, its checkpoint flag and its log lines commit in one SQLite transaction
//!   (see `store::assets`); work not committed when the process dies is simply done again,
//!   and committed work is never redone because resume reads the checkpoint.
//! - **A cancel is never lost, and nothing is handled after it**: the request is recorded in
//!   the database (`jobs.cancel_requested_at`) in one transaction, whatever the moment it
//!   arrives (even between the claim of the job and the start of its run). Every commit of
//!   the worker reads it inside its own transaction: a batch whose commit comes after the
//!   request is not recorded (its assets stay pending for a resume), and the run ends
//!   CANCELLED. The request survives a restart: a job found RUNNING with a request at
//!   start-up is CANCELLED, not interrupted. Cancel answers once the request is recorded,
//!   with the job CANCELLED or still RUNNING and stopping (`tests/engine.rs` races hundreds
//!   of start/cancel pairs, claim window included).
//! - **A crash leaves a resumable job**: at start-up, jobs the dead process left RUNNING
//!   become FAILED ("interrupted") with their checkpoint, and WAITING jobs simply start.
//! - **Order is deterministic**: assets are handled in the order the counting phase stored.

mod asset;
mod progress;
mod run;

pub use asset::{group, parse_xml};

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::clock::now_ms;
use crate::repository::Repository;
use crate::store::logs::{format_line, Level};
use crate::store::recovery::{self, Interrupted};
use crate::store::{jobs, Store, StoreError};

/// Comment of a job found RUNNING at start-up, with its checkpoint.
pub const INTERRUPTED: &str =
    "Interrupted: the server stopped while this job was running. Resume it to continue from its checkpoint.";

/// Comment of a job that a stop caught while it was counting its assets: it has no
/// checkpoint, so resume is refused and only a restart runs it again.
pub const INTERRUPTED_COUNTING: &str =
    "Interrupted: the server stopped while this job was counting its assets, before it had a checkpoint. Restart it to run it again.";

/// Comment of a job whose cancel was recorded but which a stop of the server caught before
/// it could end.
pub const CANCELLED_BY_RESTART: &str =
    "Cancelled: the server stopped after the cancel was requested. Resume it to continue from its checkpoint.";

/// The same, for a job still counting its assets (no checkpoint: restart, not resume).
pub const CANCELLED_BY_RESTART_COUNTING: &str =
    "Cancelled: the server stopped after the cancel was requested, before the job's assets were counted. Restart it to run it again.";

/// The outcome of a cancel request.
#[derive(Debug, PartialEq, Eq)]
pub enum Cancel {
    /// The cancel is recorded: the job is CANCELLED, or RUNNING and stops at its next commit
    /// (then ends CANCELLED, with nothing handled after the request).
    Done,
    /// The job's state does not allow cancelling (already final).
    NotAllowed,
    NotFound,
}

/// Code run right after a job is claimed, with its id.
pub type AfterClaim = dyn Fn(&str) + Send + Sync;
/// Code run after each committed batch, with the job's id and its handled count.
pub type AfterCommit = dyn Fn(&str, u64) + Send + Sync;

/// Seams for tests and fixtures: code run at precise points of a run, to force the races
/// and stops that timing alone makes rare. None in the server users run, unless a
/// `dev-fixtures` flag asks for one.
#[derive(Clone, Default)]
pub struct Hooks {
    /// Right after a worker claimed a job (it is RUNNING in the database), before its run
    /// starts: the window where a cancel used to be lost.
    pub after_claim: Option<Arc<AfterClaim>>,
    /// Once a job's counting has started (its calculation is RUNNING, it has no checkpoint
    /// yet): a fixture that stops a job there blocks here.
    pub while_counting: Option<Arc<AfterClaim>>,
    /// After each committed batch, with the job's handled count so far (a fixture that holds
    /// a job mid-run blocks here).
    pub after_commit: Option<Arc<AfterCommit>>,
}

/// How an engine runs its jobs.
#[derive(Clone)]
pub struct Options {
    /// Smallest number of assets committed together (tests lower it to stress cancel).
    pub batch: usize,
    /// A pause per asset, to make processing slow enough to watch (demos, UI tests).
    pub pace: Duration,
    pub hooks: Hooks,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            batch: 512,
            pace: Duration::ZERO,
            hooks: Hooks::default(),
        }
    }
}

/// What the workers share.
struct Shared {
    store: Store,
    repo: Repository,
    /// Bumped on every wake-up; workers wait on it when the queue is empty.
    wake: (Mutex<u64>, Condvar),
    /// Cancel flags of running jobs.
    cancels: Mutex<HashMap<String, Arc<AtomicBool>>>,
    stopping: AtomicBool,
    /// Smallest number of assets committed together (tests lower it to stress cancel).
    batch: usize,
    /// A pause per asset, to make processing slow enough to watch (demos, UI tests).
    pace: Duration,
    hooks: Hooks,
}

#[derive(Clone)]
pub struct Engine {
    shared: Arc<Shared>,
    workers: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Engine {
    /// Recovers jobs a dead process left RUNNING, then starts `workers` threads.
    pub fn start(store: Store, repo: Repository, workers: usize) -> Result<Engine, StoreError> {
        Self::start_with(store, repo, workers, Options::default())
    }

    pub fn start_with_batch(
        store: Store,
        repo: Repository,
        workers: usize,
        batch: usize,
    ) -> Result<Engine, StoreError> {
        Self::start_with(
            store,
            repo,
            workers,
            Options {
                batch,
                ..Options::default()
            },
        )
    }

    pub fn start_with(
        store: Store,
        repo: Repository,
        workers: usize,
        options: Options,
    ) -> Result<Engine, StoreError> {
        let mut conn = store.connect()?;
        let now = now_ms();
        let cancelled = recovery::end_interrupted(
            &mut conn,
            now,
            Interrupted::CancelRecorded,
            recovery::Ending {
                resumable: CANCELLED_BY_RESTART,
                restart: CANCELLED_BY_RESTART_COUNTING,
                level: Level::Warn,
            },
        )?;
        if !cancelled.is_empty() {
            tracing::warn!(
                "{} job(s) had a cancel recorded when the server stopped; they are CANCELLED: {cancelled:?}",
                cancelled.len()
            );
        }
        let recovered = recovery::end_interrupted(
            &mut conn,
            now,
            Interrupted::Stopped,
            recovery::Ending {
                resumable: INTERRUPTED,
                restart: INTERRUPTED_COUNTING,
                level: Level::Error,
            },
        )?;
        if !recovered.is_empty() {
            tracing::warn!(
                "{} job(s) were interrupted by a stop and can be resumed: {recovered:?}",
                recovered.len()
            );
        }
        let shared = Arc::new(Shared {
            store,
            repo,
            wake: (Mutex::new(0), Condvar::new()),
            cancels: Mutex::new(HashMap::new()),
            stopping: AtomicBool::new(false),
            batch: options.batch.max(1),
            pace: options.pace,
            hooks: options.hooks,
        });
        let mut handles = Vec::new();
        for n in 0..workers.max(1) {
            let shared = shared.clone();
            let conn = shared.store.connect()?;
            let handle = std::thread::Builder::new()
                .name(format!("engine-worker-{n}"))
                .spawn(move || worker(shared, conn))
                .map_err(|e| StoreError(format!("cannot start a worker thread: {e}")))?;
            handles.push(handle);
        }
        Ok(Engine {
            shared,
            workers: Arc::new(Mutex::new(handles)),
        })
    }

    /// Tells idle workers that a job is waiting.
    pub fn wake(&self) {
        let (lock, cvar) = &self.shared.wake;
        *lock.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        cvar.notify_all();
    }

    /// Cancels a job: a WAITING one at once; a RUNNING one by recording the request, which
    /// its worker honours at its next commit (this then waits up to `wait` for the job to
    /// end, so a quick job answers CANCELLED). `Done` means the request is recorded: the job
    /// will end CANCELLED. Blocking: call from a blocking thread.
    pub fn cancel(&self, id: &str, user: &str, wait: Duration) -> Result<Cancel, StoreError> {
        let mut conn = self.shared.store.connect()?;
        let now = now_ms();
        let comment = format!("Cancelled by {user} before it started.");
        let request = jobs::request_cancel(
            &mut conn,
            id,
            now,
            &comment,
            &format_line(now, Level::Warn, &comment),
            &format_line(now, Level::Warn, &format!("Cancel requested by {user}")),
        )?;
        match request {
            jobs::CancelRequest::NotFound => return Ok(Cancel::NotFound),
            jobs::CancelRequest::Final => return Ok(Cancel::NotAllowed),
            jobs::CancelRequest::Cancelled => return Ok(Cancel::Done),
            jobs::CancelRequest::Recorded => {}
        }
        // The database holds the request; the flag only makes a running worker stop between
        // two chunks instead of at its next commit.
        if let Some(flag) = self
            .shared
            .cancels
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(id)
        {
            flag.store(true, Ordering::SeqCst);
        }
        let deadline = std::time::Instant::now() + wait;
        while std::time::Instant::now() < deadline {
            if jobs::status_of(&conn, id)?.is_some_and(|s| s.is_final()) {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(Cancel::Done)
    }

    /// Puts a FAILED or CANCELLED job with a checkpoint back in the queue. False when its
    /// state does not allow it. Blocking.
    pub fn resume(&self, id: &str, user: &str) -> Result<bool, StoreError> {
        let mut conn = self.shared.store.connect()?;
        let line = format_line(
            now_ms(),
            Level::Info,
            &format!("Resume requested by {user}"),
        );
        let resumed = jobs::resume(&mut conn, id, &line)?;
        if resumed {
            self.wake();
        }
        Ok(resumed)
    }

    /// Stops the workers: running jobs commit what they handled and become FAILED
    /// (interrupted, resumable). Blocking.
    pub fn shutdown(&self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        self.wake();
        let handles: Vec<JoinHandle<()>> =
            std::mem::take(&mut *self.workers.lock().unwrap_or_else(|p| p.into_inner()));
        for h in handles {
            let _ = h.join();
        }
    }
}

fn worker(shared: Arc<Shared>, mut conn: rusqlite::Connection) {
    loop {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let seen = *shared.wake.0.lock().unwrap_or_else(|p| p.into_inner());
        match jobs::claim_next(&conn, now_ms()) {
            Ok(Some(id)) => {
                if let Some(hook) = &shared.hooks.after_claim {
                    hook(&id);
                }
                let flag = Arc::new(AtomicBool::new(false));
                shared
                    .cancels
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(id.clone(), flag.clone());
                let ctx = run::Context {
                    conn: &mut conn,
                    repo: &shared.repo,
                    cancel: &flag,
                    stopping: &shared.stopping,
                    batch: shared.batch,
                    pace: shared.pace,
                    after_commit: shared.hooks.after_commit.as_deref(),
                    while_counting: shared.hooks.while_counting.as_deref(),
                };
                if let Err(e) = run::run_job(ctx, &id) {
                    tracing::error!("job {id} failed in the engine: {e}");
                    let now = now_ms();
                    let message = "The job failed because of an internal error of the server; its log has the details.";
                    let _ = crate::store::write_tx(&mut conn).and_then(|tx| {
                        jobs::finish(
                            &tx,
                            &id,
                            &asset_processing_api::Status::Failed,
                            now,
                            message,
                        )?;
                        crate::store::logs::append(
                            &tx,
                            &id,
                            &[format_line(
                                now,
                                Level::Error,
                                &format!("Internal error: {e}"),
                            )],
                        )?;
                        tx.commit().map_err(StoreError::from)
                    });
                }
                shared
                    .cancels
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(&id);
            }
            Ok(None) => {
                let (lock, cvar) = &shared.wake;
                let guard = lock.lock().unwrap_or_else(|p| p.into_inner());
                if *guard == seen {
                    // Also wake now and then: a job may have been queued by another process.
                    let _ = cvar.wait_timeout(guard, Duration::from_millis(500));
                }
            }
            Err(e) => {
                tracing::error!("engine worker cannot read the queue: {e}");
                std::thread::sleep(Duration::from_secs(1));
            }
        }
    }
}
