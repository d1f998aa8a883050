//! A picture of a run drawn by the console (SVG, no chart library): the assets handled over
//! time, from the status polls the job view already makes while the job runs (kept in session
//! storage per job, so a reload keeps the curve), and once it has ended from its log's progress
//! lines as the Problems panel's reading passes them (`triage::pace`); with the rate now (at
//! the end), on average and over the slowest minute in words beside it (the picture's text
//! summary). It sits in the job view's chunk. And the
//! start form's small bars of the folder's previous runs (`PastRuns`, `past`), and the
//! report's one bar of outcomes (`OutcomeBar`, `outcomes`).

mod curve;
mod outcomes;
mod past;

use asset_processing_api::Job;
use leptos::prelude::*;

use crate::browser::{number, session_get, session_set};
use crate::components::{now_ms, Triage};
use crate::text;

use curve::{from_readings, path_d, scales, Curve};
use outcomes::{outcome_counts, segments};
use past::{bar_lengths, past_runs, runs_before};

use crate::triage::Outcome;

const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 120.0;

fn storage_key(id: &str) -> String {
    format!("apc-curve:{id}")
}

/// "12.5 assets/s".
fn rate_words(rate: Option<f64>) -> String {
    rate.map_or_else(
        || text::NOT_YET.to_string(),
        |r| text::chart_rate(&format!("{r:.1}")),
    )
}

/// The job view's curve: while the job runs, from its status polls (kept in session storage);
/// once it has ended, from its log's progress lines as triage reads them (`t`), with how much
/// of the log that was; the polls' curve stays when the log has no progress lines.
#[component]
pub fn RunChart(id: String, job: Memo<Option<Job>>, t: Triage) -> impl IntoView {
    let key = storage_key(&id);
    let polled = RwSignal::new(
        session_get(&key)
            .and_then(|s| Curve::from_stored(&s))
            .unwrap_or_default(),
    );
    // A reading at each poll of a running job with its handled count.
    Effect::new(move |_| {
        let Some(j) = job.get() else { return };
        if j.is_finished() || j.started_at == 0 {
            return;
        }
        polled.update(|c| c.add(now_ms().max(j.started_at), j.triggered_count));
        polled.with_untracked(|c| session_set(&key, &c.to_stored()));
    });
    // A finished run's curve from the progress lines triage has read so far.
    let from_log = Memo::new(move |_| {
        let j = job.get().filter(Job::is_finished)?;
        t.reasons.with(|r| {
            from_readings(
                j.started_at,
                r.pace().readings(),
                j.completed_at,
                j.triggered_count,
            )
        })
    });
    let curve = Memo::new(move |_| from_log.get().unwrap_or_else(|| polled.get()));
    let total = Memo::new(move |_| {
        job.with(|j| {
            j.as_ref()
                .and_then(|j| crate::format::Progress::of(j).total)
        })
    });
    // Drawn once there are two readings to join.
    let shown = Memo::new(move |_| curve.with(|c| c.samples.len() >= 2));
    move || {
        shown.get().then(|| {
            let drawn = move || {
                curve.with(|c| {
                    scales(c, total.get(), WIDTH, HEIGHT).map(|(x, y)| (path_d(c, x, y), y.domain.1))
                })
            };
            let summary = move || {
                let ended = from_log.with(Option::is_some);
                curve.with(|c| {
                    let handled = number(c.samples.last().map_or(0, |s| s.handled));
                    let (now, average, slowest) = (
                        rate_words(c.rate_now()),
                        rate_words(c.average()),
                        rate_words(c.slowest_minute()),
                    );
                    if ended {
                        text::chart_summary_ended(&now, &average, &slowest, &handled)
                    } else {
                        text::chart_summary(&now, &average, &slowest, &handled)
                    }
                })
            };
            // Where a finished run's curve comes from: how many progress lines, out of how
            // much of the log read (triage reads it in order; no line is read for the curve).
            let source = move || {
                from_log.with(Option::is_some).then(|| {
                    let r = t.reading.get();
                    let lines = t.reasons.with(|r| r.pace().lines());
                    text::chart_from_log(
                        &number(lines),
                        lines,
                        &number(r.read),
                        r.total.map(number).as_deref(),
                        r.done,
                    )
                })
            };
            view! {
                <figure class="apc-chart">
                    <svg class="apc-chart__svg" role="img" aria-label=text::CHART_LABEL
                        viewBox=format!("0 0 {WIDTH} {HEIGHT}") preserveAspectRatio="none">
                        <line class="apc-chart__axis" x1="0" y1=HEIGHT x2=WIDTH y2=HEIGHT/>
                        <path class="apc-chart__line" d=move || drawn().map(|(d, _)| d).unwrap_or_default()
                            vector-effect="non-scaling-stroke"/>
                    </svg>
                    <figcaption class="apc-chart__summary">
                        <span class="apc-muted">{move || drawn().map(|(_, top)| text::chart_top(&number(top as u64)))}</span>
                        " "{summary}
                        {move || source().map(|s| view! { " "<span class="apc-muted apc-chart__source">{s}</span> })}
                    </figcaption>
                </figure>
            }
        })
    }
}

/// Before starting: the previous successful runs of the folder typed, as small bars of
/// duration (newest on top), and the last one in words, from the recent runs the form has
/// asked for; nothing is drawn while the folder has no finished run.
#[component]
pub fn PastRuns(
    path: Signal<String>,
    history: LocalResource<Option<asset_processing_api::History>>,
) -> impl IntoView {
    let runs = Memo::new(move |_| {
        let typed = path.get();
        history
            .get()
            .flatten()
            .map(|h| past_runs(&h.execution_history, &typed))
            .unwrap_or_default()
    });
    move || {
        let list = runs.get();
        (!list.is_empty()).then(|| view! { <PastBars runs=list path=path.get_untracked()/> })
    }
}

