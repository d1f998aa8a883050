//! `use_triage`: for a finished run, asks the per-asset status API which assets failed and
//! reads the run's log page by page in the background for the reasons, with progress. An
//! AEM without the per-asset status endpoint (404, 405, 501) is not an error: the report is
//! then the log's alone.
//!
//! In the job view (`use_triage_over`) the log viewer's feed already holds the lines its poll
//! fetched: triage reads those from its cache first, asks the server only for the pages it
//! lacks (and leaves them in the cache for the viewer), and skips the status look-up when the
//! whole log names no asset (the panel could show nothing from it). A finished small log
//! then costs no request at all. While the run goes on, the panel reads the lines the poll
//! fetched as they come (`follow_running`), and the pages it skipped once each: failures and
//! warnings show "so far", and the per-asset look-up waits for the end.

use std::sync::Arc;

use asset_processing_api::{AssetState, AssetStatusRequest, Job};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{ApiClient, ClientError};
use crate::job_log::{JobLog, LogFeed, Pace};
use crate::log_model::{next_read, redraw_now};
use crate::triage::plan::{catch_up_until, look_up_needed};
use crate::triage::report::{rows_from_log, rows_from_status};
use crate::triage::{Reasons, Row};

/// What the per-asset status API answered.
#[derive(Clone, Debug, PartialEq)]
pub enum Assets {
    Loading,
    Ready(Arc<Vec<AssetState>>),
    /// The server has no per-asset status API: the log alone tells.
    Unavailable,
    /// It failed otherwise: the log alone tells, and the person is told why.
    Failed(ClientError),
    /// Not asked: the whole log names no asset, so it could add nothing to the panel.
    Skipped,
}

/// How far the log has been read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reading {
    pub read: u64,
    /// The log's length, once known.
    pub total: Option<u64>,
    pub done: bool,
}

/// A run's triage, shared by the Problems panel and the report.
#[derive(Clone, Copy)]
pub struct Triage {
    pub assets: RwSignal<Assets>,
    /// Updated page by page without notifying; redraws are asked every few pages.
    pub reasons: RwSignal<Reasons>,
    pub reading: RwSignal<Reading>,
    pub log_error: RwSignal<Option<ClientError>>,
    /// The report's rows (None until the status API answered or was found missing).
    pub rows: RwSignal<Option<Arc<Vec<Row>>>>,
    /// The run is still going: `reading` counts the lines the job view's poll fetched so far.
    pub live: RwSignal<bool>,
    /// Assets read so far of the per-asset status answer (parsed as it arrives).
    pub assets_read: RwSignal<usize>,
}

/// Starts triage once `job` is final (a running job's log still grows: triage waits).
/// Every asset is looked up (the report's use).
pub fn use_triage(client: ApiClient, id: String, job: Signal<Option<Job>>) -> Triage {
    let log = JobLog::new(Some(client.clone()), &id, LogFeed::new());
    start_triage(client, log, job, true)
}

/// Triage for the Problems panel over the lines the job view's log already holds.
pub fn use_triage_over(client: ApiClient, log: JobLog, job: Signal<Option<Job>>) -> Triage {
    start_triage(client, log, job, false)
}

