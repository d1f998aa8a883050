//! A run's per-asset report (`/jobs/<id>/report`): every asset with its outcome in this run,
//! the log's reason and a link to its line; filter by outcome and path, sort, export as CSV.
//! The data is the Problems panel's (`use_triage`); the table is virtualised.

use std::sync::Arc;

use asset_processing_api::Job;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

use crate::api::{ApiClient, ClientError};
use crate::browser::number;
use crate::components::{
    export_csv, report_failures, use_reprocess, use_triage, Assets, ErrorPanel, ReportTable,
    ReprocessButton, ReprocessCtl, ReprocessPanel, Triage,
};
use crate::config::Config;
use crate::text;
use crate::triage::{csv, Outcome, ReportQuery, Row};

#[component]
pub fn ReportPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    view! { {move || { let id = id(); view! { <ReportView id/> } }} }
}

#[component]
fn ReportView(id: String) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let config = expect_context::<Config>();
    let job = RwSignal::new(None::<Job>);
    let error = RwSignal::new(None::<ClientError>);
    let load = {
        let (client, id) = (client.clone(), id.clone());
        Callback::new(move |_| {
            let (client, id) = (client.clone(), id.clone());
            error.set(None);
            spawn_local(async move {
                match client.status(&id).await {
                    Ok(j) => {
                        let _ = job.try_set(Some(j));
                    }
                    Err(e) => {
                        let _ = error.try_set(Some(e));
                    }
                }
            });
        })
    };
    load.run(());
    // Issue 24: the failures shown under the "failed" filter can be reprocessed, one job each;
    // the batch is the job view's for this run (one at a time per run, kept across a reload).
    let reprocess = use_reprocess(Some(client.clone()), &id);
    let t = use_triage(client, id.clone(), job.into());
    let query = RwSignal::new(ReportQuery::default());
    let rows = Signal::derive(move || t.rows.get().unwrap_or_default());
    let order = Memo::new(move |_| Arc::new(rows.with(|r| query.with(|q| q.apply(r)))));
    let job_href = config.href(&format!("/jobs/{id}"));
    let line_href = {
        let job_href = job_href.clone();
        Callback::new(move |n: u64| format!("{job_href}#L{n}"))
    };
    view! {
        <section class="apc-panel apc-report" aria-labelledby="apc-report-title">
            <div class="apc-panel__head">
                <h1 class="apc-panel__title" id="apc-report-title">{text::REPORT_TITLE}</h1>
                <a href=job_href>{text::REPORT_BACK_TO_JOB}</a>
            </div>
            <p class="apc-muted apc-path">{move || job.get().map(|j| text::report_of(&j.path, &j.processing_id))}</p>
            {move || error.get().map(|e| view! { <ErrorPanel error=e retry=load/> })}
            <ReportNotes t/>
            <ReprocessPanel ctl=reprocess/>
            {move || match t.rows.get() {
                // A run still going: its report is made once it ends (the log still grows).
                None if job.with(|j| j.as_ref().is_some_and(|j| !j.is_finished())) =>
                    view! { <p class="apc-muted" role="status">{text::REPORT_NOT_FINISHED}</p> }.into_any(),
                None => (error.get().is_none()).then(|| view! { <p class="apc-loading" role="status">{move || match t.assets_read.get() {
                    0 => text::REPORT_LOADING.to_string(),
                    n => text::report_loading_assets(&number(n as u64)),
                }}</p> }).into_any(),
                Some(_) => view! {
                    <ReportToolbar query order=order.into() rows id=id.clone()/>
                    <ReportReprocess ctl=reprocess t job query order=order.into() rows/>
                    <ReportTable rows order=order.into() query line_href/>
                }.into_any(),
            }}
        </section>
    }
}

