//! `use_triage`: for a finished run, asks the per-asset status API which assets failed and
//! reads the run's log page by page in the background for the reasons, with progress. An
//! AEM without the per-asset status endpoint (404, 405, 501) is not an error: the report is
//! then the log's alone.
//!
//! In the job view (`use_triage_over`) the log viewer's feed already holds the lines its poll
//! fetched: triage reads those from its cache first, asks the server only for the pages it
//! lacks (and leaves them in the cache for the viewer), and skips the status look-up when the
//! whole log names no asset (the panel could show nothing from it). A finished small log
//! then costs no request at all.

use std::sync::Arc;

use asset_processing_api::{AssetState, AssetStatusRequest, Job, Status};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{ApiClient, ClientError};
use crate::components::LogFeed;
use crate::log_model::PAGE;
use crate::triage::plan::{look_up_needed, next_range};
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
}

/// Redraw after this many pages read (and after the last).
const NOTIFY_EVERY: u64 = 10;

/// Starts triage once `job` is final (a running job's log still grows: triage waits).
/// Every asset is looked up (the report's use).
pub fn use_triage(client: ApiClient, id: String, job: Signal<Option<Job>>) -> Triage {
    start_triage(client, id, job, None)
}

/// Triage for the Problems panel over the lines the job view's `feed` already holds.
pub fn use_triage_over(
    client: ApiClient,
    id: String,
    job: Signal<Option<Job>>,
    feed: LogFeed,
) -> Triage {
    start_triage(client, id, job, Some(feed))
}

