//! Jobs, the queue and every change of a job's state. Each state change that must not race
//! (claim, cancel a waiting job, resume) is one conditional UPDATE: the database decides.

use asset_processing_api::{
    CalculationStatus, Eta, EtaUnit, FileCategory, Filter, Job, JobFlags, MigrationSet,
    ProcessingType, Status,
};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{from_json, logs, to_json, Result};

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

pub fn insert(conn: &Connection, job: &NewJob) -> Result<()> {
    conn.execute(
        "INSERT INTO jobs (id, path, excluded_paths, kind, file_types, filter_processed,
                           status, calculation_status, created_at, created_by, start_time, end_time)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            job.id,
            job.path,
            to_json(&job.excluded_paths),
            job.kind.as_str(),
            categories_json(&job.filter.file_types),
            job.filter.filter_processed_assets,
            Status::Waiting.as_str(),
            CalculationStatus::Waiting.as_str(),
            job.created_at,
            job.created_by,
            job.filter.start_time,
            job.filter.end_time,
        ],
    )?;
    Ok(())
}

/// Inserts a job and its first log line in one transaction.
pub fn insert_with_log(conn: &mut Connection, job: &NewJob, line: &str) -> Result<()> {
    let tx = crate::store::write_tx(conn)?;
    insert(&tx, job)?;
    logs::append(&tx, &job.id, &[line.to_string()])?;
    tx.commit()?;
    Ok(())
}

/// Queues a job with its first log line unless its user already has `max_waiting` jobs
/// WAITING; false, and nothing written, when there is no room. The count and the insert are
/// one write transaction, so two starts at the same moment cannot both take the last place.
pub fn queue_if_room(
    conn: &mut Connection,
    job: &NewJob,
    line: &str,
    max_waiting: u64,
) -> Result<bool> {
    let tx = crate::store::write_tx(conn)?;
    let waiting: i64 = tx.query_row(
        "SELECT COUNT(*) FROM jobs WHERE status = 'WAITING' AND created_by = ?1",
        [&job.created_by],
        |r| r.get(0),
    )?;
    if waiting.max(0) as u64 >= max_waiting {
        return Ok(false);
    }
    insert(&tx, job)?;
    logs::append(&tx, &job.id, &[line.to_string()])?;
    tx.commit()?;
    Ok(true)
}

pub fn get(conn: &Connection, id: &str) -> Result<Option<Job>> {
    Ok(conn
        .query_row(
            &format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?1"),
            [id],
            job_from_row,
        )
        .optional()?)
}

/// The last `limit` jobs, newest first.
pub fn history(conn: &Connection, limit: u32) -> Result<Vec<Job>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {JOB_COLUMNS} FROM jobs ORDER BY seq DESC LIMIT ?1"
    ))?;
    let jobs = stmt
        .query_map([limit], job_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(jobs)
}

/// Takes the oldest WAITING job and marks it RUNNING; its id, or None when the queue is
/// empty. Atomic: two workers never take the same job.
pub fn claim_next(conn: &Connection, now: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "UPDATE jobs SET status = 'RUNNING', completed_at = 0,
                    started_at = CASE WHEN started_at = 0 THEN ?1 ELSE started_at END
             WHERE seq = (SELECT seq FROM jobs WHERE status = 'WAITING' ORDER BY seq LIMIT 1)
               AND status = 'WAITING'
             RETURNING id",
            [now],
            |r| r.get(0),
        )
        .optional()?)
}

/// What a cancel request found and did (`request_cancel`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CancelRequest {
    /// The job was WAITING: it is CANCELLED now.
    Cancelled,
    /// The job is RUNNING: the request is recorded (now, or by an earlier request); the
    /// worker stops at its next commit.
    Recorded,
    /// The job is already final.
    Final,
    NotFound,
}

