//! The SQLite database: the one place the server's state lives.
//!
//! WAL mode and `synchronous=NORMAL`: a committed transaction survives the process being
//! killed (a power cut may lose the last transactions, never corrupt the file). The queries
//! are plain functions over a `&Connection` so the HTTP side (through `Store::call`, on a
//! blocking thread) and the engine's workers (each on its own connection) share them.
//!
//! - `jobs`: jobs, the queue and job state changes.
//! - `logs`: log lines in compressed blocks keyed by (job, first line number) and an open
//!   tail of rows: a page at any offset is an index seek.
//! - `assets`: each job's asset list (its checkpoint) and per-asset results.
//! - `recovery`: at start-up, the jobs a stopped process left RUNNING.
//! - `sessions`: sign-in sessions (the `login-token` cookie).

pub mod assets;
pub mod jobs;
pub mod logs;
pub mod recovery;
pub mod sessions;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

pub use jobs::NewJob;

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

pub type Result<T> = std::result::Result<T, StoreError>;

/// The schema of the first release (commit 35f03ac), kept as it was: a database made by that
/// release has `user_version` 0 and exactly these tables, so running this again on it (every
/// statement is `IF NOT EXISTS`) changes nothing and the later migrations take it from there.
const SCHEMA_V1: &str = r#"
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
    processed          INTEGER NOT NULL DEFAULT 0,
    failed             INTEGER NOT NULL DEFAULT 0,
    skipped            INTEGER NOT NULL DEFAULT 0,
    created_at         INTEGER NOT NULL,
    started_at         INTEGER NOT NULL DEFAULT 0,
    completed_at       INTEGER NOT NULL DEFAULT 0,
    created_by         TEXT NOT NULL,
    comments           TEXT NOT NULL DEFAULT '',
    eta_seconds        INTEGER NOT NULL DEFAULT 0,
    has_checkpoint     INTEGER NOT NULL DEFAULT 0,
    log_lines          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS jobs_by_status ON jobs(status, seq);

CREATE TABLE IF NOT EXISTS log_lines (
    job_id  TEXT NOT NULL,
    line_no INTEGER NOT NULL,
    text    TEXT NOT NULL,
    PRIMARY KEY (job_id, line_no)
) WITHOUT ROWID;

-- A job's assets in processing order, written once when counting ends. With the result
-- rows below it is the checkpoint: an asset is handled exactly when its result row exists.
CREATE TABLE IF NOT EXISTS job_assets (
    job_id TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    path   TEXT NOT NULL,
    PRIMARY KEY (job_id, seq)
) WITHOUT ROWID;

-- What processing found, one row per asset and job (a second row is refused by the key).
CREATE TABLE IF NOT EXISTS asset_results (
    job_id     TEXT NOT NULL,
    path       TEXT NOT NULL,
    outcome    TEXT NOT NULL,                 -- processed | failed | skipped
    media_type TEXT NOT NULL DEFAULT '',
    size       INTEGER NOT NULL DEFAULT 0,
    sha256     TEXT NOT NULL DEFAULT '',
    title      TEXT,
    dita_id    TEXT,
    refs       TEXT,                          -- JSON array of {kind, value, resolved}
    width      INTEGER,
    height     INTEGER,
    message    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (job_id, path)
) WITHOUT ROWID;

