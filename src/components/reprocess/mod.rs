//! "Reprocess N failed assets": the offer in the Problems panel and the batch's own panel.
//! Each asset is started as its own job (the asset as `path`, which the published API allows:
//! "the folder or asset"), a few at a time and one per folder (`batch`'s rules); the panel
//! lists each asset with its state and a link to its job; "Stop" cancels what has not
//! finished. The batch lives in session storage: a reload takes it back and goes on.

mod batch;
mod pick;

use std::sync::Arc;

use asset_processing_api::{Job, JobAction, StartRequest, Status};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiClient;
use crate::browser::{number, session_get, session_remove, session_set, sleep_ms};
use crate::components::{Confirm, Triage};
use crate::log_model::Level;
use crate::text;
use crate::triage::problem_in;
use crate::triage::report::Problems as Summary;

pub use batch::{offer, Batch, Offer, State, AT_ONCE};
pub use pick::report_failures;

/// How often the batch's jobs are asked for their status.
const POLL_MS: i32 = 1_000;

/// The batch of one run's failures, shared by the offer and the panel. `Copy`.
#[derive(Clone, Copy)]
pub struct ReprocessCtl {
    batch: RwSignal<Option<Batch>>,
    /// A cancel that failed, or the batch's last error worth telling.
    error: RwSignal<Option<String>>,
    /// The comparison to link once every asset succeeded, when there is one that makes sense.
    compare: RwSignal<Option<String>>,
    client: StoredValue<Option<ApiClient>>,
    /// Whether the loop that drives the batch is running (one at a time).
    driving: StoredValue<bool>,
}

/// The batch started from run `origin`, taken back from session storage when a reload left one.
pub fn use_reprocess(client: Option<ApiClient>, origin: &str) -> ReprocessCtl {
    let stored = session_get(&batch::storage_key(origin))
        .and_then(|s| Batch::from_stored(&s, text::REPROCESS_RELOADED));
    let ctl = ReprocessCtl {
        batch: RwSignal::new(stored),
        error: RwSignal::new(None),
        compare: RwSignal::new(None),
        client: StoredValue::new(client),
        driving: StoredValue::new(false),
    };
    if ctl.batch.with_untracked(|b| b.is_some()) {
        ctl.save();
        ctl.drive();
    }
    ctl
}

impl ReprocessCtl {
    pub fn has_batch(&self) -> bool {
        self.batch.with(Option::is_some)
    }

    /// Starts a batch of `paths`, the failures of `job`.
    pub fn begin(&self, job: &Job, paths: &[String]) {
        self.batch
            .set(Some(Batch::new(&job.processing_id, &job.path, paths)));
        self.error.set(None);
        self.save();
        self.drive();
    }

    /// "Stop": nothing more starts, the running jobs are cancelled.
    pub fn stop(&self) {
        let mut cancel = Vec::new();
        self.batch.update(|b| {
            if let Some(b) = b {
                cancel = b.stop();
            }
        });
        self.save();
        let this = *self;
        spawn_local(async move {
            for id in cancel {
                this.cancel(&id).await;
            }
        });
    }

    /// "Close" on a batch that is over: the panel goes, and the offer may come back.
    pub fn dismiss(&self) {
        if let Some(origin) = self
            .batch
            .with_untracked(|b| b.as_ref().map(|b| b.origin.clone()))
        {
            session_remove(&batch::storage_key(&origin));
        }
        self.batch.set(None);
        self.compare.set(None);
    }

    fn save(&self) {
        self.batch.with_untracked(|b| {
            if let Some(b) = b {
                session_set(&batch::storage_key(&b.origin), &b.to_stored());
            }
        });
    }

    /// Changes the batch and keeps it; None when the view is gone.
    fn change<T>(&self, f: impl FnOnce(&mut Batch) -> T) -> Option<T> {
        let out = self.batch.try_update(|b| b.as_mut().map(f))??;
        self.save();
        Some(out)
    }

    fn client(&self) -> Option<ApiClient> {
        self.client.try_get_value().flatten()
    }

