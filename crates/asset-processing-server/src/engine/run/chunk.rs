//! The file work of the processing phase, free of the database's writes: the pending assets
//! chunk by chunk (`Producer`), on up to four threads that live for the whole run, each one skipped when
//! unchanged since its last processing or processed, its log lines formatted on the way.

use std::time::{Duration, Instant};

use super::{next_chunk_size, Stop, PROGRESS_EVERY};
use crate::clock::now_ms;
use crate::engine::asset;
use crate::engine::progress::{eta_seconds, progress_line, Counts};
use crate::repository::Repository;
use crate::store::assets::{self, AssetResult, Outcome};
use crate::store::logs::{format_line, Level};
use crate::store::{jobs, StoreError};

pub(super) struct Pending {
    pub(super) outcome: Outcome,
    pub(super) result: AssetResult,
    /// `assets::refs_json` of the result's references, made on the file thread.
    pub(super) refs: Option<String>,
}

/// One handled chunk on its way from the file work to the writer: its assets' results, its
/// log lines, and the counts and ETA once it is committed.
pub(super) struct Chunk {
    pub(super) pending: Vec<Pending>,
    pub(super) lines: Vec<String>,
    pub(super) counts: Counts,
    pub(super) eta: i64,
}

/// The file work of the processing phase, on the run's own thread (and its chunk's threads).
pub(super) struct Producer<'a> {
    pub(super) repo: &'a Repository,
    pub(super) record: &'a jobs::JobRecord,
    pub(super) stop: Stop<'a>,
    pub(super) batch: usize,
    pub(super) pace: Duration,
    pub(super) workers: usize,
    /// One per file thread, kept from chunk to chunk.
    pub(super) caches: Vec<asset::RefCache>,
    /// The database, for the file threads' reads of earlier results (`filterProcessedAssets`).
    pub(super) db_file: &'a std::path::Path,
    pub(super) total: u64,
    pub(super) counts: Counts,
    pub(super) handled_at_start: u64,
    pub(super) run_started: Instant,
    pub(super) last_progress: Instant,
}

