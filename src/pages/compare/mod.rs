//! Two runs side by side (`/compare/<a>/<b>`, shareable): figures and their differences,
//! then the assets that newly fail, are fixed, still fail, or were not retried, each with
//! its reason and a link into each run's log at the line. The older run is on the left,
//! whichever order the address gives. The arithmetic and the sorting are
//! `triage::compare`'s; loading is `load::use_compare`; the lists are in `lists`.
//! Also the history's "Compare" boxes and its "Compare selected" link.

mod lists;
mod load;

use asset_processing_api::Job;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{ApiClient, ClientError};
use crate::browser::number;
use crate::components::{now_ms, ErrorPanel, FolderPath, StatusBadge};
use crate::config::Config;
use crate::format;
use crate::format::short_id;
use crate::text;
use crate::triage::compare::{figure_rows, Diff, FigureRow, Figures, Measure, Verdict};

use lists::ChangeLists;
use load::{use_compare, Lookup, RunLoad};

#[component]
pub fn ComparePage() -> impl IntoView {
    let params = use_params_map();
    let ids = move || {
        params.with(|p| {
            (
                p.get("a").unwrap_or_default(),
                p.get("b").unwrap_or_default(),
            )
        })
    };
    // Refresh starts the view over (a run still going has more to say).
    let round = RwSignal::new(0u32);
    let history_href = expect_context::<Config>().href("/");
    view! {
        <section class="apc-panel apc-compare" aria-labelledby="apc-compare-title">
            <div class="apc-panel__head">
                <h1 class="apc-panel__title" id="apc-compare-title">{text::COMPARE_TITLE}</h1>
                <a href=history_href>{text::BACK_TO_HISTORY}</a>
            </div>
            {move || {
                let (a, b) = ids();
                round.track();
                if a == b {
                    let job_href = expect_context::<Config>().href(&format!("/jobs/{a}"));
                    return view! {
                        <div class="apc-alert apc-alert--notice" role="alert">
                            <p class="apc-alert__text">{text::COMPARE_SAME_RUN}</p>
                            <a href=job_href>{text::compare_job_link(&short_id(&a))}</a>
                        </div>
                    }.into_any();
                }
                view! { <CompareView a b round/> }.into_any()
            }}
        </section>
    }
}

#[component]
fn CompareView(a: String, b: String, round: RwSignal<u32>) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let load = use_compare(client, a.clone(), b.clone());
    let retry = Callback::new(move |_| round.update(|n| *n += 1));
    move || {
        let (ja, jb) = (load.a.job.get(), load.b.job.get());
        match (ja, jb) {
            (Some(Ok(ja)), Some(Ok(jb))) => {
                let a_first = crate::triage::compare::a_is_older(&ja, &jb);
                let (older, newer) = if a_first {
                    ((ja, load.a), (jb, load.b))
                } else {
                    ((jb, load.b), (ja, load.a))
                };
                view! { <Comparison older newer lookup=load.lookup round/> }.into_any()
            }
            (Some(ea), Some(eb)) => {
                let errors: Vec<(String, ClientError)> = [(a.clone(), ea), (b.clone(), eb)]
                    .into_iter()
                    .filter_map(|(id, r)| r.err().map(|e| (id, e)))
                    .collect();
                view! { <LoadErrors errors retry/> }.into_any()
            }
            _ => view! { <p class="apc-loading" role="status" aria-busy="true">{text::COMPARE_LOADING}</p> }
                .into_any(),
        }
    }
}

/// Why a run could not be loaded: an unknown id said plainly, anything else with a retry.
#[component]
fn LoadErrors(errors: Vec<(String, ClientError)>, retry: Callback<()>) -> impl IntoView {
    errors
        .into_iter()
        .map(|(id, e)| match e {
            ClientError::NotFound(_) => view! {
                <div class="apc-alert apc-alert--negative" role="alert">
                    <p class="apc-alert__text">{text::compare_run_missing(&id)}</p>
                </div>
            }
            .into_any(),
            e => view! { <ErrorPanel error=e retry/> }.into_any(),
        })
        .collect_view()
}