    async fn cancel(&self, id: &str) {
        let Some(client) = self.client() else { return };
        let result = match client.status(id).await {
            Ok(job) if job.is_finished() => Ok(()),
            Ok(job) => client.act(JobAction::Cancel, &job).await.map(|_| ()),
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            let path = self.batch.with_untracked(|b| {
                b.as_ref()
                    .and_then(|b| b.items.iter().find(|i| i.state.job() == Some(id)))
                    .map(|i| i.path.clone())
            });
            let _ = self.error.try_set(Some(text::reprocess_stop_failed(
                &path.unwrap_or_default(),
                &e.message(),
            )));
        }
    }

    /// The loop that starts what may start and follows the jobs in flight until the batch is
    /// over: one request at a time, a status round every second.
    fn drive(&self) {
        if self.driving.get_value() {
            return;
        }
        self.driving.set_value(true);
        let this = *self;
        spawn_local(async move {
            while this.step().await.is_some() {
                sleep_ms(POLL_MS).await;
            }
            let _ = this.driving.try_set_value(false);
        });
    }

    /// One round; None once the batch is over or the view is gone.
    async fn step(&self) -> Option<()> {
        let client = self.client()?;
        let batch = self.batch.try_get_untracked()??;
        if batch.is_over() {
            self.finished(&client, &batch).await;
            return None;
        }
        for k in batch.to_start() {
            self.change(|b| b.set(k, State::Starting))?;
            let path = batch.items[k].path.clone();
            let request = StartRequest {
                path,
                excluded_paths: Vec::new(),
                kind: Default::default(),
                filter: None,
            };
            match client.start(&request).await {
                Ok(started) => {
                    let id = started.processing_id;
                    if self.change(|b| b.started(k, id.clone()))? {
                        self.cancel(&id).await;
                    }
                }
                Err(e) => {
                    let why = text::reprocess_start_failed(&e.message());
                    self.change(|b| b.set(k, State::NotStarted { why }))?;
                }
            }
        }
        let running: Vec<(usize, String)> = self.batch.try_with_untracked(|b| {
            b.as_ref().map_or(Vec::new(), |b| {
                b.items
                    .iter()
                    .enumerate()
                    .filter_map(|(k, i)| match &i.state {
                        State::Running { job } => Some((k, job.clone())),
                        _ => None,
                    })
                    .collect()
            })
        })?;
        for (k, id) in running {
            // A status that cannot be read now is asked again next round.
            let Ok(job) = client.status(&id).await else {
                continue;
            };
            if job.is_finished() {
                let state = outcome(&client, &job).await;
                self.change(|b| b.set(k, state))?;
            }
        }
        Some(())
    }

    /// Every asset succeeded: the comparison of the original run with the newest run of its
    /// folder, when that is a later run.
    async fn finished(&self, client: &ApiClient, batch: &Batch) {
        if !batch.all_succeeded() || self.compare.get_untracked().is_some() {
            return;
        }
        let Ok(history) = client.history(50).await else {
            return;
        };
        let newest =
            batch::newest_after(&history.execution_history, batch).map(|j| j.processing_id.clone());
        if let Some(newest) = newest {
            let _ = self
                .compare
                .try_set(Some(format!("/compare/{}/{newest}", batch.origin)));
        }
    }
}

/// A finished job's outcome for its one asset: SUCCESS with no ERROR line in its log is a
/// success; an ERROR line means the asset failed again; CANCELLED is stopped.
async fn outcome(client: &ApiClient, job: &Job) -> State {
    let id = job.processing_id.clone();
    match job.status {
        Status::Success => {
            let failed_again = match client.log_tail(&id, 200).await {
                Ok(page) => page
                    .lines
                    .iter()
                    .any(|l| problem_in(l).is_some_and(|p| p.level == Level::Error)),
                Err(e) => {
                    return State::Failed {
                        job: id,
                        why: e.message(),
                    }
                }
            };
            if failed_again {
                State::Failed {
                    job: id,
                    why: text::REPROCESS_FAILED_AGAIN.to_string(),
                }
            } else {
                State::Succeeded { job: id }
            }
        }
        Status::Cancelled => State::Stopped { job: Some(id) },
        _ => State::Failed {
            job: id,
            why: job.comments.clone(),
        },
    }
}

