//! A job's asset list (its checkpoint) and what processing found for each asset.
//!
//! The list is written once, in processing order, when counting ends. An asset is handled
//! exactly when its result row exists; that row is inserted in the batch transaction that
//! also advances the job's counters and appends its log lines, so after a crash the
//! database shows each asset either fully handled or still pending, and the primary key
//! refuses a second result for the same asset.

use rusqlite::{params, Connection, OptionalExtension};

use super::Result;

/// What became of one asset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Processed,
    Failed,
    Skipped,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Processed => "processed",
            Outcome::Failed => "failed",
            Outcome::Skipped => "skipped",
        }
    }
}

/// A reference found in a DITA or XML asset.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Reference {
    /// `href`, `conref`, `conkeyref` or `keyref`.
    pub kind: String,
    pub value: String,
    /// None when it cannot be checked here (keys, external links).
    pub resolved: Option<bool>,
}

/// The result row of one asset.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AssetResult {
    pub path: String,
    pub media_type: String,
    pub size: u64,
    pub modified_ns: i64,
    pub sha256: String,
    pub title: Option<String>,
    pub dita_id: Option<String>,
    pub refs: Vec<Reference>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub message: String,
}

/// Stores the job's asset list and marks the counting phase done: from here the job has a
/// checkpoint and can be resumed.
pub fn save_list(conn: &Connection, job_id: &str, paths: &[String]) -> Result<()> {
    let mut insert =
        conn.prepare_cached("INSERT INTO job_assets (job_id, seq, path) VALUES (?1, ?2, ?3)")?;
    for (seq, path) in paths.iter().enumerate() {
        insert.execute(params![job_id, seq as i64, path])?;
    }
    conn.execute(
        "UPDATE jobs SET has_checkpoint = 1, total_files = ?2, calculation_status = 'SUCCESS' WHERE id = ?1",
        params![job_id, paths.len() as i64],
    )?;
    Ok(())
}

/// The assets still to handle, in processing order.
pub fn pending(conn: &Connection, job_id: &str) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare(
            "SELECT path FROM job_assets ja WHERE job_id = ?1
               AND NOT EXISTS (SELECT 1 FROM asset_results ar WHERE ar.job_id = ja.job_id AND ar.path = ja.path)
             ORDER BY seq",
        )?;
    let rows = stmt
        .query_map([job_id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The JSON of an asset's references as its result row stores it; None when it has none.
/// Made on the file threads, so the run's one writer only binds it.
pub fn refs_json(refs: &[Reference]) -> Option<String> {
    (!refs.is_empty()).then(|| serde_json::to_string(refs).expect("refs serialise"))
}

/// Records one handled asset (inside the batch transaction).
pub fn record(
    conn: &Connection,
    job_id: &str,
    outcome: Outcome,
    result: &AssetResult,
    now: i64,
) -> Result<()> {
    let refs = refs_json(&result.refs);
    Recorder::new(conn)?.record(job_id, outcome, result, refs.as_deref(), now)
}

/// Records handled assets, its two statements prepared once for a batch (a statement taken
/// from the cache and put back for every row costs the writer a few percent of a run).
pub struct Recorder<'c> {
    results: rusqlite::CachedStatement<'c>,
    processed: rusqlite::CachedStatement<'c>,
}

impl<'c> Recorder<'c> {
    pub fn new(conn: &'c Connection) -> Result<Recorder<'c>> {
        Ok(Recorder {
            results: conn.prepare_cached(
                "INSERT INTO asset_results (job_id, path, outcome, media_type, size, sha256, title, dita_id, refs,
                                            width, height, message)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?,
            processed: conn.prepare_cached(
                "INSERT INTO processed_assets (path, size, modified_ns, sha256, job_id, processed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(path) DO UPDATE SET size = excluded.size, modified_ns = excluded.modified_ns,
                     sha256 = excluded.sha256, job_id = excluded.job_id, processed_at = excluded.processed_at",
            )?,
        })
    }

    /// One asset's result row; `refs` is `refs_json(&result.refs)`.
    pub fn record(
        &mut self,
        job_id: &str,
        outcome: Outcome,
        result: &AssetResult,
        refs: Option<&str>,
        now: i64,
    ) -> Result<()> {
        self.results.execute(params![
            job_id,
            result.path,
            outcome.as_str(),
            result.media_type,
            result.size as i64,
            result.sha256,
            result.title,
            result.dita_id,
            refs,
            result.width,
            result.height,
            result.message,
        ])?;
        if outcome == Outcome::Processed {
            self.processed.execute(params![
                result.path,
                result.size as i64,
                result.modified_ns,
                result.sha256,
                job_id,
                now
            ])?;
        }
        Ok(())
    }
}

/// Size and modification time recorded at an asset's last successful processing.
pub fn last_processed(conn: &Connection, path: &str) -> Result<Option<(u64, i64)>> {
    Ok(conn
        .query_row(
            "SELECT size, modified_ns FROM processed_assets WHERE path = ?1",
            [path],
            |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)),
        )
        .optional()?)
}

/// How many result rows each path of a job has (tests use it to prove "exactly once").
pub fn result_counts(conn: &Connection, job_id: &str) -> Result<Vec<(String, String)>> {
    let mut stmt =
        conn.prepare("SELECT path, outcome FROM asset_results WHERE job_id = ?1 ORDER BY path")?;
    let rows = stmt
        .query_map([job_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
