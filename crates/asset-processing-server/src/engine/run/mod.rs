//! One run of one job: counting (first run only, `count.rs`), then the pending assets in
//! order, in chunks that each commit results, checkpoint, counters and log lines together:
//! the file work of a chunk (`chunk.rs`) goes on while a writer commits the one before, and
//! the run ends in a state read from what is committed.

mod chunk;
mod count;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use asset_processing_api::Status;
use rusqlite::Connection;

use chunk::{Chunk, Producer};
use count::{count, Counted};

use super::asset::{self, group};
use super::progress::Counts;
use crate::clock::now_ms;
use crate::repository::Repository;
use crate::store::assets;
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

/// Whether the run should stop: a cancel of this job or a stop of the server. Only the file
/// work reads it; what is recorded is decided by the cancel request in the database.
#[derive(Clone, Copy)]
struct Stop<'a> {
    cancel: &'a AtomicBool,
    stopping: &'a AtomicBool,
}

impl Stop<'_> {
    fn asked(&self) -> bool {
        self.cancel.load(Ordering::SeqCst) || self.stopping.load(Ordering::SeqCst)
    }
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

/// Runs one claimed job to its end: counting (first run) or the resume line, the pending
/// assets, then the final state from what is committed.
pub fn run_job(mut ctx: Context<'_>, id: &str) -> Result<(), StoreError> {
    let stop = Stop {
        cancel: ctx.cancel,
        stopping: ctx.stopping,
    };
    let record =
        jobs::record(ctx.conn, id)?.ok_or_else(|| StoreError(format!("job {id} vanished")))?;

    // Counting phase: the first run only. Its result, the asset list, is the checkpoint
    // (stored by the writer as processing begins). A resumed run reads what is still pending.
    let counted = if record.has_checkpoint {
        resume_from_checkpoint(ctx.conn, &record, ctx.stopping)?.then_some(None)
    } else {
        count(ctx.conn, ctx.repo, &record, stop, ctx.while_counting)?.map(Some)
    };
    let Some(counted) = counted else {
        return Ok(()); // ended before processing (cancelled, stopped or failed)
    };
    let processed = process(&mut ctx, &record, counted.as_ref(), stop)?;
    if processed.cancelled_counting {
        let words = count::CANCELLED_WHILE_COUNTING;
        return finish(ctx.conn, id, Status::Cancelled, words, Level::Warn);
    }
    // Also when the folder went after the last chunk that noticed nothing.
    let vanished = processed.vanished
        || (processed.counts.failed > record.failed && !ctx.repo.exists(&record.path));
    end_run(ctx.conn, id, ctx.stopping, processed.took, vanished)
}

/// A run from its checkpoint: the line that says so, or, when a cancel came first, the run's
/// end (false).
fn resume_from_checkpoint(
    conn: &mut Connection,
    record: &jobs::JobRecord,
    stopping: &AtomicBool,
) -> Result<bool, StoreError> {
    let id = record.id.as_str();
    let tx = crate::store::write_tx(conn)?;
    if jobs::cancel_requested(&tx, id)? {
        drop(tx);
        end_run(conn, id, stopping, 0.0, false)?;
        return Ok(false);
    }
    let resuming = format!(
        "Resuming from the checkpoint: {} of {} asset(s) already handled",
        group(record.triggered_count),
        group(record.total_files)
    );
    logs::append(&tx, id, &[line(Level::Info, &resuming)])?;
    tx.commit()?;
    Ok(true)
}

/// How the processing phase ended.
struct Processed {
    /// The job's counts, this run's assets included.
    counts: Counts,
    /// The job's folder was found gone: the run stopped there.
    vanished: bool,
    /// Seconds the phase took.
    took: f64,
    /// A cancel came before the counted list was stored: nothing was recorded.
    cancelled_counting: bool,
}

