//! Synthetic data for benchmarks and log viewer tests: a finished job whose log has any
//! number of realistic lines, written straight into the database.

use std::path::Path;

use asset_processing_api::{Filter, ProcessingType, Status};

use crate::clock::now_ms;
use crate::store::logs::{format_line, Level};
use crate::store::{jobs, logs, write_tx, NewJob, Store};

/// Creates the job and its `lines` log lines; returns its id.
pub fn log_job(data: &Path, lines: u64) -> Result<String, String> {
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
    jobs::insert(&conn, &job).map_err(|e| e.to_string())?;
    let mut written = 0u64;
    while written < lines {
        let n = (lines - written).min(20_000);
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
