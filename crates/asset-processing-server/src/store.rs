//! The SQLite database: the one place the server's state lives.
//!
//! WAL mode and `synchronous=NORMAL`: a write transaction that has returned survives the
//! process being killed (WAL is fsynced at checkpoints; a power cut may lose the last
//! transactions, never corrupt the file). Every call runs on a blocking thread so the async
//! runtime is never held up by disk I/O.

use std::path::Path;
use std::sync::{Arc, Mutex};

use asset_processing_api::{
    CalculationStatus, Eta, EtaUnit, Filter, Job, JobFlags, MigrationSet, ProcessingType, Status,
};
use rusqlite::{params, Connection, OptionalExtension, Row};

/// A failure of the database, kept as text: callers report it, they do not branch on it.
#[derive(Debug)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError(e.to_string())
    }
}

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS jobs (
    seq                INTEGER PRIMARY KEY AUTOINCREMENT,
    id                 TEXT NOT NULL UNIQUE,
    path               TEXT NOT NULL,
    excluded_paths     TEXT NOT NULL,          -- JSON array of normalised paths
    kind               TEXT NOT NULL,
    file_types         TEXT NOT NULL,          -- JSON array
    filter_processed   INTEGER NOT NULL,
    status             TEXT NOT NULL,
    calculation_status TEXT NOT NULL,
    total_files        INTEGER NOT NULL DEFAULT 0,
    triggered_count    INTEGER NOT NULL DEFAULT 0,
    created_at         INTEGER NOT NULL,
    started_at         INTEGER NOT NULL DEFAULT 0,
    completed_at       INTEGER NOT NULL DEFAULT 0,
    created_by         TEXT NOT NULL,
    comments           TEXT NOT NULL DEFAULT '',
    eta_seconds        INTEGER NOT NULL DEFAULT 0,
    has_checkpoint     INTEGER NOT NULL DEFAULT 0,
    log_lines          INTEGER NOT NULL DEFAULT 0
);
"#;

/// Handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
}

/// What a new job is made of.
#[derive(Clone, Debug)]
pub struct NewJob {
    pub id: String,
    pub path: String,
    pub excluded_paths: Vec<String>,
    pub kind: ProcessingType,
    pub filter: Filter,
    pub created_by: String,
    pub created_at: i64,
}

impl Store {
    /// Opens (or creates) the database file and brings its schema up to date.
    pub fn open(file: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(file)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        Ok(Store { conn: Arc::new(Mutex::new(conn)) })
    }

    /// Runs `f` with the connection on a blocking thread.
    pub async fn call<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            // A panic elsewhere while holding the lock leaves SQLite consistent (transactions
            // roll back on drop), so a poisoned lock is safe to take over.
            let mut guard = conn.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut guard)
        })
        .await
        .map_err(|e| StoreError(format!("database task failed: {e}")))?
    }

    /// Records a new job as WAITING.
    pub async fn insert_job(&self, job: NewJob) -> Result<(), StoreError> {
        self.call(move |conn| {
            conn.execute(
                "INSERT INTO jobs (id, path, excluded_paths, kind, file_types, filter_processed,
                                   status, calculation_status, created_at, created_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    job.id,
                    job.path,
                    to_json(&job.excluded_paths),
                    job.kind.as_str(),
                    to_json(&job.filter.file_types),
                    job.filter.filter_processed_assets,
                    Status::Waiting.as_str(),
                    CalculationStatus::Waiting.as_str(),
                    job.created_at,
                    job.created_by,
                ],
            )?;
            Ok(())
        })
        .await
    }

    /// One job by id.
    pub async fn job(&self, id: String) -> Result<Option<Job>, StoreError> {
        self.call(move |conn| {
            Ok(conn
                .query_row(&format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?1"), [id], job_from_row)
                .optional()?)
        })
        .await
    }

    /// The last `limit` jobs, newest first.
    pub async fn history(&self, limit: u32) -> Result<Vec<Job>, StoreError> {
        self.call(move |conn| {
            let mut stmt =
                conn.prepare(&format!("SELECT {JOB_COLUMNS} FROM jobs ORDER BY seq DESC LIMIT ?1"))?;
            let jobs = stmt.query_map([limit], job_from_row)?.collect::<Result<Vec<_>, _>>()?;
            Ok(jobs)
        })
        .await
    }
}