impl Producer<'_> {
    /// Handles the pending assets chunk by chunk and sends each to the writer; true when the
    /// job's folder was found gone (the chunk that noticed is not sent).
    ///
    /// The file threads live for the whole run and take the next asset as soon as they are
    /// free, up to [`AHEAD`] chunks past the one being assembled: no thread waits at the end
    /// of a chunk for the others (with a thread per chunk, about a sixth of the run went to
    /// that wait, `docs/performance.md`). The results are put back in order here.
    pub(super) fn run(
        &mut self,
        all_pending: &[String],
        listed: Option<&asset::Listed<'_>>,
        writer: std::sync::mpsc::SyncSender<Chunk>,
    ) -> Result<bool, StoreError> {
        let queue = Queue::new(all_pending.len());
        let (done_tx, done_rx) = std::sync::mpsc::channel::<(usize, Vec<Done>)>();
        let caches = std::mem::take(&mut self.caches);
        let (repo, stop, pace) = (self.repo, self.stop, self.pace);
        let previous_asked = self.record.filter.filter_processed_assets;
        let db_file = self.db_file;
        let outcome = std::thread::scope(|scope| {
            let mut threads = Vec::new();
            for mut cache in caches {
                let (queue, done_tx) = (&queue, done_tx.clone());
                let work = move || -> Result<asset::RefCache, StoreError> {
                    // Reads earlier results for `filterProcessedAssets`, one connection each.
                    let reader = match previous_asked {
                        true => Some(crate::store::connect(db_file)?),
                        false => None,
                    };
                    while let Some((taken, now)) = queue.take() {
                        let mut done = Vec::with_capacity(taken.len());
                        for i in taken.clone() {
                            if stop.asked() {
                                return Ok(cache);
                            }
                            let path = all_pending[i].as_str();
                            let previous = match &reader {
                                Some(r) => assets::last_processed(r, path)?,
                                None => None,
                            };
                            let h = handle(repo, path, previous, &mut cache, listed, pace);
                            // Log lines are formatted here too, on the file threads, dated
                            // when their assets were taken (one clock reading for a few assets:
                            // on a sandboxed kernel it is a costly system call).
                            let lines = h
                                .events
                                .iter()
                                .map(|(level, m)| format_line(now, *level, m))
                                .collect();
                            // So is the JSON of its references: the writer only binds it.
                            let refs = assets::refs_json(&h.result.refs);
                            done.push(Done {
                                handled: h,
                                refs,
                                lines,
                            });
                        }
                        // A few assets a message: each one wakes the assembling thread.
                        if done_tx.send((taken.start, done)).is_err() {
                            break;
                        }
                    }
                    Ok(cache)
                };
                threads.push(scope.spawn(move || {
                    let worked = work();
                    // However this thread ends (every asset taken, a stop, an error), nothing
                    // more is taken: no thread waits for room forever, and once every thread
                    // has gone the assembly sees it (an asset taken and dropped is never waited
                    // for in vain).
                    queue.close();
                    worked
                }));
            }
            drop(done_tx);
            let assembled = self.assemble(all_pending.len(), &queue, &done_rx, &writer);
            // The file threads stop: nothing more is taken, and what they still send is not read.
            queue.close();
            drop(done_rx);
            let mut caches = Vec::new();
            let mut failed = None;
            for t in threads {
                match t.join().expect("asset work does not panic") {
                    Ok(cache) => caches.push(cache),
                    Err(e) => failed = Some(e),
                }
            }
            self.caches = caches;
            match failed {
                Some(e) => Err(e),
                None => Ok(assembled),
            }
        })?;
        Ok(outcome)
    }

    /// Puts the file threads' results back in order and sends them to the writer a chunk at a
    /// time; true when the job's folder was found gone.
    fn assemble(
        &mut self,
        len: usize,
        queue: &Queue,
        done: &std::sync::mpsc::Receiver<(usize, Vec<Done>)>,
        writer: &std::sync::mpsc::SyncSender<Chunk>,
    ) -> bool {
        // Chunks start small and grow to `batch` while assets are quick; slow assets
        // (large files, a paced demo) keep them small, so a commit (progress, results,
        // log lines) comes at least every COMMIT_EVERY, not once per 512 slow assets.
        let mut size = self.batch.min(self.workers);
        let mut at = 0;
        // Results that came before their turn, by index.
        let mut early: std::collections::HashMap<usize, Done> = std::collections::HashMap::new();
        while at < len {
            if self.stop.asked() {
                break;
            }
            let chunk_started = Instant::now();
            let end = (at + size).min(len);
            queue.allow(end + AHEAD * size, take_at_once(size, self.workers));
            let mut handled = Vec::with_capacity(end - at);
            for i in at..end {
                let h = match early.remove(&i) {
                    Some(h) => h,
                    None => loop {
                        match done.recv() {
                            Ok((start, some)) => {
                                early.extend((start..).zip(some));
                                if let Some(h) = early.remove(&i) {
                                    break h;
                                }
                            }
                            // Every file thread stopped (a stop or a cancel): the chunk is
                            // incomplete and not sent; its assets stay pending.
                            Err(_) => return false,
                        }
                    },
                };
                handled.push(h);
            }
            at = end;
            // Failures may mean the job's own folder is gone: then the job cannot go on
            // (FAILED), and this chunk is not recorded (its assets stay pending for a
            // resume once the folder is back).
            let failed = handled.iter().any(|d| d.handled.outcome == Outcome::Failed);
            if failed && !self.repo.exists(&self.record.path) {
                return true;
            }
            size = next_chunk_size(
                handled.len(),
                chunk_started.elapsed(),
                self.workers,
                self.batch,
            );
            if writer.send(self.chunk(handled)).is_err() {
                break; // the writer failed; its error is reported by `process`
            }
        }
        false
    }

    /// A handled chunk counted, with its ETA and, now and then, a progress line.
    fn chunk(&mut self, handled: Vec<Done>) -> Chunk {
        let mut pending = Vec::with_capacity(handled.len());
        let mut lines = Vec::with_capacity(handled.len() + 1);
        for d in handled {
            self.counts.add(d.handled.outcome);
            lines.extend(d.lines);
            pending.push(Pending {
                outcome: d.handled.outcome,
                result: d.handled.result,
                refs: d.refs,
            });
        }
        let handled = self.counts.handled();
        let eta = eta_seconds(
            self.total,
            handled,
            self.handled_at_start,
            self.run_started.elapsed(),
        );
        if self.last_progress.elapsed() >= PROGRESS_EVERY {
            lines.push(progress_line(self.total, handled, eta));
            self.last_progress = Instant::now();
        }
        Chunk {
            pending,
            lines,
            counts: self.counts,
            eta,
        }
    }
}

/// One asset's handling, the JSON of its references and its formatted log lines.
struct Done {
    handled: asset::Handled,
    refs: Option<String>,
    lines: Vec<String>,
}

/// How many chunks past the one being assembled the file threads may work: enough that
/// they never wait for it, little enough that a cancel or a stop wastes little work.
const AHEAD: usize = 2;

/// How many assets a file thread takes at once from a chunk of `size`: a few, so the
/// threads are not woken for every asset, but a small share of the chunk, so slow assets
/// (a few in a chunk) are still spread over every thread.
fn take_at_once(size: usize, workers: usize) -> usize {
    (size / (workers.max(1) * 4)).clamp(1, 16)
}