/// Records a cancel in one transaction: a WAITING job becomes CANCELLED at once, a RUNNING
/// one gets `cancel_requested_at` (and `request_line` in its log, once). Commits of the
/// worker and this transaction serialise, so every commit after this one sees the request.
pub fn request_cancel(
    conn: &mut Connection,
    id: &str,
    now: i64,
    waiting_comment: &str,
    waiting_line: &str,
    request_line: &str,
) -> Result<CancelRequest> {
    let tx = crate::store::write_tx(conn)?;
    let found: Option<(String, i64)> = tx
        .query_row(
            "SELECT status, cancel_requested_at FROM jobs WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let outcome = match found {
        None => CancelRequest::NotFound,
        Some((status, _)) if status == Status::Waiting.as_str() => {
            tx.execute(
                "UPDATE jobs SET status = 'CANCELLED', completed_at = ?2, comments = ?3
                 WHERE id = ?1",
                params![id, now, waiting_comment],
            )?;
            logs::append(&tx, id, &[waiting_line.to_string()])?;
            CancelRequest::Cancelled
        }
        Some((status, requested)) if status == Status::Running.as_str() => {
            if requested == 0 {
                tx.execute(
                    "UPDATE jobs SET cancel_requested_at = ?2 WHERE id = ?1",
                    params![id, now.max(1)],
                )?;
                logs::append(&tx, id, &[request_line.to_string()])?;
            }
            CancelRequest::Recorded
        }
        Some(_) => CancelRequest::Final,
    };
    tx.commit()?;
    Ok(outcome)
}

/// Whether a cancel of this job is recorded (read it inside the transaction it must hold for).
pub fn cancel_requested(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT cancel_requested_at FROM jobs WHERE id = ?1",
            [id],
            |r| r.get::<_, i64>(0),
        )
        .optional()?
        .is_some_and(|at| at > 0))
}

/// Puts a FAILED or CANCELLED job with a checkpoint back in the queue. False when its state
/// does not allow it.
pub fn resume(conn: &mut Connection, id: &str, log_line: &str) -> Result<bool> {
    let tx = crate::store::write_tx(conn)?;
    let changed = tx.execute(
        "UPDATE jobs SET status = 'WAITING', completed_at = 0, eta_seconds = 0, comments = '',
                cancel_requested_at = 0
         WHERE id = ?1 AND status IN ('FAILED', 'CANCELLED') AND has_checkpoint = 1",
        [id],
    )?;
    if changed == 1 {
        logs::append(&tx, id, &[log_line.to_string()])?;
    }
    tx.commit()?;
    Ok(changed == 1)
}

/// The raw fields the engine works from.
#[derive(Clone, Debug)]
pub struct JobRecord {
    pub id: String,
    pub path: String,
    pub excluded_paths: Vec<String>,
    pub filter: Filter,
    pub has_checkpoint: bool,
    pub total_files: u64,
    pub triggered_count: u64,
    pub processed: u64,
    pub failed: u64,
    pub skipped: u64,
    pub started_at: i64,
}

pub fn record(conn: &Connection, id: &str) -> Result<Option<JobRecord>> {
    Ok(conn
        .query_row(
            "SELECT id, path, excluded_paths, file_types, filter_processed, has_checkpoint, total_files,
                    triggered_count, processed, failed, skipped, started_at, start_time, end_time
             FROM jobs WHERE id = ?1",
            [id],
            |r| {
                Ok(JobRecord {
                    id: r.get(0)?,
                    path: r.get(1)?,
                    excluded_paths: from_json(&r.get::<_, String>(2)?),
                    filter: Filter {
                        file_types: categories(&r.get::<_, String>(3)?),
                        start_time: r.get(12)?,
                        end_time: r.get(13)?,
                        filter_processed_assets: r.get(4)?,
                    },
                    has_checkpoint: r.get(5)?,
                    total_files: r.get::<_, i64>(6)? as u64,
                    triggered_count: r.get::<_, i64>(7)? as u64,
                    processed: r.get::<_, i64>(8)? as u64,
                    failed: r.get::<_, i64>(9)? as u64,
                    skipped: r.get::<_, i64>(10)? as u64,
                    started_at: r.get(11)?,
                })
            },
        )
        .optional()?)
}