/// The offer in the Problems panel: once the run has ended and its whole log is read, and no
/// batch is under way for it.
#[component]
pub fn ReprocessOffer(ctl: ReprocessCtl, t: Triage, job: Memo<Option<Job>>) -> impl IntoView {
    let failed = Memo::new(move |_| {
        let rows = t.rows.get();
        let paths: Vec<String> = t.reasons.with(|r| {
            Summary::of(rows.as_deref().map(Vec::as_slice), r)
                .failed
                .into_iter()
                .map(|row| row.path)
                .collect()
        });
        Arc::new(paths)
    });
    let ready = Signal::derive(move || {
        job.with(|j| j.as_ref().is_some_and(Job::is_finished)) && t.reading.with(|r| r.done)
    });
    view! { <ReprocessButton ctl job=job.into() failed=failed.into() ready/> }
}

/// "Reprocess N failed assets" for `failed`, the failures of `job` (the run they are
/// reprocessed from), once `ready` and while no batch is under way for that run: at once up to
/// ten, after a confirmation naming the count above, and above 500 a note to process the
/// folder instead. The Problems panel, the report filtered to failures and the comparison's
/// "Newly failing" and "Still failing" each draw one.
#[component]
pub fn ReprocessButton(
    ctl: ReprocessCtl,
    job: Signal<Option<Job>>,
    failed: Signal<Arc<Vec<String>>>,
    ready: Signal<bool>,
) -> impl IntoView {
    // The count, or None while there is nothing to offer: the button is drawn again only when
    // the count changes.
    let count = Memo::new(move |_| {
        let n = failed.with(|f| f.len());
        (ready.get() && !ctl.has_batch() && n > 0).then_some(n)
    });
    let confirming = RwSignal::new(false);
    let begin = Callback::new(move |()| {
        if let Some(j) = job.get_untracked() {
            ctl.begin(&j, &failed.get_untracked());
        }
    });
    move || {
        count.get().map(|n| {
            let folder = job.with_untracked(|j| j.as_ref().map(|j| j.path.clone()).unwrap_or_default());
            match offer(n) {
                Offer::ProcessFolder => view! {
                    <p class="apc-reprocess__offer apc-muted">{text::reprocess_use_folder(&number(n as u64), &folder)}</p>
                }.into_any(),
                kind => view! {
                    <div class="apc-reprocess__offer">
                        <button type="button" class="apc-button apc-button--primary" on:click=move |_| {
                            if kind == Offer::Confirm { confirming.set(true) } else { begin.run(()) }
                        }>{text::reprocess_offer(&number(n as u64), n)}</button>
                        <Confirm open=confirming title=text::REPROCESS_CONFIRM_TITLE
                            body=text::reprocess_confirm_body(&number(n as u64), AT_ONCE)
                            confirm_label=text::REPROCESS_CONFIRM dismiss_label=text::REPROCESS_DISMISS
                            on_confirm=begin/>
                    </div>
                }.into_any(),
            }
        })
    }
}

