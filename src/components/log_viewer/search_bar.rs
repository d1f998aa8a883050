//! The viewer's search: the query, stepping through matches, the count of what has been
//! searched, and the scan of the whole log (with its progress and a stop button).

use leptos::prelude::*;

use crate::browser::number;
use crate::text;

use super::scan::{ScanKind, ScanProgress, Scanner};
use super::state::Viewer;

#[component]
pub(super) fn SearchBar(v: Viewer, scanner: Scanner) -> impl IntoView {
    let no_matches = move || v.search.with(|s| s.count() == 0);
    view! {
        <div class="apc-logv__bar apc-logv__search" role="search">
            <label for="apc-logv-find" class="apc-sr-only">{text::LOG_FIND}</label>
            <input id="apc-logv-find" class="apc-input apc-logv__find" type="search" placeholder=text::LOG_FIND
                autocomplete="off" aria-describedby="apc-logv-count"
                prop:value=move || v.query.get()
                on:input=move |ev| {
                    scanner.stop_kind(ScanKind::Search);
                    v.set_query(event_target_value(&ev));
                }
                on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                    if ev.key() == "Enter" {
                        ev.prevent_default();
                        v.step_match(!ev.shift_key());
                    }
                }/>
            <button type="button" class="apc-button apc-button--quiet apc-button--icon" title=text::LOG_FIND_PREVIOUS aria-label=text::LOG_FIND_PREVIOUS
                disabled=no_matches on:click=move |_| v.step_match(false)>"↑"</button>
            <button type="button" class="apc-button apc-button--quiet apc-button--icon" title=text::LOG_FIND_NEXT aria-label=text::LOG_FIND_NEXT
                disabled=no_matches on:click=move |_| v.step_match(true)>"↓"</button>
            <span class="apc-muted apc-logv__count" id="apc-logv-count">
                {move || v.search.with(|s| s.is_active().then(|| {
                    let len = v.len.get();
                    text::log_matches(
                        v.selected.get().and_then(|i| s.position(i)),
                        s.count(),
                        &number(s.searched_lines().min(len)),
                        &number(len),
                        s.is_complete(len),
                    )
                }))}
            </span>
            <ScanControls v scanner/>
        </div>
    }
}

/// "Search to the start / to the end", or a scan's progress and its stop button.
#[component]
fn ScanControls(v: Viewer, scanner: Scanner) -> impl IntoView {
    let unsearched = move || {
        v.search
            .with(|s| s.is_active() && !s.is_complete(v.len.get()))
    };
    move || {
        match scanner.progress_of(ScanKind::Search) {
        Some(ScanProgress { done, total, .. }) => view! {
            <span class="apc-logv__scan">
                <progress max=total.max(1).to_string() value=done.to_string() aria-label=text::LOG_FIND></progress>
                <span>{text::log_scanning(&number(done as u64), &number(total as u64))}</span>
                <button type="button" class="apc-button apc-button--secondary" on:click=move |_| scanner.stop()>{text::LOG_SCAN_CANCEL}</button>
            </span>
        }
        .into_any(),
        None => view! {
            <Show when=unsearched>
                <button type="button" class="apc-button apc-button--secondary" on:click=move |_| scanner.search(v, false)>{text::LOG_SCAN_BACKWARD}</button>
                <button type="button" class="apc-button apc-button--secondary" on:click=move |_| scanner.search(v, true)>{text::LOG_SCAN_FORWARD}</button>
            </Show>
        }
        .into_any(),
    }
    }
}