pub fn set_calculation(conn: &Connection, id: &str, status: &CalculationStatus) -> Result<()> {
    conn.execute(
        "UPDATE jobs SET calculation_status = ?2 WHERE id = ?1",
        params![id, status.as_str()],
    )?;
    Ok(())
}

/// Progress counters, written in the same transaction as the assets they count.
pub fn set_progress(
    conn: &Connection,
    id: &str,
    counts: (u64, u64, u64),
    eta_seconds: i64,
    comment: &str,
) -> Result<()> {
    let (processed, failed, skipped) = counts;
    conn.execute(
        "UPDATE jobs SET processed = ?2, failed = ?3, skipped = ?4, triggered_count = ?2 + ?3 + ?4,
                eta_seconds = ?5, comments = ?6
         WHERE id = ?1",
        params![
            id,
            processed as i64,
            failed as i64,
            skipped as i64,
            eta_seconds,
            comment
        ],
    )?;
    Ok(())
}

/// Ends a run: SUCCESS, FAILED or CANCELLED, with the human summary.
pub fn finish(conn: &Connection, id: &str, status: &Status, now: i64, comment: &str) -> Result<()> {
    conn.execute(
        "UPDATE jobs SET status = ?2, completed_at = ?3, comments = ?4, eta_seconds = 0,
                calculation_status = CASE WHEN calculation_status IN ('WAITING', 'RUNNING') AND ?2 <> 'SUCCESS'
                                          THEN 'FAILED' ELSE calculation_status END
         WHERE id = ?1",
        params![id, status.as_str(), now, comment],
    )?;
    Ok(())
}

pub fn status_of(conn: &Connection, id: &str) -> Result<Option<Status>> {
    Ok(conn
        .query_row("SELECT status FROM jobs WHERE id = ?1", [id], |r| {
            r.get::<_, String>(0)
        })
        .optional()?
        .map(|s| Status::from_wire(&s)))
}

const JOB_COLUMNS: &str = "id, path, excluded_paths, kind, file_types, filter_processed, status, \
     calculation_status, total_files, triggered_count, started_at, completed_at, created_by, \
     comments, eta_seconds, has_checkpoint, log_lines, start_time, end_time";

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
            calculation_status: CalculationStatus::from_wire(
                &row.get::<_, String>("calculation_status")?,
            ),
        },
        eta: if status == Status::Running {
            eta_for(eta_seconds)
        } else {
            Eta {
                value: 0,
                unit: EtaUnit::Seconds,
            }
        },
        comments: row.get("comments")?,
        filter: Filter {
            file_types: categories(&row.get::<_, String>("file_types")?),
            start_time: row.get("start_time")?,
            end_time: row.get("end_time")?,
            filter_processed_assets: row.get("filter_processed")?,
        },
        status,
        restartable: flags.restartable,
        resumable: flags.resumable,
        cancellable: flags.cancellable,
    })
}

/// The filter's categories as stored: a JSON array of their wire names.
fn categories_json(list: &[FileCategory]) -> String {
    to_json(
        &list
            .iter()
            .map(|c| c.as_str().to_string())
            .collect::<Vec<_>>(),
    )
}

/// Jobs of the first schema stored extensions (`["dita"]`); they read back as
/// `FileCategory::Other("dita")`, which the repository walk still matches by extension.
fn categories(json: &str) -> Vec<FileCategory> {
    from_json(json)
        .iter()
        .map(|name| FileCategory::from_wire(name))
        .collect()
}

