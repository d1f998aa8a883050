//! One run of one job: counting (first run only), then the pending assets in order, in
//! batches that each commit results, checkpoint, counters and log lines together.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use asset_processing_api::{CalculationStatus, Status};
use rusqlite::Connection;

use super::asset::{self, group};
use super::progress::{eta_seconds, progress_line, Counts};
use crate::clock::now_ms;
use crate::repository::{Repository, Selection};
use crate::store::assets::{self, AssetResult, Outcome};
use crate::store::logs::{self, format_line, Level};
use crate::store::{jobs, StoreError};

pub struct Context<'a> {
    pub conn: &'a mut Connection,
    pub repo: &'a Repository,
    pub cancel: &'a AtomicBool,
    pub stopping: &'a AtomicBool,
    pub batch: usize,
    pub pace: Duration,
    /// Called after each committed batch with the handled count (`super::Hooks`).
    pub after_commit: Option<&'a super::AfterCommit>,
    /// Called once counting has started (`super::Hooks`).
    pub while_counting: Option<&'a super::AfterClaim>,
}

/// A progress line at most this often.
const PROGRESS_EVERY: Duration = Duration::from_secs(2);

/// The longest a running job's committed state (progress, results, log) should lag: the
/// console polls about once a second, so its view is never much more than a second stale.
pub const COMMIT_EVERY: Duration = Duration::from_millis(250);

/// How many assets the next chunk takes, from how long the last `done` took: enough to
/// fill about half of [`COMMIT_EVERY`] (the writer commits one chunk while the next is
/// worked on), at least one per worker thread, at most `batch`.
pub fn next_chunk_size(done: usize, took: Duration, workers: usize, batch: usize) -> usize {
    let batch = batch.max(1);
    let floor = workers.clamp(1, batch);
    if done == 0 {
        return floor;
    }
    let per_asset = took.as_secs_f64() / done as f64;
    if per_asset <= 0.0 {
        return batch;
    }
    let fits = (COMMIT_EVERY.as_secs_f64() / 2.0 / per_asset).floor() as usize;
    fits.clamp(floor, batch)
}

struct Pending {
    outcome: Outcome,
    result: AssetResult,
}

fn line(level: Level, message: &str) -> String {
    format_line(now_ms(), level, message)
}

/// Ends the run in a final state, with its summary line.
fn finish(
    conn: &mut Connection,
    id: &str,
    status: Status,
    comment: &str,
    level: Level,
) -> Result<(), StoreError> {
    let tx = crate::store::write_tx(conn)?;
    jobs::finish(&tx, id, &status, now_ms(), comment)?;
    logs::append(&tx, id, &[line(level, comment)])?;
    tx.commit()?;
    Ok(())
}

