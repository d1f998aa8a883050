//! The per-asset report's table: a header of sort buttons and, in a scroll area that stands
//! for every shown row, only the rows on screen (the log viewer's window arithmetic,
//! `log_model::Layout`), so 100,000 assets stay smooth with about fifty rows in the page.

mod export;

use std::sync::Arc;

use leptos::html::Div;
use leptos::prelude::*;

use crate::browser::number;
use crate::components::OutcomeBar;
use crate::log_model::{Layout, MAX_SCROLL_PX};
use crate::text;
use crate::triage::{ReportQuery, Row, SortKey};

pub use export::export_csv;

/// One row's height in CSS pixels (the header row has the same).
const ROW_PX: f64 = 32.0;
/// Rows rendered above and below the screen.
const OVERSCAN: u64 = 10;

#[component]
pub fn ReportTable(
    rows: Signal<Arc<Vec<Row>>>,
    /// Indices into `rows` of the rows shown, in order.
    order: Signal<Arc<Vec<u32>>>,
    query: RwSignal<ReportQuery>,
    /// A log line's link (`/jobs/<id>#L<n>` under the route base).
    line_href: Callback<u64, String>,
) -> impl IntoView {
    let scroller = NodeRef::<Div>::new();
    let scroll_top = RwSignal::new(0.0f64);
    let height = RwSignal::new(480.0f64);
    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            height.set((el.client_height() as f64 - ROW_PX).max(ROW_PX));
            scroll_top.set(el.scroll_top() as f64);
        }
    };
    Effect::new(move |_| {
        if scroller.get().is_some() {
            measure();
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    let layout = Memo::new(move |_| Layout {
        row_px: ROW_PX,
        len: order.with(|o| o.len() as u64),
        max_px: MAX_SCROLL_PX,
    });
    let window = Memo::new(move |_| {
        layout
            .get()
            .window(scroll_top.get(), height.get(), OVERSCAN)
    });
    // Back to the top when what is shown changes (a filter, a sort).
    Effect::new(move |_| {
        order.track();
        if let Some(el) = scroller.get_untracked() {
            el.set_scroll_top(0);
            scroll_top.set(0.0);
        }
    });
    let shown = move || {
        let rows_range = window.get().rows;
        order.with(|o| {
            rows_range
                .map(|i| (i, o.get(i as usize).copied().unwrap_or(0)))
                .collect::<Vec<_>>()
        })
    };
    view! {
        // Issue 24: the outcomes as one bar above the table.
        <OutcomeBar rows/>
        <div class="apc-report__table" role="table" aria-label=text::REPORT_TABLE_LABEL
            aria-rowcount=move || (order.with(|o| o.len()) + 1).to_string()>
            <div class="apc-report__scroller" node_ref=scroller tabindex="0" role="rowgroup"
                aria-label=text::REPORT_TABLE_LABEL on:scroll=move |_| measure()>
                <div class="apc-report__row apc-report__row--head" role="row" aria-rowindex="1">
                    <SortHeader query key=SortKey::Path label=text::REPORT_COL_PATH/>
                    <SortHeader query key=SortKey::Outcome label=text::REPORT_COL_OUTCOME/>
                    <span role="columnheader" class="apc-report__cell">{text::REPORT_COL_REASON}</span>
                    <SortHeader query key=SortKey::Line label=text::REPORT_COL_LINE/>
                </div>
                <div class="apc-report__space" style:height=move || format!("{}px", layout.get().total_px())>
                    <div class="apc-report__rows" style:transform=move || format!("translateY({}px)", window.get().top_px)>
                        <For each=shown key=|(i, r)| (*i, *r) children=move |(i, r)| {
                            let row = rows.with_untracked(|rows| rows.get(r as usize).cloned()).unwrap_or_else(|| Row {
                                path: String::new(), outcome: crate::triage::Outcome::Pending, reason: String::new(), line: None });
                            view! { <ReportRow row index=i line_href/> }
                        }/>
                    </div>
                </div>
            </div>
        </div>
    }
}

/// A column header that sorts: ascending on the first click, then the other way round.
#[component]
fn SortHeader(query: RwSignal<ReportQuery>, key: SortKey, label: &'static str) -> impl IntoView {
    let sorted = move || query.with(|q| q.sort == key);
    let aria_sort = move || match (sorted(), query.with(|q| q.descending)) {
        (false, _) => "none",
        (true, false) => "ascending",
        (true, true) => "descending",
    };
    view! {
        <span role="columnheader" class="apc-report__cell" aria-sort=aria_sort>
            <button type="button" class="apc-report__sort" on:click=move |_| query.update(|q| {
                q.descending = q.sort == key && !q.descending;
                q.sort = key;
            })>
                {label}
                <span aria-hidden="true">{move || match aria_sort() { "ascending" => " ▲", "descending" => " ▼", _ => "" }}</span>
            </button>
        </span>
    }
}

/// One asset: path, outcome, reason and a link to the log line.
#[component]
fn ReportRow(row: Row, index: u64, line_href: Callback<u64, String>) -> impl IntoView {
    let tone = format!(
        "apc-report__outcome apc-report__outcome--{}",
        row.outcome.key()
    );
    let cause = crate::triage::causes::missing_file_words(&row.reason);
    view! {
        <div class="apc-report__row" role="row" aria-rowindex=(index + 2).to_string()>
            <span role="cell" class="apc-report__cell apc-report__path" title=row.path.clone()>{row.path.clone()}</span>
            <span role="cell" class="apc-report__cell"><span class=tone>{row.outcome.label().to_string()}</span></span>
            <span role="cell" class="apc-report__cell apc-report__reason" title=row.reason.clone()>
                // The cause first (what to fix), then the log's words.
                {cause.map(|c| view! { <span class="apc-report__cause">{c}</span>" · " })}
                {row.reason.clone()}
            </span>
            <span role="cell" class="apc-report__cell apc-report__line">
                {row.line.map(|n| view! {
                    <a href=line_href.run(n) aria-label=text::problems_line_label(&number(n), &row.path)>{number(n)}</a>
                })}
            </span>
        </div>
    }
}