/// Seconds as the coarsest unit that still says something (90 s stays seconds, 2 h is hours).
pub fn eta_for(seconds: i64) -> Eta {
    let s = seconds.max(0) as u64;
    if s >= 2 * 3_600 {
        Eta {
            value: (s + 1_800) / 3_600,
            unit: EtaUnit::Hours,
        }
    } else if s >= 2 * 60 {
        Eta {
            value: (s + 30) / 60,
            unit: EtaUnit::Minutes,
        }
    } else {
        Eta {
            value: s,
            unit: EtaUnit::Seconds,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::{new_job, temp_store};

    #[test]
    fn eta_uses_a_readable_unit() {
        assert_eq!(
            eta_for(-3),
            Eta {
                value: 0,
                unit: EtaUnit::Seconds
            }
        );
        assert_eq!(
            eta_for(90),
            Eta {
                value: 90,
                unit: EtaUnit::Seconds
            }
        );
        assert_eq!(
            eta_for(150),
            Eta {
                value: 3,
                unit: EtaUnit::Minutes
            }
        );
        assert_eq!(
            eta_for(3 * 3_600 + 100),
            Eta {
                value: 3,
                unit: EtaUnit::Hours
            }
        );
    }

    #[tokio::test]
    async fn history_is_newest_first_and_bounded() {
        let (_dir, store) = temp_store();
        for i in 0..3 {
            let mut job = new_job(&format!("job-{i}"), "/content/dam/a");
            job.excluded_paths = vec!["/content/dam/a/b".into()];
            store.insert_job(job).await.unwrap();
        }
        let ids: Vec<String> = store
            .history(2)
            .await
            .unwrap()
            .into_iter()
            .map(|j| j.processing_id)
            .collect();
        assert_eq!(ids, vec!["job-2", "job-1"]);
        let job = store.job("job-0".into()).await.unwrap().unwrap();
        assert_eq!(job.status, Status::Waiting);
        assert!(job.cancellable && !job.resumable && !job.restartable);
        assert_eq!(job.excluded_paths, vec!["/content/dam/a/b"]);
        assert!(store.job("nope".into()).await.unwrap().is_none());
    }

    #[test]
    fn the_queue_hands_out_each_job_once_in_order() {
        let (_dir, store) = temp_store();
        let conn = store.connect().unwrap();
        insert(&conn, &new_job("a", "/content/dam")).unwrap();
        insert(&conn, &new_job("b", "/content/dam")).unwrap();
        assert_eq!(claim_next(&conn, 5).unwrap().as_deref(), Some("a"));
        assert_eq!(claim_next(&conn, 6).unwrap().as_deref(), Some("b"));
        assert_eq!(claim_next(&conn, 7).unwrap(), None);
        assert_eq!(get(&conn, "a").unwrap().unwrap().started_at, 5);
    }

    #[test]
    fn only_waiting_jobs_cancel_at_once_and_only_checkpointed_ones_resume() {
        let (_dir, store) = temp_store();
        let mut conn = store.connect().unwrap();
        insert(&conn, &new_job("a", "/content/dam")).unwrap();
        assert!(
            !resume(&mut conn, "a", "x").unwrap(),
            "a waiting job does not resume"
        );
        let cancel = |conn: &mut Connection, id: &str| {
            request_cancel(conn, id, 9, "Cancelled", "cancelled line", "request line").unwrap()
        };
        assert_eq!(cancel(&mut conn, "a"), CancelRequest::Cancelled);
        assert_eq!(cancel(&mut conn, "a"), CancelRequest::Final);
        assert_eq!(cancel(&mut conn, "nope"), CancelRequest::NotFound);
        assert!(
            !cancel_requested(&conn, "a").unwrap(),
            "a waiting job just ends"
        );
        let job = get(&conn, "a").unwrap().unwrap();
        assert_eq!(job.status, Status::Cancelled);
        assert!(!job.resumable, "no checkpoint yet");
        assert!(!resume(&mut conn, "a", "x").unwrap());
        conn.execute("UPDATE jobs SET has_checkpoint = 1 WHERE id = 'a'", [])
            .unwrap();
        assert!(resume(&mut conn, "a", "Resumed").unwrap());
        assert_eq!(get(&conn, "a").unwrap().unwrap().status, Status::Waiting);
    }

    #[test]
    fn a_job_has_logs_once_a_line_is_written() {
        let (_dir, store) = temp_store();
        let conn = store.connect().unwrap();
        insert(&conn, &new_job("j", "/content/dam")).unwrap();
        assert!(!get(&conn, "j").unwrap().unwrap().has_logs);
        logs::append(&conn, "j", &["a line".to_string()]).unwrap();
        assert!(get(&conn, "j").unwrap().unwrap().has_logs);
    }
}