pub fn run_job(ctx: Context<'_>, id: &str) -> Result<(), StoreError> {
    let Context {
        conn,
        repo,
        cancel,
        stopping,
        batch,
        pace,
        after_commit,
        while_counting,
    } = ctx;
    let should_stop = || cancel.load(Ordering::SeqCst) || stopping.load(Ordering::SeqCst);
    let record = jobs::record(conn, id)?.ok_or_else(|| StoreError(format!("job {id} vanished")))?;

    // Counting phase: the first run only. Its result, the asset list, is the checkpoint.
    if !record.has_checkpoint {
        if !count(conn, repo, &record, &should_stop, while_counting)? {
            return Ok(()); // ended while counting (cancelled, stopped or failed)
        }
    } else {
        let tx = crate::store::write_tx(conn)?;
        if jobs::cancel_requested(&tx, id)? {
            drop(tx);
            return end_run(conn, id, stopping, 0.0, false);
        }
        logs::append(
            &tx,
            id,
            &[line(
                Level::Info,
                &format!(
                    "Resuming from the checkpoint: {} of {} asset(s) already handled",
                    group(record.triggered_count),
                    group(record.total_files)
                ),
            )],
        )?;
        tx.commit()?;
    }

    let total = jobs::record(conn, id)?.map(|r| r.total_files).unwrap_or(0);
    let mut counts = Counts {
        processed: record.processed,
        failed: record.failed,
        skipped: record.skipped,
    };
    let handled_at_start = counts.handled();
    let run_started = Instant::now();
    let mut last_progress = Instant::now();
    // Assets are handled in chunks of `batch`. The file work of a chunk (stat, read, hash,
    // parse) runs on every core while a writer thread commits the previous chunk, in order,
    // one transaction per chunk. Each commit reads the cancel request in its own
    // transaction: a chunk whose commit comes after the request is dropped (its assets stay
    // pending), so nothing is recorded after a cancel, and a run always stops between assets.
    // The in-memory flag only stops the file work early.
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4);
    let mut caches: Vec<asset::RefCache> = (0..workers).map(|_| asset::RefCache::new()).collect();
    let all_pending = assets::pending(conn, id)?;
    // Reads for `filterProcessedAssets` go through their own connection: the writer owns `conn`.
    let file = conn
        .path()
        .filter(|p| !p.is_empty())
        .ok_or_else(|| StoreError("the database has no file".into()))?;
    let reader = crate::store::connect(std::path::Path::new(file))?;
    let filter_processed = record.filter.filter_processed_assets;
    // Set when the job's folder is found gone: the run stops there.
    let mut vanished = false;
    let (tx, rx) = std::sync::mpsc::sync_channel::<(Vec<Pending>, Vec<String>, Counts, i64)>(2);
    let written: Result<(), StoreError> = std::thread::scope(|scope| {
        let writer = scope.spawn(|| -> Result<(), StoreError> {
            // Once a commit finds the cancel request, no later batch is recorded: the rest
            // is drained (so the producer never blocks) and dropped.
            let mut cancelled = false;
            for (mut pending, mut lines, counts, eta) in rx {
                if cancelled {
                    continue;
                }
                if !commit(conn, id, &mut pending, &mut lines, counts, eta)? {
                    cancelled = true;
                    cancel.store(true, Ordering::SeqCst);
                    continue;
                }
                if let Some(hook) = after_commit {
                    hook(id, counts.handled());
                }
            }
            Ok(())
        });
        let produced = (|| -> Result<(), StoreError> {
            // Chunks start small and grow to `batch` while assets are quick; slow assets
            // (large files, a paced demo) keep them small, so a commit (progress, results,
            // log lines) comes at least every COMMIT_EVERY, not once per 512 slow assets.
            let mut size = batch.min(workers);
            let mut at = 0;
            while at < all_pending.len() {
                if should_stop() {
                    break;
                }
                let chunk = &all_pending[at..(at + size).min(all_pending.len())];
                at += chunk.len();
                let chunk_started = Instant::now();
                let previous: Vec<Option<(u64, i64)>> = if filter_processed {
                    chunk
                        .iter()
                        .map(|(_, p)| assets::last_processed(&reader, p))
                        .collect::<Result<_, _>>()?
                } else {
                    vec![None; chunk.len()]
                };
                let handled = handle_chunk(repo, chunk, &previous, &mut caches, pace);
                // Failures may mean the job's own folder is gone: then the job cannot go on
                // (FAILED), and this chunk is not recorded (its assets stay pending for a
                // resume once the folder is back).
                let failed = handled.iter().any(|(h, _)| h.outcome == Outcome::Failed);
                if failed && !repo.exists(&record.path) {
                    vanished = true;
                    break;
                }
                size = next_chunk_size(chunk.len(), chunk_started.elapsed(), workers, batch);
                let mut pending = Vec::with_capacity(handled.len());
                let mut lines = Vec::with_capacity(handled.len() + 1);
                for (h, h_lines) in handled {
                    counts.add(h.outcome);
                    lines.extend(h_lines);
                    pending.push(Pending {
                        outcome: h.outcome,
                        result: h.result,
                    });
                }
                let eta = eta_seconds(
                    total,
                    counts.handled(),
                    handled_at_start,
                    run_started.elapsed(),
                );
                if last_progress.elapsed() >= PROGRESS_EVERY {
                    lines.push(progress_line(total, counts.handled(), eta));
                    last_progress = Instant::now();
                }
                if tx.send((pending, lines, counts, eta)).is_err() {
                    break; // the writer failed; its error is reported below
                }
            }
            Ok(())
        })();
        drop(tx);
        let wrote = writer
            .join()
            .unwrap_or_else(|_| Err(StoreError("the log writer panicked".into())));
        produced.and(wrote)
    });
    written?;

    // Also when the folder went after the last chunk that noticed nothing.
    let vanished = vanished || (counts.failed > record.failed && !repo.exists(&record.path));
    let took = run_started.elapsed().as_secs_f64();
    end_run(conn, id, stopping, took, vanished)
}

