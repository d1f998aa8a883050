//! The file work of the processing phase, free of the database's writes: the pending assets
//! chunk by chunk (`Producer`), a chunk's assets on up to four threads, each one skipped when
//! unchanged since its last processing or processed, its log lines formatted on the way.

use std::time::{Duration, Instant};

use rusqlite::Connection;

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
    pub(super) caches: Vec<asset::RefCache>,
    /// Reads earlier results for `filterProcessedAssets`.
    pub(super) reader: &'a Connection,
    pub(super) total: u64,
    pub(super) counts: Counts,
    pub(super) handled_at_start: u64,
    pub(super) run_started: Instant,
    pub(super) last_progress: Instant,
}

impl Producer<'_> {
    /// Handles the pending assets chunk by chunk and sends each to the writer; true when the
    /// job's folder was found gone (the chunk that noticed is not sent).
    pub(super) fn run(
        &mut self,
        all_pending: &[(i64, String)],
        writer: std::sync::mpsc::SyncSender<Chunk>,
    ) -> Result<bool, StoreError> {
        // Chunks start small and grow to `batch` while assets are quick; slow assets
        // (large files, a paced demo) keep them small, so a commit (progress, results,
        // log lines) comes at least every COMMIT_EVERY, not once per 512 slow assets.
        let mut size = self.batch.min(self.workers);
        let mut at = 0;
        while at < all_pending.len() {
            if self.stop.asked() {
                break;
            }
            let chunk = &all_pending[at..(at + size).min(all_pending.len())];
            at += chunk.len();
            let chunk_started = Instant::now();
            let previous: Vec<Option<(u64, i64)>> = if self.record.filter.filter_processed_assets {
                chunk
                    .iter()
                    .map(|(_, p)| assets::last_processed(self.reader, p))
                    .collect::<Result<_, _>>()?
            } else {
                vec![None; chunk.len()]
            };
            let handled = handle_chunk(self.repo, chunk, &previous, &mut self.caches, self.pace);
            // Failures may mean the job's own folder is gone: then the job cannot go on
            // (FAILED), and this chunk is not recorded (its assets stay pending for a
            // resume once the folder is back).
            let failed = handled.iter().any(|(h, _)| h.outcome == Outcome::Failed);
            if failed && !self.repo.exists(&self.record.path) {
                return Ok(true);
            }
            size = next_chunk_size(
                chunk.len(),
                chunk_started.elapsed(),
                self.workers,
                self.batch,
            );
            if writer.send(self.chunk(handled)).is_err() {
                break; // the writer failed; its error is reported by `process`
            }
        }
        Ok(false)
    }

    /// A handled chunk counted, with its ETA and, now and then, a progress line.
    fn chunk(&mut self, handled: Vec<(asset::Handled, Vec<String>)>) -> Chunk {
        let mut pending = Vec::with_capacity(handled.len());
        let mut lines = Vec::with_capacity(handled.len() + 1);
        for (h, h_lines) in handled {
            self.counts.add(h.outcome);
            lines.extend(h_lines);
            pending.push(Pending {
                outcome: h.outcome,
                result: h.result,
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

/// Decides skip or process for one asset and does it.
/// The file work of a chunk on up to `caches.len()` threads; results in the chunk's order.
fn handle_chunk(
    repo: &Repository,
    chunk: &[(i64, String)],
    previous: &[Option<(u64, i64)>],
    caches: &mut [asset::RefCache],
    pace: Duration,
) -> Vec<(asset::Handled, Vec<String>)> {
    // Log lines are formatted here too, on the worker threads. One clock reading serves
    // the chunk: on a sandboxed kernel reading the clock is a costly system call.
    let now = now_ms();
    let handle = |path: &str, previous: Option<(u64, i64)>, cache: &mut asset::RefCache| {
        let h = handle(repo, path, previous, cache, pace);
        let lines = h
            .events
            .iter()
            .map(|(level, m)| format_line(now, *level, m))
            .collect();
        (h, lines)
    };
    let n = caches.len().min(chunk.len()).max(1);
    if n == 1 {
        let cache = &mut caches[0];
        return chunk
            .iter()
            .zip(previous)
            .map(|((_, p), prev)| handle(p, *prev, cache))
            .collect();
    }
    let mut slots: Vec<Option<(asset::Handled, Vec<String>)>> =
        (0..chunk.len()).map(|_| None).collect();
    let handle = &handle;
    std::thread::scope(|scope| {
        let threads: Vec<_> = caches[..n]
            .iter_mut()
            .enumerate()
            .map(|(k, cache)| {
                scope.spawn(move || {
                    (k..chunk.len())
                        .step_by(n)
                        .map(|i| (i, handle(&chunk[i].1, previous[i], cache)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for t in threads {
            for (i, h) in t.join().expect("asset work does not panic") {
                slots[i] = Some(h);
            }
        }
    });
    slots
        .into_iter()
        .map(|h| h.expect("every asset of the chunk was handled"))
        .collect()
}

/// Decides skip or process for one asset and does it. `previous`: size and modification
/// time at its last successful processing, when skipping unchanged assets was asked for.
fn handle(
    repo: &Repository,
    path: &str,
    previous: Option<(u64, i64)>,
    known: &mut asset::RefCache,
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
    asset::process(repo, path, &fs_path, size, modified_ns, known)
}
