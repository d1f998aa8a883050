//! The Problems panel above a run's log: counts, then the failed assets, each with the log's
//! reason and a link that opens the log at that line. While the run goes on it shows what the
//! lines read so far say, "so far". The state is `use_triage`'s.

mod causes;
mod hook;

use leptos::prelude::*;

use crate::browser::number;
use crate::text;
use crate::triage::report::Problems as Summary;
use crate::triage::Row;

use causes::CauseGroups;
pub use hook::{use_triage, use_triage_over, Assets, Reading, Triage};

/// Failed assets listed here; the report has them all.
const LISTED: usize = 20;

#[component]
pub fn Problems(
    t: Triage,
    /// The run's per-asset report, when there is one to link to.
    #[prop(optional, into)]
    report_href: Option<String>,
    /// What the page offers in the panel's head (the job view: reprocess what failed).
    #[prop(optional)]
    children: Option<ChildrenFn>,
) -> impl IntoView {
    let summary = Memo::new(move |_| {
        let rows = t.rows.get();
        t.reasons
            .with(|r| Summary::of(rows.as_deref().map(Vec::as_slice), r))
    });
    // Shown while the log is read if the status API already knows of failures, and after
    // when the run had failures or warnings. A memo: the panel (and the links a person may be
    // pressing) is drawn once when it appears, not again at every page of the log read.
    let shown = Memo::new(move |_| {
        let reading = t.reading.get();
        let known_failures = t.assets.with(|a| match a {
            Assets::Ready(assets) => assets
                .iter()
                .any(|a| a.status == asset_processing_api::AssetOutcome::Failure),
            _ => false,
        });
        !summary.with(Summary::is_empty) || (!reading.done && known_failures)
    });
    move || {
        shown.get().then(|| {
            let report_href = report_href.clone();
            let children = children.clone();
            view! {
                // Warnings only: drawn in the warning colour, not the failure colour.
                <section class="apc-problems" aria-labelledby="apc-problems-title"
                    class:apc-problems--warnings=move || summary.with(|s| s.failed.is_empty())>
                    <div class="apc-problems__head">
                        <h2 class="apc-section-title" id="apc-problems-title">{text::PROBLEMS_TITLE}</h2>
                        // What the page offers (reprocess what failed), in the panel's head: the
                        // log's first rows stay on a 1280×800 first screen.
                        {children.map(|c| view! { <div class="apc-problems__offer">{c()}</div> })}
                        // The report is made once the run has ended.
                        {move || (!t.live.get()).then(|| report_href.clone().map(|href| view! {
                            <a class="apc-problems__report" href=href>{text::PROBLEMS_OPEN_REPORT}</a>
                        }))}
                    </div>
                    <p class="apc-problems__counts">{move || {
                        let counts = summary.with(|s| text::problems_counts(
                            &number(s.failed.len() as u64), s.failed.len(), &number(s.warnings), s.warnings));
                        if t.live.get() { text::problems_so_far(&counts) } else { counts }
                    }}</p>
                    <ReadingNote t/>
                    <ul class="apc-problems__list">
                        // Keyed: a row already shown stays the same element (and its link
                        // keeps a press under way) while more of the log is read.
                        <For each=move || summary.with(|s| s.failed.iter().take(LISTED).cloned().collect::<Vec<_>>())
                            key=|row| (row.path.clone(), row.line, row.reason.clone())
                            children=|row| view! { <FailedAsset row/> }/>
                    </ul>
                    {move || summary.with(|s| (s.failed.len() > LISTED).then(|| view! {
                        <p class="apc-muted">{text::problems_more(&number((s.failed.len() - LISTED) as u64))}</p>
                    }))}
                    <CauseGroups t/>
                </section>
            }
        })
    }
}

/// How much of the log the panel stands for: the lines read while the run goes on, the
/// reading once it ended, then the whole log; or why the reading stopped. One line that
/// stays in place through all three (the panel does not jump when the run ends).
#[component]
fn ReadingNote(t: Triage) -> impl IntoView {
    view! {
        {move || {
            let r = t.reading.get();
            t.log_error.with(Option::is_none).then(|| if t.live.get() {
                view! { <p class="apc-muted apc-problems__read">{text::problems_read_so_far(&number(r.read), r.total.filter(|n| *n > r.read).map(number).as_deref())}</p> }.into_any()
            } else if !r.done {
                view! {
                    <p class="apc-muted apc-problems__read" role="status">
                        {text::problems_reading(&number(r.read), r.total.map(number).as_deref())}
                    </p>
                }.into_any()
            } else {
                view! { <p class="apc-muted apc-problems__read">{text::problems_read_all(&number(r.read))}</p> }.into_any()
            })
        }}
        {move || t.log_error.get().map(|e| view! {
            <p class="apc-alert apc-alert--notice apc-alert__text" role="alert">{text::problems_log_failed(&e.message())}</p>
        })}
        {move || matches!(t.assets.get(), Assets::Failed(_)).then(|| view! {
            <p class="apc-muted">{text::PROBLEMS_STATUS_FAILED}</p>
        })}
    }
}

/// One failed asset: its path, the log's reason and a link to that line.
#[component]
fn FailedAsset(row: Row) -> impl IntoView {
    let reason = if row.reason.is_empty() {
        text::PROBLEMS_REASON_MISSING.to_string()
    } else {
        row.reason.clone()
    };
    let link = row.line.map(|n| {
        let label = text::problems_line_label(&number(n), &row.path);
        view! {
            <a class="apc-problems__line" href=format!("#L{n}") rel="external" aria-label=label
                on:click=move |_| show_log()>{text::problems_line(&number(n))}</a>
        }
    });
    view! {
        <li class="apc-problems__item">
            <span class="apc-path apc-problems__path">{row.path.clone()}</span>
            <span class="apc-problems__reason">{reason}</span>
            {link}
        </li>
    }
}

/// Brings the log viewer into the window, so the line it opens at is seen.
fn show_log() {
    request_animation_frame(|| {
        if let Some(el) = document()
            .query_selector(".apc-root .apc-logv__frame")
            .ok()
            .flatten()
        {
            el.scroll_into_view();
        }
    });
}