/// The job view's previous runs of its folder, last among its facts: the history is asked
/// (the last 100 runs) only when the person opens them, so the job view makes no request for
/// them otherwise. A button that says whether it is open (not a nested `<details>`: the facts
/// are one already, and their summary stays the one summary there).
#[component]
pub fn JobPastRuns(job: Job) -> impl IntoView {
    let opened = RwSignal::new(false);
    let shown = RwSignal::new(false);
    view! {
        <div class="apc-past-runs">
            <button type="button" class="apc-button apc-button--quiet apc-past-runs__toggle"
                aria-expanded=move || shown.get().to_string() aria-controls="apc-past-runs-body"
                on:click=move |_| { shown.update(|s| *s = !*s); opened.set(true); }>
                <span class="apc-disclosure">{text::PAST_RUNS_TITLE}</span>
            </button>
            <div id="apc-past-runs-body" hidden=move || !shown.get()>
                {move || opened.get().then(|| view! { <JobPastRunsLoaded job=job.clone()/> })}
            </div>
        </div>
    }
}

#[component]
fn JobPastRunsLoaded(job: Job) -> impl IntoView {
    let client = expect_context::<crate::api::ApiClient>();
    let history = LocalResource::new(move || {
        let client = client.clone();
        async move {
            client
                .history(asset_processing_api::HISTORY_LIMIT_MAX)
                .await
        }
    });
    move || {
        match history.get() {
        None => view! { <p class="apc-loading" role="status">{text::PAST_RUNS_LOADING}</p> }.into_any(),
        Some(Err(e)) => view! {
            <p class="apc-alert apc-alert--notice apc-alert__text" role="alert">{text::past_runs_failed(&e.message())}</p>
        }.into_any(),
        Some(Ok(h)) => {
            let list = runs_before(&h.execution_history, &job);
            if list.is_empty() {
                view! { <p class="apc-muted">{text::PAST_RUNS_NONE}</p> }.into_any()
            } else {
                view! { <PastBars runs=list path=job.path.clone()/> }.into_any()
            }
        }
    }
    }
}

/// The bars of `runs` (newest on top) and the last one in words.
#[component]
fn PastBars(runs: Vec<past::PastRun>, path: String) -> impl IntoView {
    let last = runs[0].clone();
    let lengths = bar_lengths(&runs, PAST_WIDTH);
    let height = runs.len() as f64 * PAST_ROW;
    let bars = lengths
        .iter()
        .enumerate()
        .map(|(k, w)| {
            view! {
                <rect class="apc-past__bar" x="0" y=format!("{:.1}", k as f64 * PAST_ROW + 1.0)
                    width=format!("{w:.1}") height=format!("{:.1}", PAST_ROW - 2.0)/>
            }
        })
        .collect_view();
    let all = runs
        .iter()
        .map(|r| text::duration(r.duration_ms))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <figure class="apc-past">
            <svg class="apc-past__svg" role="img" aria-label=text::past_runs_label(runs.len(), &path)
                viewBox=format!("0 0 {PAST_WIDTH} {height}") preserveAspectRatio="none"
                height=(runs.len() * 8).to_string()>
                {bars}
            </svg>
            <figcaption class="apc-past__words">
                {text::past_last_run(&text::duration(last.duration_ms), &number(last.handled), last.handled)}
                " "<span class="apc-muted">{text::past_all(&all)}</span>
            </figcaption>
        </figure>
    }
}

const PAST_WIDTH: f64 = 200.0;
const PAST_ROW: f64 = 10.0;

/// The report's one bar of outcomes above its table: each outcome a segment, the counts in
/// words beside it.
#[component]
pub fn OutcomeBar(rows: Signal<std::sync::Arc<Vec<crate::triage::Row>>>) -> impl IntoView {
    let counts = Memo::new(move |_| rows.with(|r| outcome_counts(r)));
    move || {
        let counts = counts.get();
        if counts.is_empty() {
            return None;
        }
        let widths: Vec<usize> = counts.iter().map(|(_, n)| *n).collect();
        let name = |o: &Outcome| match o {
            Outcome::Other(_) => (text::OUTCOME_OTHER.to_string(), "other".to_string()),
            o => (o.label().to_string(), o.key().to_string()),
        };
        let words = counts
            .iter()
            .map(|(o, n)| text::outcome_count(&name(o).0, &number(*n as u64)))
            .collect::<Vec<_>>()
            .join(" · ");
        let segs = segments(&widths, 100.0)
            .into_iter()
            .zip(counts.iter())
            .map(|((x, w), (o, _))| {
                view! {
                    <rect class=format!("apc-outcomes__seg apc-outcomes__seg--{}", name(o).1)
                        x=format!("{x:.2}") y="0" width=format!("{w:.2}") height="4"/>
                }
            })
            .collect_view();
        Some(view! {
            <figure class="apc-outcomes">
                <svg class="apc-outcomes__svg" role="img" aria-label=text::OUTCOMES_LABEL
                    viewBox="0 0 100 4" preserveAspectRatio="none">{segs}</svg>
                <figcaption class="apc-outcomes__words">{words}</figcaption>
            </figure>
        })
    }
}