/// The next asset to take, and how far the file threads may go.
struct Queue {
    state: std::sync::Mutex<QueueState>,
    more: std::sync::Condvar,
}

struct QueueState {
    next: usize,
    /// Assets before this index may be taken.
    allowed: usize,
    /// The time the log lines of the assets taken last say: never earlier than the one before,
    /// so the lines of a run are dated in order.
    now: i64,
    /// How many assets a thread takes at once.
    step: usize,
    len: usize,
    closed: bool,
}

impl Queue {
    fn new(len: usize) -> Queue {
        Queue {
            state: std::sync::Mutex::new(QueueState {
                next: 0,
                allowed: 0,
                now: 0,
                step: 1,
                len,
                closed: false,
            }),
            more: std::sync::Condvar::new(),
        }
    }

    /// The next assets' indexes (a few at once) and the time their lines say, waiting while
    /// they are too far ahead; None once every asset is taken or the queue is closed.
    fn take(&self) -> Option<(std::ops::Range<usize>, i64)> {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if s.closed || s.next >= s.len {
                return None;
            }
            if s.next < s.allowed {
                let from = s.next;
                s.now = s.now.max(now_ms());
                s.next = (from + s.step).min(s.allowed).min(s.len);
                return Some((from..s.next, s.now));
            }
            s = self.more.wait(s).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Lets assets before `up_to` be taken, `step` at a time.
    fn allow(&self, up_to: usize, step: usize) {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        s.step = step.max(1);
        if up_to > s.allowed {
            s.allowed = up_to;
            self.more.notify_all();
        }
    }

    fn close(&self) {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).closed = true;
        self.more.notify_all();
    }
}

/// Decides skip or process for one asset and does it. `previous`: size and modification
/// time at its last successful processing, when skipping unchanged assets was asked for.
fn handle(
    repo: &Repository,
    path: &str,
    previous: Option<(u64, i64)>,
    known: &mut asset::RefCache,
    listed: Option<&asset::Listed<'_>>,
    pace: Duration,
) -> asset::Handled {
    if !pace.is_zero() {
        std::thread::sleep(pace);
    }
    let (fs_path, size, modified_ns) = match asset::stat(repo, path, known) {
        Ok(s) => s,
        Err(e) => {
            let message = format!("Failed {path}: it {e}");
            return asset::Handled {
                outcome: Outcome::Failed,
                result: AssetResult {
                    path: path.into(),
                    message: message.clone(),
                    ..AssetResult::default()
                },
                events: vec![(Level::Error, message)],
            };
        }
    };
    if previous == Some((size, modified_ns)) {
        return asset::Handled {
            outcome: Outcome::Skipped,
            result: AssetResult {
                path: path.into(),
                media_type: asset::media_type(&crate::repository::extension(path)).into(),
                size,
                modified_ns,
                message: "unchanged since its last processing".into(),
                ..AssetResult::default()
            },
            events: vec![(
                Level::Info,
                format!("Skipped {path}: unchanged since its last processing"),
            )],
        };
    }
    asset::process(repo, path, &fs_path, size, modified_ns, known, listed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_hands_out_assets_in_order_within_what_is_allowed() {
        let q = Queue::new(10);
        q.allow(2, 1);
        let (first, at) = q.take().unwrap();
        assert_eq!(first, 0..1);
        q.allow(3, 1);
        let (second, later) = q.take().unwrap();
        assert_eq!(second, 1..2);
        // Lines are dated in the order of their assets.
        assert!(later >= at && at > 0);
        assert_eq!(q.take().unwrap().0, 2..3);
        // A few at once, never past what is allowed nor past the end.
        q.allow(8, 4);
        assert_eq!(q.take().unwrap().0, 3..7);
        assert_eq!(q.take().unwrap().0, 7..8);
        q.allow(100, 4);
        assert_eq!(q.take().unwrap().0, 8..10);
        assert_eq!(q.take(), None, "every asset taken");
    }

    #[test]
    fn threads_take_a_small_share_of_a_chunk() {
        assert_eq!(take_at_once(2, 2), 1, "slow assets: one each");
        assert_eq!(take_at_once(40, 2), 5);
        assert_eq!(take_at_once(512, 2), 16);
    }

    #[test]
    fn closing_the_queue_wakes_a_thread_waiting_for_room() {
        let q = Queue::new(10);
        q.allow(1, 1);
        assert_eq!(q.take().unwrap().0, 0..1);
        std::thread::scope(|s| {
            let waiting = s.spawn(|| q.take());
            // Whether it already waits or not, it ends with nothing once the queue is closed.
            q.close();
            assert_eq!(waiting.join().unwrap(), None);
        });
    }
}