/// The counting phase: walks the job's folder and stores the asset list (the checkpoint) with
/// the log's "Found N asset(s)" line. False when the run ended here instead: cancelled,
/// stopped (no checkpoint yet, so its words say restart) or its path could not be walked.
fn count(
    conn: &mut Connection,
    repo: &Repository,
    record: &jobs::JobRecord,
    should_stop: &dyn Fn() -> bool,
    while_counting: Option<&super::AfterClaim>,
) -> Result<bool, StoreError> {
    let id = record.id.as_str();
    {
        let tx = crate::store::write_tx(conn)?;
        if jobs::cancel_requested(&tx, id)? {
            drop(tx);
            return finish_here(
                conn,
                id,
                Status::Cancelled,
                "Cancelled before its assets were counted; nothing was processed.",
                Level::Warn,
            );
        }
        jobs::set_calculation(&tx, id, &CalculationStatus::Running)?;
        logs::append(
            &tx,
            id,
            &[line(
                Level::Info,
                &format!("Counting the assets under {}", record.path),
            )],
        )?;
        tx.commit()?;
    }
    if let Some(hook) = while_counting {
        hook(id);
    }
    let walk = match repo.walk(
        &record.path,
        &record.excluded_paths,
        &Selection::from_filter(&record.filter),
        should_stop,
    ) {
        Ok(Some(w)) => w,
        Ok(None) if jobs::cancel_requested(conn, id)? => {
            return finish_here(
                conn,
                id,
                Status::Cancelled,
                "Cancelled while counting the assets; nothing was processed.",
                Level::Warn,
            );
        }
        Ok(None) => {
            // Stopped before a checkpoint exists: say restart, never resume.
            let why = super::INTERRUPTED_COUNTING;
            return finish_here(conn, id, Status::Failed, why, Level::Error);
        }
        Err(e) => {
            let why = format!("Failed: the path {} {e}.", record.path);
            return finish_here(conn, id, Status::Failed, &why, Level::Error);
        }
    };
    let mut lines = Vec::new();
    for link in &walk.outside_links {
        lines.push(line(
            Level::Warn,
            &format!("Ignored {link}: it is a link that leads outside the repository"),
        ));
    }
    let mut found = format!(
        "Found {} asset(s) to process",
        group(walk.assets.len() as u64)
    );
    if walk.excluded > 0 {
        found.push_str(&format!(
            "; {} excluded path(s) not entered",
            group(walk.excluded)
        ));
    }
    if walk.filtered > 0 {
        found.push_str(&format!(
            "; {} asset(s) left out by the filter (file type or creation time)",
            group(walk.filtered)
        ));
    }
    lines.push(line(Level::Info, &found));
    let tx = crate::store::write_tx(conn)?;
    if jobs::cancel_requested(&tx, id)? {
        drop(tx);
        return finish_here(
            conn,
            id,
            Status::Cancelled,
            "Cancelled while counting the assets; nothing was processed.",
            Level::Warn,
        );
    }
    assets::save_list(&tx, id, &walk.assets)?;
    logs::append(&tx, id, &lines)?;
    tx.commit()?;
    Ok(true)
}