/// `full_report`: every asset is looked up (the report), else only when the log names one.
fn start_triage(
    client: ApiClient,
    log: JobLog,
    job: Signal<Option<Job>>,
    full_report: bool,
) -> Triage {
    let t = Triage {
        assets: RwSignal::new(Assets::Loading),
        reasons: RwSignal::new(Reasons::default()),
        reading: RwSignal::new(Reading::default()),
        log_error: RwSignal::new(None),
        rows: RwSignal::new(None),
        live: RwSignal::new(false),
        assets_read: RwSignal::new(0),
    };
    let started = StoredValue::new(false);
    if !full_report {
        follow_running(&log, t, job);
    }
    Effect::new(move |_| {
        let Some(j) = job.get().filter(|j| j.is_finished()) else {
            return;
        };
        if started.get_value() {
            return;
        }
        started.set_value(true);
        let (client, log) = (client.clone(), log.clone());
        // One after the other: what the feed holds first (no request), then the look-up
        // (it decides what the report shows), then the rest of the log (its reasons fill
        // in), so the look-up and the log do not compete for the server.
        spawn_local(async move {
            if !j.has_logs {
                let _ = t.reading.try_set(Reading {
                    read: 0,
                    total: Some(0),
                    done: true,
                });
            } else if read_cached(&log, t).is_none() {
                return; // the view is gone
            }
            let whole = t.reading.with_untracked(|r| r.done);
            let needed = t
                .reasons
                .with_untracked(|r| look_up_needed(r, whole, full_report));
            if needed {
                look_up_assets(t, client, j.clone()).await;
            } else {
                let _ = t.assets.try_set(Assets::Skipped);
            }
            if !whole {
                read_rest(&log, t).await;
            }
        });
    });
    // The rows follow both sources; a 100,000-asset join runs once per redraw of reasons.
    Effect::new(move |_| {
        let rows = t.assets.with(|a| match a {
            Assets::Loading => None,
            Assets::Ready(assets) => Some(t.reasons.with(|r| rows_from_status(assets, r))),
            Assets::Unavailable | Assets::Failed(_) | Assets::Skipped => {
                Some(t.reasons.with(rows_from_log))
            }
        });
        t.rows.set(rows.map(Arc::new));
    });
    t
}

/// The look-up: POST, then GET until it is SUCCESS or FAILED.
async fn look_up_assets(t: Triage, client: ApiClient, job: Job) {
    let request = AssetStatusRequest {
        paths: vec![job.path.clone()],
        path: None,
        excluded_paths: job.excluded_paths.clone(),
    };
    let read = t.assets_read;
    let progress = move |n: usize| {
        let _ = read.try_set(n);
    };
    let assets = match client.look_up_asset_status_with(&request, &progress).await {
        Ok(Some(assets)) => Assets::Ready(Arc::new(assets)),
        Ok(None) => Assets::Unavailable,
        Err(e) => Assets::Failed(e),
    };
    let _ = t.assets.try_set(assets);
}

/// While the run goes on, reads what the job view's poll puts in the feed (no request of its
/// own for those lines): the panel grows with the log. Lines are read in order from the
/// first; when the feed does not hold the next ones (a log already past a page when the view
/// opened: the poll fetched its tail and skipped the middle), those pages are read once
/// through the log's one reader (`JobLog::read_in_order`, which takes what the feed holds and
/// asks the server only for the rest), one request at a time, up to `plan::CATCH_UP_LINES`
/// over the view's life; the note says how much of the log was read ("the first 20,000 of
/// 1,000,000 lines" on a huge log, whose rest is read once its run has ended). When the run ends `start_triage` carries on from the line reached, so the
/// panel turns final without starting again.
fn follow_running(log: &JobLog, t: Triage, job: Signal<Option<Job>>) {
    let feed = log.feed();
    let log = log.clone();
    // Whether a read of the pages the feed lacks is under way (one at a time), and the lines
    // read so (within `plan::CATCH_UP_LINES`).
    let catching_up = StoredValue::new(false);
    let spent = StoredValue::new(0u64);
    Effect::new(move |_| {
        let running = job.with(|j| j.as_ref().is_some_and(|j| !j.is_finished() && j.has_logs));
        if !running {
            if t.live.get_untracked() {
                let _ = t.live.try_set(false);
            }
            return;
        }
        feed.cache.track();
        let Some(total) = feed.known_len() else {
            return;
        };
        let before = t.reasons.with_untracked(Reasons::read);
        if !catching_up.get_value() {
            read_held(feed, t, total);
        }
        let read = t.reasons.with_untracked(Reasons::read);
        if read > before {
            t.reasons.notify();
        }
        t.reading.set(Reading {
            read,
            total: Some(total),
            done: false,
        });
        if !t.live.get_untracked() {
            t.live.set(true);
        }
        let until = catch_up_until(read, total, spent.get_value());
        if let Some(until) = until.filter(|_| !catching_up.get_value() && log.can_fetch()) {
            catching_up.set_value(true);
            let log = log.clone();
            spawn_local(async move {
                // The viewer asks for the rows it shows first (at the top of a view that
                // opens on a long log, before it follows the tail): a moment later those
                // pages are in the feed, and read from there rather than asked twice.
                crate::browser::sleep_ms(CATCH_UP_AFTER_MS).await;
                catch_up(&log, t, job, until).await;
                let now = t.reasons.try_with_untracked(Reasons::read).unwrap_or(read);
                let _ = spent.try_update_value(|s| *s += now.saturating_sub(read));
                let _ = catching_up.try_set_value(false);
            });
        }
    });
}