-- The last successful processing of each asset, for `filterProcessedAssets`.
CREATE TABLE IF NOT EXISTS processed_assets (
    path         TEXT PRIMARY KEY,
    size         INTEGER NOT NULL,
    modified_ns  INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    job_id       TEXT NOT NULL,
    processed_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS sessions (
    token      TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
"#;

/// Version 2: the filter's creation-time window (epoch ms, NULL for no bound) and an index
/// that finds an asset's results in every job by its path (the per-asset status look-up).
const SCHEMA_V2: &str = r#"
ALTER TABLE jobs ADD COLUMN start_time INTEGER;
ALTER TABLE jobs ADD COLUMN end_time INTEGER;
CREATE INDEX asset_results_by_path ON asset_results(path);
"#;

/// Version 3: a cancel request, recorded when a person asks (epoch ms, 0 for none). The
/// worker reads it inside every commit, so a cancel is never lost, whatever the moment it
/// arrives, and it survives a restart.
const SCHEMA_V3: &str = r#"
ALTER TABLE jobs ADD COLUMN cancel_requested_at INTEGER NOT NULL DEFAULT 0;
"#;

/// Version 4: the log in compressed blocks of lines (`logs.rs`). `log_sealed` counts a job's
/// lines that are in blocks; the rest stay one row per line in `log_lines`. A database of an
/// earlier version starts with every line a row (`log_sealed` 0), which reads correctly as
/// it is; [`Store::open`] then seals the full blocks.
const SCHEMA_V4: &str = r#"
ALTER TABLE jobs ADD COLUMN log_sealed INTEGER NOT NULL DEFAULT 0;
CREATE TABLE log_blocks (
    id         INTEGER PRIMARY KEY,
    job_id     TEXT NOT NULL,
    first_line INTEGER NOT NULL,
    line_count INTEGER NOT NULL,
    text_bytes INTEGER NOT NULL,                -- the lines' bytes, a line break each
    data       BLOB NOT NULL,                   -- zstd of the line lengths and the lines
    UNIQUE (job_id, first_line)
);
"#;

/// Version 5: the look-up's index by path carries each result's outcome, so the per-asset
/// status look-up reads the index alone (it read every result row's outcome from the table:
/// a search of the table per asset, 2.4 s of a million-asset look-up's 3.5 s).
const SCHEMA_V5: &str = r#"
CREATE INDEX asset_results_by_path_outcome ON asset_results(path, outcome);
DROP INDEX asset_results_by_path;
"#;

/// The schema's history, oldest first: migration `i` takes a database from version `i` to
/// `i + 1` (`PRAGMA user_version`). Append only; never edit a migration that has shipped.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("the first release's tables", SCHEMA_V1),
    ("filter time window; results by asset path", SCHEMA_V2),
    ("durable cancel requests", SCHEMA_V3),
    ("the log in compressed blocks of lines", SCHEMA_V4),
    ("results by asset path with their outcome", SCHEMA_V5),
];

/// The schema version this build writes and understands.
pub fn schema_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// Brings a database to [`schema_version`], one migration per transaction, logging each
/// step. A database newer than this build (made by a later release) is refused, untouched:
/// reading it with older code could lose what the newer schema records.
pub fn migrate(conn: &mut Connection, file: &Path) -> Result<()> {
    let found: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let known = schema_version();
    if found > known {
        return Err(StoreError(format!(
            "the database {} has schema version {found}, newer than this server knows \
             (version {known}); run the newer server that made it, or give --data another folder",
            file.display()
        )));
    }
    for (index, (what, sql)) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let to = index as u32 + 1;
        let tx = write_tx(conn)?;
        tx.execute_batch(sql).map_err(|e| {
            StoreError(format!(
                "schema migration to version {to} ({what}) failed: {e}"
            ))
        })?;
        tx.pragma_update(None, "user_version", to)?;
        tx.commit()?;
        tracing::info!(
            "database {}: schema migrated to version {to} ({what})",
            file.display()
        );
    }
    Ok(())
}

/// Seals the full blocks of lines still stored one row per line: the logs of a database
/// migrated from version 3 or earlier. One transaction per job, so a stop half-way loses
/// nothing and the next start carries on; nothing to do on an up-to-date database.
fn seal_logs(conn: &mut Connection, file: &Path) -> Result<()> {
    let jobs = logs::jobs_with_full_tails(conn)?;
    for id in &jobs {
        let tx = write_tx(conn)?;
        logs::seal_full_blocks(&tx, id)?;
        tx.commit()?;
    }
    if !jobs.is_empty() {
        tracing::info!(
            "database {}: the logs of {} jobs compressed into blocks of {} lines",
            file.display(),
            jobs.len(),
            logs::BLOCK_LINES
        );
    }
    Ok(())
}

