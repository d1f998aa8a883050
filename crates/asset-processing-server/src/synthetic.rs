//! Synthetic data for benchmarks and log viewer tests: a job whose log has any number of
//! realistic lines, written straight into the database; either at once (a finished job) or
//! at a given rate while the job shows RUNNING (a log that grows while a viewer follows it).
//! A running server sees the lines as they are committed (SQLite WAL); its engine never
//! takes the job, which is never WAITING.

use std::path::Path;

use asset_processing_api::{Filter, ProcessingType, Status};

use crate::clock::now_ms;
use crate::store::logs::{format_line, Level};
use crate::store::{jobs, logs, write_tx, NewJob, Store};

/// Creates the job and its `lines` log lines; returns its id. With `rate`, lines are written
/// about `rate` per second in ten batches a second, and `created` hears the id as soon as the
/// job exists (before its lines).
pub fn log_job(
    data: &Path,
    lines: u64,
    rate: Option<u64>,
    created: impl FnOnce(&str),
) -> Result<String, String> {
    std::fs::create_dir_all(data).map_err(|e| format!("cannot create {}: {e}", data.display()))?;
    let store = Store::open(&data.join("asset-processing.sqlite")).map_err(|e| e.to_string())?;
    let mut conn = store.connect().map_err(|e| e.to_string())?;
    let id = uuid::Uuid::new_v4().to_string();
    let start = now_ms();
    let job = NewJob {
        id: id.clone(),
        path: "/content/dam/synthetic".into(),
        excluded_paths: vec![],
        kind: ProcessingType::AssetProcessing,
        filter: Filter::default(),
        created_by: "bench".into(),
        created_at: start,
    };
    {
        let tx = write_tx(&mut conn).map_err(|e| e.to_string())?;
        jobs::insert(&tx, &job).map_err(|e| e.to_string())?;
        // RUNNING from the start: a server's queue on the same database only takes WAITING
        // jobs, and would otherwise process (and log into) this one.
        tx.execute(
            "UPDATE jobs SET status = 'RUNNING', calculation_status = 'RUNNING', started_at = ?2 WHERE id = ?1",
            rusqlite::params![id, start],
        )
        .map_err(|e| e.to_string())?;
        tx.commit().map_err(|e| e.to_string())?;
    }
    created(&id);
    let batch_size = rate.map_or(20_000, |r| (r / 10).max(1));
    let began = std::time::Instant::now();
    let mut written = 0u64;
    while written < lines {
        if let Some(r) = rate {
            // Batch k is due at k/10 s: the rate holds even when a write is slow.
            let due = std::time::Duration::from_secs_f64(written as f64 / r as f64);
            if let Some(wait) = due.checked_sub(began.elapsed()) {
                std::thread::sleep(wait);
            }
        }
        let n = (lines - written).min(batch_size);
        let batch: Vec<String> = (written..written + n)
            .map(|i| {
                let (level, message) = match i % 50 {
                    7 => (Level::Warn, format!("Unresolved href \"missing-{i}.dita\" in /content/dam/synthetic/topic-{i:07}.dita")),
                    23 if i % 1_000 == 23 => (Level::Error, format!("Malformed XML in /content/dam/synthetic/topic-{i:07}.dita: unexpected end")),
                    _ => (Level::Info, format!("Processed /content/dam/synthetic/topic-{i:07}.dita (application/dita+xml, 1,024 bytes, line {i})")),
                };
                format_line(start + i as i64, level, &message)
            })
            .collect();
        let tx = write_tx(&mut conn).map_err(|e| e.to_string())?;
        logs::append(&tx, &id, &batch).map_err(|e| e.to_string())?;
        tx.commit().map_err(|e| e.to_string())?;
        written += n;
    }
    let tx = write_tx(&mut conn).map_err(|e| e.to_string())?;
    jobs::finish(
        &tx,
        &id,
        &Status::Success,
        now_ms(),
        &format!("Synthetic log of {lines} lines."),
    )
    .map_err(|e| e.to_string())?;
    tx.commit().map_err(|e| e.to_string())?;
    Ok(id)
}