fn start_triage(
    client: ApiClient,
    id: String,
    job: Signal<Option<Job>>,
    feed: Option<LogFeed>,
) -> Triage {
    let t = Triage {
        assets: RwSignal::new(Assets::Loading),
        reasons: RwSignal::new(Reasons::default()),
        reading: RwSignal::new(Reading::default()),
        log_error: RwSignal::new(None),
        rows: RwSignal::new(None),
    };
    let started = StoredValue::new(false);
    Effect::new(move |_| {
        let Some(j) = job.get().filter(|j| j.is_finished()) else {
            return;
        };
        if started.get_value() {
            return;
        }
        started.set_value(true);
        let (client, id) = (client.clone(), id.clone());
        // One after the other: what the feed holds first (no request), then the look-up
        // (it decides what the report shows), then the rest of the log (its reasons fill
        // in), so the look-up and the log do not compete for the server.
        spawn_local(async move {
            let log = LogSource { client, id, feed };
            if !j.has_logs {
                let _ = t.reading.try_set(Reading {
                    read: 0,
                    total: Some(0),
                    done: true,
                });
            } else if log.read_cached(t).is_none() {
                return; // the view is gone
            }
            let whole = t.reading.with_untracked(|r| r.done);
            let needed = t
                .reasons
                .with_untracked(|r| look_up_needed(r, whole, log.feed.is_none()));
            if needed {
                look_up_assets(t, log.client.clone(), j.clone()).await;
            } else {
                let _ = t.assets.try_set(Assets::Skipped);
            }
            if !whole {
                log.read_rest(t).await;
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
    let assets = match look_up_asset_status(&client, &request).await {
        Ok(Some(assets)) => Assets::Ready(Arc::new(assets)),
        Ok(None) => Assets::Unavailable,
        Err(e) => Assets::Failed(e),
    };
    let _ = t.assets.try_set(assets);
}

/// The per-asset status of `request`: POST, then GET until the look-up is SUCCESS or FAILED.
/// `Ok(None)`: the server has no per-asset status (an AEM answering 404, 405 or 501).
pub async fn look_up_asset_status(
    client: &ApiClient,
    request: &AssetStatusRequest,
) -> Result<Option<Vec<AssetState>>, ClientError> {
    let job_id = match client.asset_status_start(request).await {
        Ok(started) => started.job_id,
        Err(ClientError::NotFound(_))
        | Err(ClientError::Rejected { status: 405, .. })
        | Err(ClientError::Server { status: 501, .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut wait = 100;
    loop {
        let report = client.asset_status(&job_id).await?;
        match report.status {
            Status::Success => return Ok(Some(report.assets)),
            Status::Failed => {
                // The look-up itself failed on the server.
                return Err(ClientError::Server {
                    status: 500,
                    message: crate::text::ASSET_LOOKUP_FAILED.into(),
                });
            }
            _ => {}
        }
        sleep_ms(wait).await;
        wait = (wait * 2).min(250);
    }
}

/// Where triage reads the log: the feed's cache when the job view has one, else the server.
struct LogSource {
    client: ApiClient,
    id: String,
    feed: Option<LogFeed>,
}

impl LogSource {
    /// The log's length as the feed knows it (after the final status its poll read the end).
    fn known_len(&self) -> Option<u64> {
        let feed = self.feed?;
        feed.cache
            .try_with_untracked(|c| c.is_known().then(|| c.len()))
            .flatten()
    }

    /// The lines of `range` if the feed's cache holds every one of them.
    fn cached(&self, range: std::ops::Range<u64>) -> Option<Vec<String>> {
        let feed = self.feed?;
        feed.cache
            .try_with_untracked(|c| {
                c.has_all(range.clone()).then(|| {
                    c.loaded_in(range)
                        .into_iter()
                        .map(|(_, l)| l.to_owned())
                        .collect()
                })
            })
            .flatten()
    }

    /// Reads, in order, what the feed's cache holds from the first line not read; marks the
    /// reading done when that was the whole log. None when the view is gone.
    fn read_cached(&self, t: Triage) -> Option<()> {
        let Some(total) = self.known_len() else {
            return Some(());
        };
        t.reading.try_update(|r| r.total = Some(total))?;
        while let Some(range) = t.reasons.with_untracked(|r| next_range(r.read(), total)) {
            let Some(lines) = self.cached(range.clone()) else {
                break;
            };
            t.reasons
                .try_update_untracked(|r| r.add_page(range.start, &lines))?;
        }
        t.reasons.notify();
        let read = t.reasons.with_untracked(Reasons::read);
        t.reading.try_update(|r| {
            r.read = read;
            r.done = read >= total;
        })
    }

    /// Reads the rest of the log, a page at a time, into `t.reasons`: from the feed's cache
    /// where it has the page, else from the server (and the page goes into the cache).
    async fn read_rest(&self, t: Triage) {
        if t.reading.with_untracked(|r| r.total.is_none()) {
            // One line of the tail tells the log's length (its offset plus its lines).
            if let Ok(tail) = self.client.log_tail(&self.id, 1).await {
                let total = tail.offset + tail.lines.len() as u64;
                if t.reading.try_update(|r| r.total = Some(total)).is_none() {
                    return;
                }
            }
        }
        let mut pages = 0u64;
        loop {
            let read = t.reasons.with_untracked(Reasons::read);
            let total = t.reading.with_untracked(|r| r.total).unwrap_or(u64::MAX);
            let Some(range) = next_range(read, total) else {
                break;
            };
            let (offset, lines, last) = match self.cached(range.clone()) {
                Some(lines) => (range.start, lines, range.end >= total),
                None => match self.client.log_range(&self.id, read, PAGE).await {
                    Ok(page) => {
                        let last = !page.has_more || page.lines.is_empty();
                        if let Some(feed) = self.feed {
                            // Without notifying: the rows on screen are not these (the viewer
                            // fetches its own), and a search over what is loaded would run
                            // again for every page read.
                            let (offset, lines) = (page.offset, page.lines.clone());
                            let _ = feed.cache.try_update_untracked(|c| {
                                c.insert(offset, lines);
                            });
                        }
                        (page.offset, page.lines, last)
                    }
                    Err(e) => {
                        let _ = t.log_error.try_set(Some(e));
                        break;
                    }
                },
            };
            if t.reasons
                .try_update_untracked(|r| r.add_page(offset, &lines))
                .is_none()
            {
                return; // the view is gone
            }
            pages += 1;
            if last || pages % NOTIFY_EVERY == 1 {
                t.reasons.notify();
            }
            let read = t.reasons.with_untracked(Reasons::read);
            t.reading.update(|r| {
                r.read = read;
                r.total = r.total.map(|n| n.max(read));
            });
            if last {
                break;
            }
        }
        t.reasons.notify();
        let _ = t.reading.try_update(|r| r.done = true);
    }
}

/// Waits `ms` milliseconds (a macrotask: the browser draws and handles input meanwhile).
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
