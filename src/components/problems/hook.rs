//! `use_triage`: for a finished run, asks the per-asset status API which assets failed and
//! reads the run's log page by page in the background for the reasons, with progress. An
//! AEM without the per-asset status endpoint (404, 405, 501) is not an error: the report is
//! then the log's alone.

use std::sync::Arc;

use asset_processing_api::{AssetState, AssetStatusRequest, Job, Status};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{ApiClient, ClientError};
use crate::log_model::PAGE;
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
pub fn use_triage(client: ApiClient, id: String, job: Signal<Option<Job>>) -> Triage {
    let t = Triage {
        assets: RwSignal::new(Assets::Loading),
        reasons: RwSignal::new(Reasons::default()),
        reading: RwSignal::new(Reading::default()),
        log_error: RwSignal::new(None),
        rows: RwSignal::new(None),
    };
    let started = StoredValue::new(false);
    Effect::new(move |_| {
        let Some(j) = job.get().filter(|j| j.status.is_final()) else {
            return;
        };
        if started.get_value() {
            return;
        }
        started.set_value(true);
        let (client, id) = (client.clone(), id.clone());
        // One after the other: the look-up first (it decides what the report shows), then
        // the log (its reasons fill in), so the two do not compete for the server.
        spawn_local(async move {
            look_up_assets(t, client.clone(), j.clone()).await;
            if j.has_logs {
                read_log(t, client, id).await;
            } else {
                let _ = t.reading.try_set(Reading {
                    read: 0,
                    total: Some(0),
                    done: true,
                });
            }
        });
    });
    // The rows follow both sources; a 100,000-asset join runs once per redraw of reasons.
    Effect::new(move |_| {
        let rows = t.assets.with(|a| match a {
            Assets::Loading => None,
            Assets::Ready(assets) => Some(t.reasons.with(|r| rows_from_status(assets, r))),
            Assets::Unavailable | Assets::Failed(_) => Some(t.reasons.with(rows_from_log)),
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
    let answer = match client.asset_status_start(&request).await {
        Ok(started) => poll_look_up(&client, &started.job_id).await,
        Err(e) => Err(e),
    };
    let assets = match answer {
        Ok(assets) => Assets::Ready(Arc::new(assets)),
        Err(ClientError::NotFound(_))
        | Err(ClientError::Rejected { status: 405, .. })
        | Err(ClientError::Server { status: 501, .. }) => Assets::Unavailable,
        Err(e) => Assets::Failed(e),
    };
    let _ = t.assets.try_set(assets);
}

async fn poll_look_up(client: &ApiClient, job_id: &str) -> Result<Vec<AssetState>, ClientError> {
    let mut wait = 100;
    loop {
        let report = client.asset_status(job_id).await?;
        match report.status {
            Status::Success => return Ok(report.assets),
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

/// Reads the whole log, a page at a time, into `t.reasons`.
async fn read_log(t: Triage, client: ApiClient, id: String) {
    // One line of the tail tells the log's length (its offset plus its lines).
    if let Ok(tail) = client.log_tail(&id, 1).await {
        let total = tail.offset + tail.lines.len() as u64;
        if t.reading.try_update(|r| r.total = Some(total)).is_none() {
            return;
        }
    }
    let mut pages = 0u64;
    loop {
        let offset = t.reasons.with_untracked(Reasons::read);
        let page = match client.log_range(&id, offset, PAGE).await {
            Ok(page) => page,
            Err(e) => {
                let _ = t.log_error.try_set(Some(e));
                break;
            }
        };
        let last = !page.has_more || page.lines.is_empty();
        if t.reasons
            .try_update_untracked(|r| r.add_page(page.offset, &page.lines))
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

/// Waits `ms` milliseconds (a macrotask: the browser draws and handles input meanwhile).
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
