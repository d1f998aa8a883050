//! A picture of a running job drawn by the console (SVG, no chart library): the assets handled
//! over time, from the status polls the job view already makes, with the rate now, on average
//! and over the slowest minute in words beside it (the picture's text summary). Kept in session
//! storage per job, so a reload keeps the curve. It sits in the job view's chunk. And the
//! start form's small bars of the folder's previous runs (`PastRuns`, `past`), and the
//! report's one bar of outcomes (`OutcomeBar`, `outcomes`).

mod curve;
mod outcomes;
mod past;

use asset_processing_api::Job;
use leptos::prelude::*;

use crate::browser::{number, session_get, session_set};
use crate::components::now_ms;
use crate::text;

use curve::{path_d, scales, Curve};
use outcomes::{outcome_counts, segments};
use past::{bar_lengths, past_runs};

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

#[component]
pub fn RunChart(id: String, job: Memo<Option<Job>>) -> impl IntoView {
    let key = storage_key(&id);
    let curve = RwSignal::new(
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
        curve.update(|c| c.add(now_ms().max(j.started_at), j.triggered_count));
        curve.with_untracked(|c| session_set(&key, &c.to_stored()));
    });
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
                curve.with(|c| {
                    text::chart_summary(
                        &rate_words(c.rate_now()),
                        &rate_words(c.average()),
                        &rate_words(c.slowest_minute()),
                        &number(c.samples.last().map_or(0, |s| s.handled)),
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
        let last = list.first()?.clone();
        let lengths = bar_lengths(&list, PAST_WIDTH);
        let height = list.len() as f64 * PAST_ROW;
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
        let all = list
            .iter()
            .map(|r| text::duration(r.duration_ms))
            .collect::<Vec<_>>()
            .join(", ");
        Some(view! {
            <figure class="apc-past">
                <svg class="apc-past__svg" role="img" aria-label=text::past_runs_label(list.len(), &path.get_untracked())
                    viewBox=format!("0 0 {PAST_WIDTH} {height}") preserveAspectRatio="none"
                    height=(list.len() * 8).to_string()>
                    {bars}
                </svg>
                <figcaption class="apc-past__words">
                    {text::past_last_run(&text::duration(last.duration_ms), &number(last.handled), last.handled)}
                    " "<span class="apc-muted">{text::past_all(&all)}</span>
                </figcaption>
            </figure>
        })
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
