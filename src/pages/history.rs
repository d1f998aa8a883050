//! The history of runs: the last N jobs, newest first.

use asset_processing_api::Job;
use leptos::prelude::*;

use crate::api::ApiClient;
use crate::components::{now_ms, ErrorPanel, LocalTime, StatusBadge};
use crate::config::Config;
use crate::format::{self, Progress};
use crate::text;

#[component]
pub fn HistoryPage() -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let limit = expect_context::<Config>().history_size;
    let history = LocalResource::new(move || {
        let client = client.clone();
        async move { client.history(limit).await }
    });
    let refresh = Callback::new(move |_| history.refetch());

    view! {
        <section class="apc-panel" aria-labelledby="apc-history-title">
            <div class="apc-panel__head">
                <h1 class="apc-panel__title" id="apc-history-title">{text::HISTORY_TITLE}</h1>
                <button type="button" class="apc-button apc-button--secondary" on:click=move |_| refresh.run(())>
                    {text::REFRESH}
                </button>
            </div>
            {move || match history.get() {
                None => view! {
                    <p class="apc-loading" role="status" aria-busy="true">{text::HISTORY_LOADING}</p>
                }.into_any(),
                Some(Ok(h)) => view! { <HistoryTable jobs=h.execution_history now=now_ms()/> }.into_any(),
                Some(Err(e)) => view! { <ErrorPanel error=e retry=refresh/> }.into_any(),
            }}
        </section>
    }
}

/// The runs as a table, or an empty state that says what to do.
#[component]
pub fn HistoryTable(jobs: Vec<Job>, now: i64) -> impl IntoView {
    if jobs.is_empty() {
        return view! {
            <div class="apc-empty">
                <h2 class="apc-empty__title">{text::HISTORY_EMPTY_TITLE}</h2>
                <p>{text::HISTORY_EMPTY_BODY}</p>
            </div>
        }
        .into_any();
    }
    view! {
        <div class="apc-table-wrap" tabindex="0" role="region" aria-labelledby="apc-history-title">
            <table class="apc-table">
                <thead>
                    <tr>
                        <th scope="col">{text::COL_STATUS}</th>
                        <th scope="col">{text::COL_ID}</th>
                        <th scope="col">{text::COL_FOLDER}</th>
                        <th scope="col">{text::COL_EXCLUDED}</th>
                        <th scope="col">{text::COL_TYPE}</th>
                        <th scope="col">{text::COL_CREATED_BY}</th>
                        <th scope="col">{text::COL_STARTED}</th>
                        <th scope="col">{text::COL_ENDED}</th>
                        <th scope="col">{text::COL_DURATION}</th>
                        <th scope="col">{text::COL_PROGRESS}</th>
                    </tr>
                </thead>
                <tbody>
                    {jobs.into_iter().map(|job| view! { <HistoryRow job now/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn HistoryRow(job: Job, now: i64) -> impl IntoView {
    let progress = Progress::of(&job);
    let duration = format::job_duration_ms(&job, now)
        .map(format::duration)
        .unwrap_or_else(|| text::NOT_YET.into());
    let excluded = if job.excluded_paths.is_empty() {
        text::NONE.to_string()
    } else {
        job.excluded_paths.join(", ")
    };
    view! {
        <tr class="apc-table__row" data-processing-id=job.processing_id.clone()>
            <td><StatusBadge status=job.status.clone()/></td>
            <td class="apc-mono">{job.processing_id.clone()}</td>
            <td class="apc-path">{job.path.clone()}</td>
            <td class="apc-path">{excluded}</td>
            <td>{job.kind.to_string()}</td>
            <td>{job.created_by.clone()}</td>
            <td><LocalTime ms=job.started_at now/></td>
            <td><LocalTime ms=job.completed_at now/></td>
            <td>{duration}</td>
            <td>
                {text::progress(progress.handled, progress.total)}
                {progress.percent().map(|p| format!(" ({p} %)"))}
            </td>
        </tr>
    }
}
