//! A picture of a running job drawn by the console (SVG, no chart library): the assets handled
//! over time, from the status polls the job view already makes, with the rate now, on average
//! and over the slowest minute in words beside it (the picture's text summary). Kept in session
//! storage per job, so a reload keeps the curve. It sits in the job view's chunk.

mod curve;

use asset_processing_api::Job;
use leptos::prelude::*;

use crate::browser::{number, session_get, session_set};
use crate::components::now_ms;
use crate::text;

use curve::{path_d, scales, Curve};

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