/// Opens a connection with the project's settings.
pub fn connect(file: &Path) -> Result<Connection> {
    let conn = Connection::open(file)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // 32 MiB of page cache per connection: a batch of results and log lines stays in memory.
    conn.pragma_update(None, "cache_size", -32_768)?;
    // Checkpoint (copy the WAL into the database, with an fsync) every 40 MB of WAL, not 4.
    conn.pragma_update(None, "wal_autocheckpoint", 10_000)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    Ok(conn)
}

/// A database file of 0 bytes (a failed copy, a truncated backup) would open as a new, empty
/// database and every job would be gone without a word: it is refused, untouched. A file
/// that does not exist is created as usual.
fn refuse_empty(file: &Path) -> Result<()> {
    match std::fs::metadata(file) {
        Ok(meta) if meta.is_file() && meta.len() == 0 => Err(StoreError(format!(
            "the database {} is empty (0 bytes): its jobs and logs are not in it (a failed \
             copy or a truncated backup?). Restore it from a backup; or, to start afresh on \
             purpose, move it away (mv {0} {0}.empty) and start again. Nothing was changed",
            file.display()
        ))),
        _ => Ok(()),
    }
}

/// The HTTP side's handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    file: PathBuf,
    conn: Arc<Mutex<Connection>>,
}

impl Store {
    /// Opens (or creates) the database file and brings its schema up to date.
    pub fn open(file: &Path) -> Result<Store> {
        refuse_empty(file)?;
        let mut conn = connect(file)?;
        migrate(&mut conn, file)?;
        seal_logs(&mut conn, file)?;
        Ok(Store {
            file: file.to_path_buf(),
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// The database file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// A new connection to the same database (each engine worker and each download has
    /// its own, so they never wait for the HTTP side's).
    pub fn connect(&self) -> Result<Connection> {
        connect(&self.file)
    }

    /// Runs `f` with the shared connection on a blocking thread.
    pub async fn call<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
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
    pub async fn insert_job(&self, job: NewJob) -> Result<()> {
        self.call(move |conn| jobs::insert(conn, &job)).await
    }

    /// One job by id.
    pub async fn job(&self, id: String) -> Result<Option<asset_processing_api::Job>> {
        self.call(move |conn| jobs::get(conn, &id)).await
    }

    /// The last `limit` jobs, newest first.
    pub async fn history(&self, limit: u32) -> Result<Vec<asset_processing_api::Job>> {
        self.call(move |conn| jobs::history(conn, limit)).await
    }
}

/// Starts a write transaction. IMMEDIATE takes the write lock at once (waiting up to the
/// busy timeout); a deferred one that reads first and writes later would fail with "database
/// is locked" instead of waiting when another connection wrote in between (WAL snapshots).
pub fn write_tx(conn: &mut Connection) -> Result<rusqlite::Transaction<'_>> {
    Ok(conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
}

/// JSON text of a list of strings.
pub(crate) fn to_json(list: &[String]) -> String {
    serde_json::to_string(list).expect("a list of strings serialises")
}

pub(crate) fn from_json(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use asset_processing_api::{Filter, ProcessingType};

    pub fn new_job(id: &str, path: &str) -> NewJob {
        NewJob {
            id: id.into(),
            path: path.into(),
            excluded_paths: vec![],
            kind: ProcessingType::AssetProcessing,
            filter: Filter::default(),
            created_by: "admin".into(),
            created_at: 1_000,
        }
    }

    pub fn temp_store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).unwrap();
        (dir, store)
    }

    /// A store holding one WAITING job under `/content/dam` (its log's lines are counted on
    /// its row).
    pub fn temp_store_with_job(id: &str) -> (tempfile::TempDir, Store) {
        let (dir, store) = temp_store();
        let conn = store.connect().unwrap();
        jobs::insert(&conn, &new_job(id, "/content/dam")).unwrap();
        (dir, store)
    }
}