/// How long a running view waits before reading the pages its feed lacks (a poll's time).
const CATCH_UP_AFTER_MS: i32 = 1_000;

/// Reads the lines the feed lacks while the run goes on, from the first line not read up to
/// `until` (within the log's length when the read began), page by page; stops when the run
/// ends (the final reading carries on from there) or the view goes.
async fn catch_up(log: &JobLog, t: Triage, job: Signal<Option<Job>>, until: u64) {
    let Some(from) = t.reasons.try_with_untracked(Reasons::read) else {
        return;
    };
    let read = log
        .read_in_order(from, Some(until), Pace::Idle, |page| {
            let ended = job
                .try_with_untracked(|j| j.as_ref().is_none_or(Job::is_finished))
                .unwrap_or(true);
            if ended
                || t.reasons
                    .try_update_untracked(|r| r.add_page(page.offset, &page.lines))
                    .is_none()
            {
                return false;
            }
            t.reasons.notify();
            let read = t.reasons.with_untracked(Reasons::read);
            t.reading.update(|r| r.read = read);
            true
        })
        .await;
    match read {
        Err(e) => {
            let _ = t.log_error.try_set(Some(e));
        }
        // A failure told before is over.
        Ok(()) if t.log_error.try_with_untracked(Option::is_some) == Some(true) => {
            let _ = t.log_error.try_set(None);
        }
        Ok(()) => {}
    }
}

/// Reads into `t.reasons`, in order, the lines of the first `total` the feed holds from the
/// first line not read. None when the view is gone.
fn read_held(feed: LogFeed, t: Triage, total: u64) -> Option<()> {
    while let Some(range) = t.reasons.with_untracked(|r| next_read(r.read(), total)) {
        let Some(lines) = feed.held(range.clone()) else {
            break;
        };
        t.reasons
            .try_update_untracked(|r| r.add_page(range.start, &lines))?;
    }
    Some(())
}

/// Reads, in order, what the feed's cache holds from the first line not read; marks the
/// reading done when that was the whole log. None when the view is gone.
fn read_cached(log: &JobLog, t: Triage) -> Option<()> {
    let Some(total) = log.feed().known_len() else {
        return Some(());
    };
    t.reading.try_update(|r| r.total = Some(total))?;
    read_held(log.feed(), t, total)?;
    t.reasons.notify();
    let read = t.reasons.with_untracked(Reasons::read);
    t.reading.try_update(|r| {
        r.read = read;
        r.done = read >= total;
    })
}

/// Reads the rest of the log into `t.reasons`, a page at a time (from the feed's cache where
/// it has the page, else from the server; `JobLog::read_in_order`).
async fn read_rest(log: &JobLog, t: Triage) {
    if t.reading.with_untracked(|r| r.total.is_none()) {
        if let Ok(total) = log.length_now().await {
            if t.reading.try_update(|r| r.total = Some(total)).is_none() {
                return;
            }
        }
    }
    let from = t.reasons.with_untracked(Reasons::read);
    let until = t.reading.with_untracked(|r| r.total);
    let mut pages = 0u64;
    let read = log
        .read_in_order(from, until, Pace::Idle, |page| {
            if t.reasons
                .try_update_untracked(|r| r.add_page(page.offset, &page.lines))
                .is_none()
            {
                return false; // the view is gone
            }
            pages += 1;
            if redraw_now(pages, page.last) {
                t.reasons.notify();
            }
            let read = t.reasons.with_untracked(Reasons::read);
            t.reading.update(|r| {
                r.read = read;
                r.total = r.total.map(|n| n.max(read));
            });
            true
        })
        .await;
    if let Err(e) = read {
        let _ = t.log_error.try_set(Some(e));
    }
    t.reasons.notify();
    let _ = t.reading.try_update(|r| r.done = true);
}