/// The batch's panel: each asset with its state and its job, "Stop", and the end.
#[component]
pub fn ReprocessPanel(ctl: ReprocessCtl) -> impl IntoView {
    let config = expect_context::<crate::config::Config>();
    let href = move |path: &str| config.href(path);
    // Drawn once when a batch appears; its parts follow the batch.
    let has_batch = Memo::new(move |_| ctl.batch.with(Option::is_some));
    move || {
        let href = href.clone();
        has_batch.get().then(move || {
            let items = move || ctl.batch.with(|b| b.as_ref().map(|b| b.items.clone()).unwrap_or_default());
            let summary = move || ctl.batch.with(|b| b.as_ref().map(|b| {
                let (ok, failed, off, _) = b.counts();
                text::reprocess_progress(&number((ok + failed + off) as u64), &number(b.items.len() as u64), ok, failed, off)
            }));
            let over = move || ctl.batch.with(|b| b.as_ref().is_some_and(Batch::is_over));
            let stopped = move || ctl.batch.with(|b| b.as_ref().is_some_and(|b| b.stopped));
            let all_ok = move || ctl.batch.with(|b| b.as_ref().is_some_and(Batch::all_succeeded));
            let job_href = href.clone();
            let compare_href = href.clone();
            view! {
                <section class="apc-reprocess" aria-labelledby="apc-reprocess-title">
                    <h2 class="apc-section-title" id="apc-reprocess-title">{text::REPROCESS_TITLE}</h2>
                    <p class="apc-reprocess__summary" role="status">{summary}</p>
                    <ul class="apc-reprocess__list" aria-label=text::REPROCESS_LIST_LABEL>
                        <For each=items key=|i| (i.path.clone(), i.state.clone()) children=move |i| {
                            let job_href = job_href.clone();
                            view! { <ReprocessItem item=i href=Callback::new(move |p: String| job_href(&p))/> }
                        }/>
                    </ul>
                    {move || (!over() && !stopped()).then(|| view! {
                        <button type="button" class="apc-button" on:click=move |_| ctl.stop()>{text::REPROCESS_STOP}</button>
                    })}
                    {move || (!over() && stopped()).then(|| view! { <p class="apc-muted">{text::REPROCESS_STOPPING}</p> })}
                    {move || over().then(|| view! {
                        <button type="button" class="apc-button apc-button--quiet" on:click=move |_| ctl.dismiss()>{text::REPROCESS_DISMISS_PANEL}</button>
                    })}
                    {move || all_ok().then(|| {
                        let n = ctl.batch.with(|b| b.as_ref().map_or(0, |b| b.items.len()));
                        view! { <p class="apc-reprocess__done">{text::reprocess_all_succeeded(&number(n as u64), n)}</p> }
                    })}
                    {move || {
                        let folder = ctl.batch.with(|b| b.as_ref().map(|b| b.origin_path.clone()).unwrap_or_default());
                        ctl.compare.get().map(|route| view! {
                            <a class="apc-reprocess__compare" href=compare_href(&route)>{text::reprocess_compare(&folder)}</a>
                        })
                    }}
                    {move || ctl.error.get().map(|e| view! {
                        <p class="apc-alert apc-alert--notice apc-alert__text" role="alert">{e}</p>
                    })}
                </section>
            }
        })
    }
}

/// One asset: its path, its state in words, why (when it did not succeed) and its job.
#[component]
fn ReprocessItem(item: batch::Item, href: Callback<String, String>) -> impl IntoView {
    let (word, tone, why) = match &item.state {
        State::Queued => (text::REPROCESS_QUEUED, "neutral", None),
        State::Starting => (text::REPROCESS_STARTING, "info", None),
        State::Running { .. } => (text::REPROCESS_RUNNING, "info", None),
        State::Succeeded { .. } => (text::REPROCESS_SUCCEEDED, "positive", None),
        State::Failed { why, .. } => (text::REPROCESS_FAILED, "negative", Some(why.clone())),
        State::Stopped { .. } => (text::REPROCESS_STOPPED, "neutral", None),
        State::NotStarted { why } => (text::REPROCESS_NOT_STARTED, "notice", Some(why.clone())),
    };
    let link = item.state.job().map(|id| {
        let short = crate::format::short_id(id);
        let label = text::reprocess_job_label(&short, &item.path);
        view! { <a class="apc-reprocess__job" href=href.run(format!("/jobs/{id}")) aria-label=label>{short}</a> }
    });
    view! {
        <li class="apc-reprocess__item" data-state=word>
            <span class="apc-path">{item.path.clone()}</span>
            <span class=format!("apc-reprocess__state apc-reprocess__state--{tone}")>{word}</span>
            {link}
            {why.map(|w| view! { <span class="apc-reprocess__why apc-muted">{w}</span> })}
        </li>
    }
}
