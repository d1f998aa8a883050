//! Start-up: what becomes of the jobs a process left RUNNING when it stopped (killed, or
//! its machine lost power). A recorded cancel wins (CANCELLED); every other one is FAILED,
//! "interrupted". Each keeps its checkpoint, and its words say what is possible next: resume
//! when it has a checkpoint, restart when it was stopped while still counting its assets.

use asset_processing_api::Status;
use rusqlite::{params, Connection};

use super::jobs::finish;
use super::{logs, Result};

/// The words a job ended at start-up is given: with a checkpoint it can be resumed, without
/// one (stopped while counting its assets) only a restart runs it again, and its comment
/// must not say otherwise.
#[derive(Clone, Copy, Debug)]
pub struct Ending<'a> {
    pub resumable: &'a str,
    pub restart: &'a str,
    /// The level of its log line.
    pub level: logs::Level,
}

impl Ending<'_> {
    fn comment(&self, has_checkpoint: bool) -> &str {
        if has_checkpoint {
            self.resumable
        } else {
            self.restart
        }
    }
}

/// The RUNNING jobs (`extra` narrows them) with whether each has a checkpoint, oldest first.
fn running(conn: &Connection, extra: &str) -> Result<Vec<(String, bool)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT id, has_checkpoint FROM jobs WHERE status = 'RUNNING' {extra} ORDER BY seq"
    ))?;
    let ids = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<(String, bool)>>>()?;
    Ok(ids)
}

/// At start-up: jobs left RUNNING by a process that died are FAILED (interrupted) and keep
/// their checkpoint, so they can be resumed (or, still counting, restarted). Their ids.
pub fn fail_interrupted(
    conn: &mut Connection,
    now: i64,
    ending: Ending<'_>,
) -> Result<Vec<String>> {
    let tx = crate::store::write_tx(conn)?;
    let jobs = running(&tx, "")?;
    for (id, has_checkpoint) in &jobs {
        let comment = ending.comment(*has_checkpoint);
        tx.execute(
            "UPDATE jobs SET status = 'FAILED', completed_at = ?2, eta_seconds = 0, comments = ?3,
                    calculation_status = CASE WHEN calculation_status = 'RUNNING' THEN 'FAILED'
                                              ELSE calculation_status END
             WHERE id = ?1",
            params![id, now, comment],
        )?;
        logs::append(&tx, id, &[logs::format_line(now, ending.level, comment)])?;
    }
    tx.commit()?;
    Ok(jobs.into_iter().map(|(id, _)| id).collect())
}

/// At start-up, before `fail_interrupted`: jobs left RUNNING with a cancel request become
/// CANCELLED (the request outlives the process), keeping their checkpoint. Returns their ids.
pub fn cancel_interrupted(
    conn: &mut Connection,
    now: i64,
    ending: Ending<'_>,
) -> Result<Vec<String>> {
    let tx = crate::store::write_tx(conn)?;
    let jobs = running(&tx, "AND cancel_requested_at > 0")?;
    for (id, has_checkpoint) in &jobs {
        let comment = ending.comment(*has_checkpoint);
        finish(&tx, id, &Status::Cancelled, now, comment)?;
        logs::append(&tx, id, &[logs::format_line(now, ending.level, comment)])?;
    }
    tx.commit()?;
    Ok(jobs.into_iter().map(|(id, _)| id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::jobs::{claim_next, get, insert};
    use crate::store::test_support::{new_job, temp_store};

    #[test]
    fn a_job_interrupted_while_counting_is_told_to_restart() {
        let (_dir, store) = temp_store();
        let mut conn = store.connect().unwrap();
        for id in ["counting", "processing"] {
            insert(&conn, &new_job(id, "/content/dam")).unwrap();
            claim_next(&conn, 5).unwrap();
        }
        conn.execute(
            "UPDATE jobs SET has_checkpoint = 1 WHERE id = 'processing'",
            [],
        )
        .unwrap();
        let ending = Ending {
            resumable: "Resume it.",
            restart: "Restart it.",
            level: logs::Level::Error,
        };
        assert_eq!(
            fail_interrupted(&mut conn, 10, ending).unwrap(),
            vec!["counting", "processing"]
        );
        for (id, words, resumable) in [
            ("counting", "Restart it.", false),
            ("processing", "Resume it.", true),
        ] {
            let job = get(&conn, id).unwrap().unwrap();
            assert_eq!((job.comments.as_str(), job.resumable), (words, resumable));
            let log = logs::range(&conn, id, 0, 10).unwrap();
            assert!(
                log.last().unwrap().ends_with(&format!("ERROR {words}")),
                "{log:?}"
            );
        }
    }
}
