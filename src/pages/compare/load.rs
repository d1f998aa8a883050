//! `use_compare`: loads what a comparison needs, one request at a time so the two runs do
//! not compete for the server: both jobs, then one per-asset status look-up over both
//! folders (an AEM without it answers 404: then the logs alone tell), then each log page
//! by page into its `Reasons`, with progress. A run still going is read up to the length
//! its log had when the page opened (the page says so, and offers to refresh).

use std::sync::Arc;

use asset_processing_api::{AssetStatusRequest, Job};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{ApiClient, ClientError};
use crate::components::Reading;
use crate::job_log::{JobLog, LogFeed, Pace};
use crate::log_model::redraw_now;
use crate::triage::compare::{latest_of, Latest};
use crate::triage::Reasons;

/// What the per-asset status look-up answered.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup {
    Loading,
    Ready(Arc<Latest>),
    /// The server has no per-asset status API.
    Unavailable,
    Failed(ClientError),
}

impl Lookup {
    pub fn latest(&self) -> Option<Arc<Latest>> {
        match self {
            Lookup::Ready(l) => Some(l.clone()),
            _ => None,
        }
    }
}

/// One run of the comparison.
#[derive(Clone, Copy)]
pub struct RunLoad {
    pub job: RwSignal<Option<Result<Job, ClientError>>>,
    /// Filled page by page without notifying; redraws are asked every few pages.
    pub reasons: RwSignal<Reasons>,
    pub reading: RwSignal<Reading>,
    pub log_error: RwSignal<Option<ClientError>>,
}

impl RunLoad {
    fn new() -> RunLoad {
        RunLoad {
            job: RwSignal::new(None),
            reasons: RwSignal::new(Reasons::default()),
            reading: RwSignal::new(Reading::default()),
            log_error: RwSignal::new(None),
        }
    }
}

#[derive(Clone, Copy)]
pub struct CompareLoad {
    /// The runs in the address's order.
    pub a: RunLoad,
    pub b: RunLoad,
    pub lookup: RwSignal<Lookup>,
}

pub fn use_compare(client: ApiClient, a: String, b: String) -> CompareLoad {
    let load = CompareLoad {
        a: RunLoad::new(),
        b: RunLoad::new(),
        lookup: RwSignal::new(Lookup::Loading),
    };
    spawn_local(async move {
        let ja = client.status(&a).await;
        let jb = client.status(&b).await;
        let jobs = (ja.clone().ok(), jb.clone().ok());
        // `try_set` hands the value back when the signal is gone (the view was left).
        if load.a.job.try_set(Some(ja)).is_some() || load.b.job.try_set(Some(jb)).is_some() {
            return;
        }
        let (Some(ja), Some(jb)) = jobs else { return };
        look_up(load, &client, &ja, &jb).await;
        for (run, job) in [(load.a, &ja), (load.b, &jb)] {
            if job.has_logs {
                read_log(run, &client, &job.processing_id).await;
            } else {
                let _ = run.reading.try_set(Reading {
                    read: 0,
                    total: Some(0),
                    done: true,
                });
            }
        }
    });
    load
}

/// One look-up over both runs' folders (each asset once).
async fn look_up(load: CompareLoad, client: &ApiClient, a: &Job, b: &Job) {
    let mut paths = vec![a.path.clone()];
    if b.path != a.path {
        paths.push(b.path.clone());
    }
    let request = AssetStatusRequest {
        paths,
        path: None,
        excluded_paths: Vec::new(),
    };
    let lookup = match client.look_up_asset_status(&request).await {
        Ok(Some(assets)) => Lookup::Ready(Arc::new(latest_of(&assets))),
        Ok(None) => Lookup::Unavailable,
        Err(e) => Lookup::Failed(e),
    };
    let _ = load.lookup.try_set(lookup);
}

/// Reads the log up to the length it has now (a running job's log grows on).
async fn read_log(run: RunLoad, client: &ApiClient, id: &str) {
    let log = JobLog::new(Some(client.clone()), id, LogFeed::new());
    let total = log.length_now().await.ok();
    if run.reading.try_update(|r| r.total = total).is_none() {
        return;
    }
    let mut pages = 0u64;
    let read = log
        .read_in_order(0, total, Pace::Now, |page| {
            if run
                .reasons
                .try_update_untracked(|r| r.add_page(page.offset, &page.lines))
                .is_none()
            {
                return false; // the page was left
            }
            pages += 1;
            if redraw_now(pages, page.last) {
                run.reasons.notify();
            }
            let read = run.reasons.with_untracked(Reasons::read);
            run.reading.update(|r| r.read = read);
            true
        })
        .await;
    if let Err(e) = read {
        let _ = run.log_error.try_set(Some(e));
    }
    run.reasons.notify();
    let _ = run.reading.try_update(|r| r.done = true);
}
