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

/// Which jobs left RUNNING an [`end_interrupted`] call ends, and in what state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interrupted {
    /// Those with a cancel request (the request outlives the process): CANCELLED, as any
    /// cancelled run ends (`jobs::finish`). Ended first, so the next call leaves them be.
    CancelRecorded,
    /// All the others: FAILED, "interrupted"; a count that was running failed with them.
    Stopped,
}

impl Interrupted {
    /// The SQL condition that narrows the RUNNING jobs to this kind.
    fn narrowing(self) -> &'static str {
        match self {
            Interrupted::CancelRecorded => "AND cancel_requested_at > 0",
            Interrupted::Stopped => "",
        }
    }

    /// Ends one job of this kind with `comment` (its log line is written by the caller).
    fn end(self, tx: &Connection, id: &str, now: i64, comment: &str) -> Result<()> {
        match self {
            Interrupted::CancelRecorded => finish(tx, id, &Status::Cancelled, now, comment),
            // Unlike `finish`, a count still WAITING (claimed, not yet begun) stays so.
            Interrupted::Stopped => {
                tx.execute(
                    "UPDATE jobs SET status = 'FAILED', completed_at = ?2, eta_seconds = 0, comments = ?3,
                            calculation_status = CASE WHEN calculation_status = 'RUNNING' THEN 'FAILED'
                                                      ELSE calculation_status END
                     WHERE id = ?1",
                    params![id, now, comment],
                )?;
                Ok(())
            }
        }
    }
}

/// At start-up: ends the jobs of one kind left RUNNING by a process that stopped (first
/// [`Interrupted::CancelRecorded`], then [`Interrupted::Stopped`]). Each keeps its checkpoint,
/// so it can be resumed (or, stopped while counting, restarted), and gets `ending`'s words as
/// its comment and last log line. Returns their ids, oldest first.
pub fn end_interrupted(
    conn: &mut Connection,
    now: i64,
    kind: Interrupted,
    ending: Ending<'_>,
) -> Result<Vec<String>> {
    let tx = crate::store::write_tx(conn)?;
    let jobs = running(&tx, kind.narrowing())?;
    for (id, has_checkpoint) in &jobs {
        let comment = ending.comment(*has_checkpoint);
        kind.end(&tx, id, now, comment)?;
        logs::append(&tx, id, &[logs::format_line(now, ending.level, comment)])?;
    }
    tx.commit()?;
    Ok(jobs.into_iter().map(|(id, _)| id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::jobs::{
        cancel_requested, claim_next, get, insert, request_cancel, resume, CancelRequest,
    };
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
            end_interrupted(&mut conn, 10, Interrupted::Stopped, ending).unwrap(),
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

    #[test]
    fn a_running_jobs_cancel_is_recorded_once_and_a_resume_clears_it() {
        let (_dir, store) = temp_store();
        let mut conn = store.connect().unwrap();
        insert(&conn, &new_job("r", "/content/dam")).unwrap();
        claim_next(&conn, 5).unwrap();
        let cancel = |conn: &mut Connection| {
            request_cancel(conn, "r", 9, "Cancelled", "cancelled line", "request line").unwrap()
        };
        assert_eq!(cancel(&mut conn), CancelRequest::Recorded);
        assert_eq!(cancel(&mut conn), CancelRequest::Recorded, "asked again");
        assert!(cancel_requested(&conn, "r").unwrap());
        assert_eq!(get(&conn, "r").unwrap().unwrap().status, Status::Running);
        let lines = logs::range(&conn, "r", 0, 10).unwrap();
        assert_eq!(lines, vec!["request line"], "logged once");
        // A restart finds it RUNNING with the request: CANCELLED, not interrupted.
        let ending = |comment| Ending {
            resumable: comment,
            restart: comment,
            level: logs::Level::Warn,
        };
        assert_eq!(
            end_interrupted(
                &mut conn,
                10,
                Interrupted::CancelRecorded,
                ending("Cancelled by restart")
            )
            .unwrap(),
            vec!["r"]
        );
        assert!(
            end_interrupted(&mut conn, 10, Interrupted::Stopped, ending("Interrupted"))
                .unwrap()
                .is_empty()
        );
        assert_eq!(get(&conn, "r").unwrap().unwrap().status, Status::Cancelled);
        conn.execute("UPDATE jobs SET has_checkpoint = 1 WHERE id = 'r'", [])
            .unwrap();
        assert!(resume(&mut conn, "r", "Resumed").unwrap());
        assert!(
            !cancel_requested(&conn, "r").unwrap(),
            "a resumed run starts clean"
        );
    }
}