const JOB_COLUMNS: &str = "id, path, excluded_paths, kind, file_types, filter_processed, status, \
     calculation_status, total_files, triggered_count, started_at, completed_at, created_by, \
     comments, eta_seconds, has_checkpoint, log_lines";

fn job_from_row(row: &Row<'_>) -> rusqlite::Result<Job> {
    let status = Status::from_wire(&row.get::<_, String>("status")?);
    let has_checkpoint: bool = row.get("has_checkpoint")?;
    let flags = JobFlags::for_status(&status, has_checkpoint);
    let eta_seconds: i64 = row.get("eta_seconds")?;
    Ok(Job {
        processing_id: row.get("id")?,
        path: row.get("path")?,
        excluded_paths: from_json(&row.get::<_, String>("excluded_paths")?),
        triggered_count: row.get::<_, i64>("triggered_count")?.max(0) as u64,
        started_at: row.get("started_at")?,
        completed_at: row.get("completed_at")?,
        has_logs: row.get::<_, i64>("log_lines")? > 0,
        created_by: row.get("created_by")?,
        kind: ProcessingType::from_wire(&row.get::<_, String>("kind")?),
        migration_set: MigrationSet {
            total_files: row.get::<_, i64>("total_files")?.max(0) as u64,
            calculation_status: CalculationStatus::from_wire(&row.get::<_, String>("calculation_status")?),
        },
        eta: if status == Status::Running { eta_for(eta_seconds) } else { Eta { value: 0, unit: EtaUnit::Seconds } },
        comments: row.get("comments")?,
        filter: Filter {
            file_types: from_json(&row.get::<_, String>("file_types")?),
            filter_processed_assets: row.get("filter_processed")?,
        },
        status,
        restartable: flags.restartable,
        resumable: flags.resumable,
        cancellable: flags.cancellable,
    })
}

/// Seconds as the coarsest unit that still says something (90 s stays seconds, 2 h is hours).
pub fn eta_for(seconds: i64) -> Eta {
    let s = seconds.max(0) as u64;
    if s >= 2 * 3_600 {
        Eta { value: (s + 1_800) / 3_600, unit: EtaUnit::Hours }
    } else if s >= 2 * 60 {
        Eta { value: (s + 30) / 60, unit: EtaUnit::Minutes }
    } else {
        Eta { value: s, unit: EtaUnit::Seconds }
    }
}

fn to_json(list: &[String]) -> String {
    serde_json::to_string(list).expect("a list of strings serialises")
}

fn from_json(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eta_uses_a_readable_unit() {
        assert_eq!(eta_for(-3), Eta { value: 0, unit: EtaUnit::Seconds });
        assert_eq!(eta_for(90), Eta { value: 90, unit: EtaUnit::Seconds });
        assert_eq!(eta_for(150), Eta { value: 3, unit: EtaUnit::Minutes });
        assert_eq!(eta_for(3 * 3_600 + 100), Eta { value: 3, unit: EtaUnit::Hours });
    }

    #[tokio::test]
    async fn history_is_newest_first_and_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).unwrap();
        for i in 0..3 {
            store
                .insert_job(NewJob {
                    id: format!("job-{i}"),
                    path: "/content/dam/a".into(),
                    excluded_paths: vec!["/content/dam/a/b".into()],
                    kind: ProcessingType::AssetProcessing,
                    filter: Filter::default(),
                    created_by: "admin".into(),
                    created_at: 1_000 + i,
                })
                .await
                .unwrap();
        }
        let ids: Vec<String> =
            store.history(2).await.unwrap().into_iter().map(|j| j.processing_id).collect();
        assert_eq!(ids, vec!["job-2", "job-1"]);
        let job = store.job("job-0".into()).await.unwrap().unwrap();
        assert_eq!(job.status, Status::Waiting);
        assert!(job.cancellable && !job.resumable && !job.restartable);
        assert_eq!(job.excluded_paths, vec!["/content/dam/a/b"]);
        assert!(store.job("nope".into()).await.unwrap().is_none());
    }
}