/// How far the log has been read, and where the outcomes come from when not the status API.
#[component]
fn ReportNotes(t: Triage) -> impl IntoView {
    view! {
        {move || {
            let r = t.reading.get();
            (!r.done && t.log_error.with(Option::is_none)).then(|| view! {
                <p class="apc-muted" role="status">{text::problems_reading(&number(r.read), r.total.map(number).as_deref())}</p>
            })
        }}
        {move || t.log_error.get().map(|e| view! {
            <div class="apc-alert apc-alert--notice" role="alert"><p class="apc-alert__text">{text::problems_log_failed(&e.message())}</p></div>
        })}
        {move || t.assets.with(|a| match a {
            Assets::Unavailable => Some(text::REPORT_FROM_LOG_ONLY.to_string()),
            Assets::Failed(e) => Some(format!("{} {}", text::PROBLEMS_STATUS_FAILED, e.message())),
            _ => None,
        }).map(|note| view! { <p class="apc-muted">{note}</p> })}
    }
}

/// "Reprocess N failed assets" while the report is filtered to this run's failures: the
/// failed assets shown (the path filter narrows them).
#[component]
fn ReportReprocess(
    ctl: ReprocessCtl,
    t: Triage,
    job: RwSignal<Option<Job>>,
    query: RwSignal<ReportQuery>,
    order: Signal<Arc<Vec<u32>>>,
    rows: Signal<Arc<Vec<Row>>>,
) -> impl IntoView {
    let failed = Memo::new(move |_| {
        let outcome = query.with(|q| q.outcome.clone());
        Arc::new(rows.with(|r| order.with(|o| report_failures(r, o, outcome.as_ref()))))
    });
    let ready = Signal::derive(move || {
        job.with(|j| j.as_ref().is_some_and(Job::is_finished)) && t.reading.with(|r| r.done)
    });
    view! { <ReprocessButton ctl job=job.into() failed=failed.into() ready/> }
}

/// Outcome and path filters, the count, and "Export CSV".
#[component]
fn ReportToolbar(
    query: RwSignal<ReportQuery>,
    order: Signal<Arc<Vec<u32>>>,
    rows: Signal<Arc<Vec<Row>>>,
    id: String,
) -> impl IntoView {
    let counts = Memo::new(move |_| {
        rows.with(|r| Outcome::FILTERS.map(|o| r.iter().filter(|row| row.outcome == o).count()))
    });
    let exporting = RwSignal::new(None::<usize>);
    let export = move |_| {
        if exporting.get_untracked().is_some() {
            return;
        }
        exporting.set(Some(0));
        let (rows, order, name) = (
            rows.get_untracked(),
            order.get_untracked(),
            csv::file_name(&id),
        );
        spawn_local(async move {
            let _ = export_csv(rows, order, name, move |n| {
                let _ = exporting.try_set(Some(n));
            })
            .await;
            let _ = exporting.try_set(None);
        });
    };
    view! {
        <div class="apc-toolbar apc-report__tools">
            <label class="apc-toolbar__item">
                {text::REPORT_FILTER_OUTCOME}
                <select class="apc-input" on:change=move |ev| {
                    let key = event_target_value(&ev);
                    query.update(|q| q.outcome = Outcome::from_key(&key));
                }>
                    <option value="all">{move || text::report_all_outcomes(&number(rows.with(|r| r.len() as u64)))}</option>
                    {Outcome::FILTERS.into_iter().enumerate().map(|(k, o)| {
                        let key = o.key().to_string();
                        view! { <option value=key>{move || format!("{} ({})", o.label(), number(counts.with(|c| c[k] as u64)))}</option> }
                    }).collect_view()}
                </select>
            </label>
            <input type="search" class="apc-input apc-toolbar__search" placeholder=text::REPORT_FILTER_PATH
                aria-label=text::REPORT_FILTER_PATH prop:value=move || query.with(|q| q.text.clone())
                on:input=move |ev| { let v = event_target_value(&ev); query.update(|q| q.text = v); }/>
            <span class="apc-muted apc-report__count" role="status">{move || text::report_shown(&number(order.with(|o| o.len() as u64)), &number(rows.with(|r| r.len() as u64)))}</span>
            <button type="button" class="apc-button apc-button--secondary" on:click=export
                disabled=move || exporting.get().is_some() || order.with(|o| o.is_empty())>
                {move || match exporting.get() {
                    Some(n) => text::report_exporting(&number(n as u64), &number(order.with(|o| o.len() as u64))),
                    None => text::REPORT_EXPORT.to_string(),
                }}
            </button>
        </div>
    }
}
