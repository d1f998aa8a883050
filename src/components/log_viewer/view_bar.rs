//! The viewer's level bar: which lines to show (all, warnings and errors, errors only) with
//! how much of the log the filter has read, and the previous and next problem. (How
//! timestamps read is chosen in the tool bar, next to wrapping.)

use leptos::prelude::*;

use crate::browser::number;
use crate::log_model::LevelFilter;
use crate::text;

use super::scan::{ScanKind, Scanner};
use super::state::Viewer;

fn filter_label(f: LevelFilter) -> &'static str {
    match f {
        LevelFilter::All => text::LOG_FILTER_ALL,
        LevelFilter::Problems => text::LOG_FILTER_PROBLEMS,
        LevelFilter::Errors => text::LOG_FILTER_ERRORS,
    }
}

#[component]
pub(super) fn ViewBar(v: Viewer, scanner: Scanner) -> impl IntoView {
    let choose_filter = move |ev| {
        let f = LevelFilter::from_key(&event_target_value(&ev)).unwrap_or_default();
        scanner.stop_kind(ScanKind::Filter);
        v.set_filter(f);
        if f != LevelFilter::All {
            scanner.fill_filter(v);
        }
    };
    view! {
        <div class="apc-logv__bar apc-logv__view">
            <span class="apc-logv__field">
                <label for="apc-logv-filter">{text::LOG_SHOW}</label>
                <select id="apc-logv-filter" class="apc-input apc-logv__select" on:change=choose_filter
                    prop:value=move || v.filter.get().key().to_string()>
                    {LevelFilter::ALL.into_iter().map(|f| view! {
                        <option value=f.key() selected=move || v.filter.get() == f>{filter_label(f)}</option>
                    }).collect_view()}
                </select>
            </span>
            <div class="apc-logv__problems" role="group" aria-label=text::LOG_PROBLEMS_GROUP>
                <button type="button" class="apc-button apc-button--quiet apc-logv__problem" aria-keyshortcuts="Shift+N"
                    title=text::LOG_PREVIOUS_PROBLEM_TITLE aria-label=text::LOG_PREVIOUS_PROBLEM disabled=move || v.len.get() == 0
                    on:click=move |_| scanner.next_problem(v, false)>
                    "▲"<span class="apc-logv__problem-label">{text::LOG_PREVIOUS_PROBLEM}</span></button>
                <button type="button" class="apc-button apc-button--quiet apc-logv__problem" aria-keyshortcuts="N"
                    title=text::LOG_NEXT_PROBLEM_TITLE aria-label=text::LOG_NEXT_PROBLEM disabled=move || v.len.get() == 0
                    on:click=move |_| scanner.next_problem(v, true)>
                    "▼"<span class="apc-logv__problem-label">{text::LOG_NEXT_PROBLEM}</span></button>
                <ScanProgressOf scanner kind=ScanKind::Problem/>
            </div>
            <FilterStatus v scanner/>
        </div>
    }
}

/// While a filter is on: how many lines it shows of how many read, and the reading's
/// progress and stop button (or a button to read the rest after a stop).
#[component]
fn FilterStatus(v: Viewer, scanner: Scanner) -> impl IntoView {
    let unread = move || {
        let len = v.len.get();
        v.filter.get() != LevelFilter::All && !v.levels.with(|x| x.is_complete(len))
    };
    view! {
        <Show when=move || v.filter.get() != LevelFilter::All>
            <span class="apc-muted apc-logv__count" id="apc-logv-filter-count" role="status">
                {move || v.filter_summary()}
            </span>
        </Show>
        <ScanProgressOf scanner kind=ScanKind::Filter/>
        <Show when=move || unread() && scanner.progress.get().is_none()>
            <button type="button" class="apc-button apc-button--secondary"
                on:click=move |_| scanner.fill_filter(v)>{text::LOG_READ_REST}</button>
        </Show>
    }
}

/// A scan's progress bar, its count of pages and its stop button.
#[component]
fn ScanProgressOf(scanner: Scanner, kind: ScanKind) -> impl IntoView {
    move || {
        scanner.progress_of(kind).map(|p| view! {
            <span class="apc-logv__scan">
                <progress max=p.total.max(1).to_string() value=p.done.to_string() aria-label=text::LOG_READING></progress>
                <span>{text::log_reading(&number(p.done as u64), &number(p.total as u64))}</span>
                <button type="button" class="apc-button apc-button--secondary" on:click=move |_| scanner.stop()>{text::LOG_READ_CANCEL}</button>
            </span>
        })
    }
}