/// Ends the run from what is committed, in one transaction that also reads the cancel
/// request: CANCELLED when one is recorded (whatever else happened), FAILED when the job's
/// path `vanished` while it ran (contract: the job itself could not go on) or when the server
/// is stopping before the end (interrupted), SUCCESS otherwise.
fn end_run(
    conn: &mut Connection,
    id: &str,
    stopping: &AtomicBool,
    took: f64,
    vanished: bool,
) -> Result<(), StoreError> {
    let tx = crate::store::write_tx(conn)?;
    let record = jobs::record(&tx, id)?.ok_or_else(|| StoreError(format!("job {id} vanished")))?;
    let counts = Counts {
        processed: record.processed,
        failed: record.failed,
        skipped: record.skipped,
    };
    let total = record.total_files;
    let (status, comment, level, line_text) = if jobs::cancel_requested(&tx, id)? {
        let comment = format!(
            "Cancelled after {} of {} asset(s): {}.",
            group(counts.handled()),
            group(total),
            counts.summary()
        );
        (Status::Cancelled, comment.clone(), Level::Warn, comment)
    } else if vanished {
        let comment = format!(
            "Failed: the path {} vanished while the job ran, after {} of {} asset(s): {}. \
             Restore it and resume, or restart.",
            record.path,
            group(counts.handled()),
            group(total),
            counts.summary()
        );
        (Status::Failed, comment.clone(), Level::Error, comment)
    } else if stopping.load(Ordering::SeqCst) && counts.handled() < total {
        let comment = super::INTERRUPTED.to_string();
        (Status::Failed, comment.clone(), Level::Error, comment)
    } else {
        let level = if counts.failed > 0 {
            Level::Warn
        } else {
            Level::Info
        };
        (
            Status::Success,
            format!("{}.", capitalise(&counts.summary())),
            level,
            format!(
                "Finished: {} of {} asset(s) in {took:.1} s: {}",
                group(counts.handled()),
                group(total),
                counts.summary()
            ),
        )
    };
    jobs::finish(&tx, id, &status, now_ms(), &comment)?;
    logs::append(&tx, id, &[line(level, &line_text)])?;
    tx.commit()?;
    Ok(())
}

/// `finish` for the counting phase: the run ends here (false: nothing more to do).
fn finish_here(
    conn: &mut Connection,
    id: &str,
    status: Status,
    comment: &str,
    level: Level,
) -> Result<bool, StoreError> {
    finish(conn, id, status, comment, level).map(|()| false)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
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

/// One transaction: the handled assets' results and checkpoint, the counters, the lines.
/// False, and nothing written, when a cancel is recorded: the request came first.
fn commit(
    conn: &mut Connection,
    id: &str,
    pending: &mut Vec<Pending>,
    lines: &mut Vec<String>,
    counts: Counts,
    eta: i64,
) -> Result<bool, StoreError> {
    if pending.is_empty() && lines.is_empty() {
        return Ok(true);
    }
    let now = now_ms();
    let tx = crate::store::write_tx(conn)?;
    if jobs::cancel_requested(&tx, id)? {
        return Ok(false);
    }
    for p in pending.iter() {
        assets::record(&tx, id, p.outcome, &p.result, now)?;
    }
    jobs::set_progress(
        &tx,
        id,
        (counts.processed, counts.failed, counts.skipped),
        eta,
    )?;
    logs::append(&tx, id, lines)?;
    tx.commit()?;
    pending.clear();
    lines.clear();
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_fit_half_the_commit_interval() {
        let ms = Duration::from_millis;
        // The first chunk: one asset per worker.
        assert_eq!(next_chunk_size(0, ms(0), 4, 512), 4);
        // Quick assets (0.1 ms each): the whole batch fits in 125 ms.
        assert_eq!(next_chunk_size(512, ms(51), 4, 512), 512);
        // Slow assets (30 ms each, 4 threads: 7.5 ms a chunk slot): about 16 per chunk.
        assert_eq!(next_chunk_size(4, ms(30), 4, 512), 16);
        // Very slow ones: never below one per worker; never above the batch a test asks.
        assert_eq!(next_chunk_size(4, ms(4_000), 4, 512), 4);
        assert_eq!(next_chunk_size(4, ms(1), 4, 1), 1);
        assert_eq!(next_chunk_size(10, Duration::ZERO, 2, 64), 64);
    }
}