#[component]
fn Comparison(
    older: (Job, RunLoad),
    newer: (Job, RunLoad),
    lookup: RwSignal<Lookup>,
    round: RwSignal<u32>,
) -> impl IntoView {
    let (older_job, older_run) = older;
    let (newer_job, newer_run) = newer;
    let now = now_ms();
    let figures = {
        let (o, n) = (older_job.clone(), newer_job.clone());
        Memo::new(move |_| {
            let fo = older_run.reasons.with(|r| Figures::of(&o, r, now));
            let fn_ = newer_run.reasons.with(|r| Figures::of(&n, r, now));
            figure_rows(&fo, &fn_)
        })
    };
    view! {
        <p class="apc-muted">{text::COMPARE_ORDER_NOTE}</p>
        <Notes older=older_job.clone() newer=newer_job.clone() lookup round/>
        <Reading run=older_run id=older_job.processing_id.clone()/>
        <Reading run=newer_run id=newer_job.processing_id.clone()/>
        <FiguresTable older=older_job.clone() newer=newer_job.clone() rows=figures.into()/>
        <ChangeLists older=(older_job, older_run) newer=(newer_job, newer_run) lookup/>
    }
}

/// Different folders, a run not final (with Refresh), a server without the look-up.
#[component]
fn Notes(older: Job, newer: Job, lookup: RwSignal<Lookup>, round: RwSignal<u32>) -> impl IntoView {
    let folders = (older.path != newer.path)
        .then(|| text::compare_different_folders(&older.path, &newer.path));
    let unfinished: Vec<String> = [&older, &newer]
        .into_iter()
        .filter(|j| !j.is_finished())
        .map(|j| text::compare_not_final(&short_id(&j.processing_id)))
        .collect();
    let any_unfinished = !unfinished.is_empty();
    view! {
        {folders.map(|note| view! { <p class="apc-alert apc-alert--notice apc-alert__text apc-compare__note">{note}</p> })}
        {any_unfinished.then(|| view! {
            <div class="apc-alert apc-alert--notice apc-compare__note" role="status">
                {unfinished.into_iter().map(|n| view! { <p class="apc-alert__text">{n}</p> }).collect_view()}
                <button type="button" class="apc-button apc-button--secondary" on:click=move |_| round.update(|n| *n += 1)>
                    {text::COMPARE_REFRESH}
                </button>
            </div>
        })}
        {move || lookup.with(|l| match l {
            Lookup::Unavailable => Some(text::COMPARE_FROM_LOGS_ONLY.to_string()),
            Lookup::Failed(e) => Some(format!("{} {}", text::COMPARE_LOOKUP_FAILED, e.message())),
            _ => None,
        }).map(|note| view! { <p class="apc-muted">{note}</p> })}
    }
}

/// How far a run's log has been read, until all of it; or why it stopped.
#[component]
fn Reading(run: RunLoad, id: String) -> impl IntoView {
    let short = short_id(&id);
    let short2 = short.clone();
    view! {
        {move || {
            let r = run.reading.get();
            (!r.done && run.log_error.with(Option::is_none)).then(|| view! {
                <p class="apc-muted" role="status">{text::compare_reading(&short, &number(r.read), r.total.map(number).as_deref())}</p>
            })
        }}
        {move || run.log_error.get().map(|e| view! {
            <p class="apc-alert apc-alert--notice apc-alert__text" role="alert">
                {format!("{} {}", short2, text::problems_log_failed(&e.message()))}
            </p>
        })}
    }
}