/// The processing phase. Assets are handled in chunks of `batch`. The file work of a chunk
/// (stat, read, hash, parse) runs on every core while a writer thread commits the previous
/// chunk, in order, one transaction per chunk. Each commit reads the cancel request in its own
/// transaction: a chunk whose commit comes after the request is dropped (its assets stay
/// pending), so nothing is recorded after a cancel, and a run always stops between assets.
/// The in-memory flag only stops the file work early. `counted`: a first run's asset list,
/// all of it pending, which the writer stores (the checkpoint) before the first chunk while
/// the file threads begin; None for a resumed run, which reads what is pending.
fn process(
    ctx: &mut Context<'_>,
    record: &jobs::JobRecord,
    counted: Option<&Counted>,
    stop: Stop<'_>,
) -> Result<Processed, StoreError> {
    let id = record.id.as_str();
    let total = match counted {
        Some(c) => c.assets.len() as u64,
        None => jobs::record(ctx.conn, id)?
            .map(|r| r.total_files)
            .unwrap_or(0),
    };
    let counts = Counts {
        processed: record.processed,
        failed: record.failed,
        skipped: record.skipped,
    };
    let run_started = Instant::now();
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4);
    // A first run's references to its own assets need no look at the disk.
    let listed: Option<asset::Listed<'_>> =
        counted.map(|c| c.assets.iter().map(String::as_str).collect());
    let read_pending;
    let all_pending: &[String] = match counted {
        Some(c) => &c.assets,
        None => {
            read_pending = assets::pending(ctx.conn, id)?;
            &read_pending
        }
    };
    // Reads for `filterProcessedAssets` go through the file threads' own connections: the
    // writer owns `conn`.
    let file = ctx
        .conn
        .path()
        .filter(|p| !p.is_empty())
        .map(std::path::PathBuf::from)
        .ok_or_else(|| StoreError("the database has no file".into()))?;
    let mut producer = Producer {
        repo: ctx.repo,
        record,
        stop,
        batch: ctx.batch,
        pace: ctx.pace,
        workers,
        caches: (0..workers).map(|_| asset::RefCache::new()).collect(),
        db_file: &file,
        total,
        counts,
        handled_at_start: counts.handled(),
        run_started,
        last_progress: Instant::now(),
    };
    let (conn, cancel, after_commit) = (&mut *ctx.conn, ctx.cancel, ctx.after_commit);
    let (tx, rx) = std::sync::mpsc::sync_channel::<Chunk>(2);
    let (vanished, stored) = std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            // The counted list first: nothing of this run is recorded before it.
            let stored = match counted {
                Some(c) => count::store(conn, id, c)?,
                None => true,
            };
            if !stored {
                cancel.store(true, Ordering::SeqCst); // the file work stops
                rx.iter().for_each(drop);
                return Ok(false);
            }
            write_chunks(conn, id, rx, cancel, after_commit).map(|()| true)
        });
        // `tx` goes with the producer and is dropped when it returns: the writer then ends.
        let produced = producer.run(all_pending, listed.as_ref(), tx);
        let wrote = writer
            .join()
            .unwrap_or_else(|_| Err(StoreError("the log writer panicked".into())));
        produced.and_then(|vanished| wrote.map(|stored| (vanished, stored)))
    })?;
    Ok(Processed {
        counts: producer.counts,
        vanished,
        took: run_started.elapsed().as_secs_f64(),
        cancelled_counting: !stored,
    })
}

/// The writer: commits the chunks in order. Once a commit finds the cancel request, no later
/// chunk is recorded: the rest is drained (so the producer never blocks) and dropped.
fn write_chunks(
    conn: &mut Connection,
    id: &str,
    chunks: std::sync::mpsc::Receiver<Chunk>,
    cancel: &AtomicBool,
    after_commit: Option<&super::AfterCommit>,
) -> Result<(), StoreError> {
    let mut cancelled = false;
    for chunk in chunks {
        if cancelled {
            continue;
        }
        if !commit(conn, id, &chunk)? {
            cancelled = true;
            cancel.store(true, Ordering::SeqCst);
            continue;
        }
        if let Some(hook) = after_commit {
            hook(id, chunk.counts.handled());
        }
    }
    Ok(())
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

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// One transaction: the handled assets' results and checkpoint, the counters, the lines.
/// False, and nothing written, when a cancel is recorded: the request came first.
fn commit(conn: &mut Connection, id: &str, chunk: &Chunk) -> Result<bool, StoreError> {
    if chunk.pending.is_empty() && chunk.lines.is_empty() {
        return Ok(true);
    }
    let now = now_ms();
    let tx = crate::store::write_tx(conn)?;
    if jobs::cancel_requested(&tx, id)? {
        return Ok(false);
    }
    {
        let mut recorder = assets::Recorder::new(&tx)?;
        for p in &chunk.pending {
            recorder.record(id, p.outcome, &p.result, p.refs.as_deref(), now)?;
        }
    }
    let Counts {
        processed,
        failed,
        skipped,
    } = chunk.counts;
    // While it runs, the job's comments count what it has done so far ("1,204 processed,
    // 3 failed, 0 skipped so far"): a history shows failures before the run ends.
    let so_far = format!("{} so far", chunk.counts.summary());
    jobs::set_progress(&tx, id, (processed, failed, skipped), chunk.eta, &so_far)?;
    logs::append(&tx, id, &chunk.lines)?;
    tx.commit()?;
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
