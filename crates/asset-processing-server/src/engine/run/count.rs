//! The counting phase of a job's first run: the walk of its folder, stored as the asset list
//! (the checkpoint) with the log's "Found N asset(s)" line, in the transaction that reads the
//! cancel request one last time.

use asset_processing_api::{CalculationStatus, Status};
use rusqlite::Connection;

use super::{finish, line, Stop};
use crate::engine::asset::group;
use crate::repository::{Repository, Selection, Walk};
use crate::store::logs::{self, Level};
use crate::store::{assets, jobs, StoreError};

/// The words of a run cancelled while it counted its assets.
pub(super) const CANCELLED_WHILE_COUNTING: &str =
    "Cancelled while counting the assets; nothing was processed.";

/// A first run's walk, not yet stored: every asset pending, in processing order, and what
/// the log says of the walk.
pub(super) struct Counted {
    pub(super) assets: Vec<String>,
    lines: Vec<String>,
}

/// The counting phase: walks the job's folder. Returns the asset list, to be stored by
/// `store`, or None when the run ended here instead: cancelled, stopped (no checkpoint yet,
/// so its words say restart) or its path could not be walked.
pub(super) fn count(
    conn: &mut Connection,
    repo: &Repository,
    record: &jobs::JobRecord,
    stop: Stop<'_>,
    while_counting: Option<&crate::engine::AfterClaim>,
) -> Result<Option<Counted>, StoreError> {
    let id = record.id.as_str();
    {
        let tx = crate::store::write_tx(conn)?;
        if jobs::cancel_requested(&tx, id)? {
            drop(tx);
            let words = "Cancelled before its assets were counted; nothing was processed.";
            return finish_here(conn, id, Status::Cancelled, words, Level::Warn);
        }
        jobs::set_calculation(&tx, id, &CalculationStatus::Running)?;
        let counting = format!("Counting the assets under {}", record.path);
        logs::append(&tx, id, &[line(Level::Info, &counting)])?;
        tx.commit()?;
    }
    if let Some(hook) = while_counting {
        hook(id);
    }
    let selection = Selection::from_filter(&record.filter);
    let walked = repo.walk(&record.path, &record.excluded_paths, &selection, &|| {
        stop.asked()
    });
    let walk = match walked {
        Ok(walk) => walk,
        Err(e) => {
            let why = format!("Failed: the path {} {e}.", record.path);
            return finish_here(conn, id, Status::Failed, &why, Level::Error);
        }
    };
    if let Some(walk) = walk {
        let lines = found_lines(&walk);
        return Ok(Some(Counted {
            assets: walk.assets,
            lines,
        }));
    }
    // The walk stopped early: cancelled, or stopped before a checkpoint exists (then the
    // words say restart, never resume).
    if jobs::cancel_requested(conn, id)? {
        let words = CANCELLED_WHILE_COUNTING;
        return finish_here(conn, id, Status::Cancelled, words, Level::Warn);
    }
    let why = crate::engine::INTERRUPTED_COUNTING;
    finish_here(conn, id, Status::Failed, why, Level::Error)
}

/// Stores a counted list, the checkpoint, with its log lines, after one look at the cancel
/// request in the same transaction: false, and nothing stored, when a cancel came first (a
/// walk that ended after the request ends CANCELLED, nothing processed).
pub(super) fn store(
    conn: &mut Connection,
    id: &str,
    counted: &Counted,
) -> Result<bool, StoreError> {
    let tx = crate::store::write_tx(conn)?;
    if jobs::cancel_requested(&tx, id)? {
        return Ok(false);
    }
    assets::save_list(&tx, id, &counted.assets)?;
    logs::append(&tx, id, &counted.lines)?;
    tx.commit()?;
    Ok(true)
}

/// What the log says of a finished walk: the links it ignored, then "Found N asset(s)" with
/// what it left out.
fn found_lines(walk: &Walk) -> Vec<String> {
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
    lines
}

/// `finish` for the counting phase: the run ends here (None: nothing more to do).
fn finish_here(
    conn: &mut Connection,
    id: &str,
    status: Status,
    comment: &str,
    level: Level,
) -> Result<Option<Counted>, StoreError> {
    finish(conn, id, status, comment, level).map(|()| None)
}