/// The side-by-side table: the runs' facts, then each figure with its difference.
#[component]
fn FiguresTable(older: Job, newer: Job, rows: Signal<Vec<FigureRow>>) -> impl IntoView {
    let fact = |label: &'static str, f: &dyn Fn(&Job) -> AnyView| {
        view! {
            <tr>
                <th scope="row">{label}</th>
                <td>{f(&older)}</td>
                <td>{f(&newer)}</td>
                <td></td>
            </tr>
        }
    };
    let date = |j: &Job| crate::browser::short_date(j.started_at);
    view! {
        <div class="apc-table-wrap apc-compare__figures" tabindex="0" role="region" aria-label=text::COMPARE_TABLE_CAPTION>
            <table class="apc-table">
                <caption class="apc-sr-only">{text::COMPARE_TABLE_CAPTION}</caption>
                <thead>
                    <tr>
                        <th scope="col">{text::COMPARE_FIGURE}</th>
                        <th scope="col"><RunHead side=text::COMPARE_OLDER job=older.clone()/></th>
                        <th scope="col"><RunHead side=text::COMPARE_NEWER job=newer.clone()/></th>
                        <th scope="col">{text::COMPARE_DIFFERENCE}</th>
                    </tr>
                </thead>
                <tbody>
                    {fact(text::COL_STATUS, &|j| view! { <StatusBadge status=j.status.clone()/> }.into_any())}
                    {fact(text::LABEL_PATH, &|j| view! { <span class="apc-folder-path"><FolderPath path=j.path.clone()/></span> }.into_any())}
                    {fact(text::LABEL_EXCLUDED, &|j| view! { <span class="apc-path">{format::excluded_words(&j.excluded_paths)}</span> }.into_any())}
                    {fact(text::LABEL_FILTER, &|j| format::filter_words(&j.filter, &crate::browser::short_date).into_any())}
                    {fact(text::LABEL_STARTED, &|j| (if j.started_at > 0 { date(j) } else { text::NOT_YET.to_string() }).into_any())}
                    {move || rows.get().into_iter().map(|row| view! { <FigureLine row/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// A column's heading: which run, with links to its job page and its report.
#[component]
fn RunHead(side: &'static str, job: Job) -> impl IntoView {
    let config = expect_context::<Config>();
    let short = short_id(&job.processing_id);
    let id = &job.processing_id;
    view! {
        <span class="apc-compare__run">
            <span>{side}</span>
            <span class="apc-mono" title=id.clone()>{short.clone()}</span>
            <span class="apc-compare__links">
                <a href=config.href(&format!("/jobs/{id}")) aria-label=text::compare_job_link(&short)>{text::COMPARE_OPEN_JOB}</a>
                <a href=config.href(&format!("/jobs/{id}/report")) aria-label=text::compare_report_link(&short)>{text::COMPARE_OPEN_REPORT}</a>
            </span>
        </span>
    }
}

fn measure_label(m: Measure) -> &'static str {
    match m {
        Measure::Duration => text::LABEL_DURATION,
        Measure::Counted => text::COMPARE_COUNTED,
        Measure::Handled => text::COMPARE_HANDLED,
        Measure::Processed => text::COMPARE_PROCESSED,
        Measure::Failed => text::COMPARE_FAILED,
        Measure::Skipped => text::COMPARE_SKIPPED,
        Measure::Warnings => text::COMPARE_WARNINGS,
        Measure::Throughput => text::COMPARE_THROUGHPUT,
    }
}

/// A value of a measure for people: "3 min 05 s", "1,992", "12.5 assets/s".
fn value_words(m: Measure, v: f64) -> String {
    match m {
        Measure::Duration => text::duration(v as i64),
        Measure::Throughput => text::throughput(&one_decimal(v)),
        _ => number(v as u64),
    }
}

/// "12.5", "1,234.0" (grouped as the reader's locale groups whole numbers).
fn one_decimal(v: f64) -> String {
    let tenths = (v * 10.0).round() as u64;
    format!("{}.{}", number(tenths / 10), tenths % 10)
}

#[component]
fn FigureLine(row: FigureRow) -> impl IntoView {
    let m = row.measure;
    let cell =
        move |v: Option<f64>| v.map_or_else(|| text::NOT_YET.to_string(), |v| value_words(m, v));
    let (shown, words) = match row.diff {
        Diff::Unknown => (text::NOT_YET.to_string(), text::COMPARE_UNKNOWN.to_string()),
        Diff::Same => (
            text::COMPARE_SAME.to_string(),
            text::COMPARE_SAME.to_string(),
        ),
        Diff::By(d) => {
            let (up, magnitude) = (d > 0.0, value_words(m, d.abs()));
            let words = match m {
                Measure::Duration => text::compare_longer_shorter(up, &magnitude),
                Measure::Throughput => text::compare_faster_slower(up, &magnitude),
                _ => text::compare_more_fewer(up, &magnitude),
            };
            (text::compare_signed(up, &magnitude), words)
        }
    };
    let tone = match m.verdict(row.diff) {
        Verdict::Better => "apc-compare__diff apc-compare__diff--better",
        Verdict::Worse => "apc-compare__diff apc-compare__diff--worse",
        Verdict::Neutral => "apc-compare__diff",
    };
    view! {
        <tr data-measure=format!("{m:?}").to_ascii_lowercase()>
            <th scope="row">{measure_label(m)}</th>
            <td class="apc-compare__num">{cell(row.older)}</td>
            <td class="apc-compare__num">{cell(row.newer)}</td>
            <td class=tone>
                {if shown == words {
                    view! { <span>{words}</span> }.into_any()
                } else {
                    view! { <span aria-hidden="true">{shown}</span><span class="apc-sr-only">{words}</span> }.into_any()
                }}
            </td>
        </tr>
    }
}
