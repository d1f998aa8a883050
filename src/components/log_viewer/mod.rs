//! The log viewer: every line of a log of any length, of which only the rows on screen (plus
//! a small overscan) are in the page. Tail and follow, pages, go to line, links to lines and
//! ranges (`#L1234`, `#L10-L20`), search over what is loaded and, on request, over the whole
//! log page by page; a level filter, next/previous problem (`n`, Shift+N), and timestamps as
//! written, local, since the start or hidden.
//!
//! The logic lives in `crate::log_model`; here `state` holds the signals and the reader's
//! moves (with `marks`: marked lines and ranges, shown in the browser window; `filtering`: the
//! level filter and problems), `hooks` the effects and requests, `scan` the page-by-page reads
//! beyond what is loaded, `prefs` what is remembered, and `toolbar`, `search_bar`,
//! `view_bar`, `selection` and `rows` draw it.

mod filtering;
mod hooks;
mod marks;
mod prefs;
mod rows;
mod scan;
mod search_bar;
mod selection;
mod state;
mod toolbar;
mod view_bar;

use leptos::prelude::*;

use crate::api::ApiClient;
use crate::browser::number;
use crate::hooks::use_fold;
use crate::job_log::JobLog;
use crate::text;

pub use crate::job_log::LogFeed;
pub use state::ROW_PX;

use hooks::{on_log_key, use_following, use_line_links, use_page_loading, use_viewport_size};
use rows::LogLines;
use scan::use_scan;
use search_bar::SearchBar;
use selection::SelectedLines;
use state::Viewer;
use toolbar::Toolbar;
use view_bar::ViewBar;

#[component]
pub fn LogViewer(
    /// The job whose log this is.
    #[prop(into)]
    id: String,
    feed: LogFeed,
    /// Whether the job still runs (the log may grow).
    #[prop(into)]
    running: Signal<bool>,
    /// The ZIP of the whole log, when the job has logs.
    #[prop(into)]
    download: Signal<Option<String>>,
    /// When the run started (epoch ms, 0 or none when not yet): "since start" times count
    /// from it (without it, from the log's first line).
    #[prop(optional, into)]
    started_at: Signal<Option<i64>>,
) -> impl IntoView {
    let log = JobLog::new(use_context::<ApiClient>(), &id, feed);
    let v = Viewer::new(feed.cache, started_at);
    use_viewport_size(v);
    use_line_links(v);
    use_following(v);
    let load_missing = use_page_loading(v, log.clone());
    let scanner = use_scan(log.clone());
    // On a narrow viewer the tool bar opens folded into "Log tools" (the log keeps the
    // height), decided once from the viewer's own width; the person's toggle stays. Wide,
    // the tool bar shows as it is, without the fold's summary.
    let root = NodeRef::<leptos::html::Div>::new();
    let tools = use_fold(move || root.get().map(|el| el.client_width()));

    view! {
        <div class="apc-logv" class:apc-logv--wrap=move || v.wrap.get() node_ref=root
            on:keydown=move |ev| on_log_key(v, scanner, ev)>
            <div class="apc-sr-only" role="status" aria-live="polite">{move || v.announcement.get()}</div>
            <details class="apc-logv__tools" class:apc-logv__tools--wide=move || tools.wide.get()
                prop:open=move || tools.is_open() on:toggle=move |ev| tools.toggled(ev)>
                <summary class="apc-logv__tools-summary">{text::LOG_TOOLS}</summary>
                <Toolbar v running download/>
            </details>
            <SearchBar v scanner/>
            <ViewBar v scanner/>
            <SelectedLines v log/>
            {move || v.notice.get().map(|n| view! { <p class="apc-muted apc-logv__notice">{n}</p> })}
            {move || v.load_error.get().map(|e| view! {
                <div class="apc-alert apc-alert--notice" role="alert">
                    <p class="apc-alert__text">{text::log_load_failed(&e.message())}</p>
                    <button type="button" class="apc-button apc-button--secondary" on:click=move |_| {
                        v.load_error.set(None);
                        load_missing.run(());
                    }>{text::LOG_RETRY}</button>
                </div>
            })}
            {move || v.pending_jump.get().filter(|t| v.known.get() && t.first > v.len.get()).map(|t| view! {
                <p class="apc-muted">{text::log_line_missing(&number(t.first), &number(v.len.get()))}</p>
            })}
            <LogLines v running/>
            <p class="apc-muted apc-logv__where">
                {move || v.window_rows.get().visible_lines(v.row_count.get()).map(|(first, last)| {
                    let line = |row: u64| {
                        let f = v.filter.get();
                        v.levels.with(|x| x.line_at(f, row - 1)) + 1
                    };
                    text::log_position(&number(line(first)), &number(line(last)), &number(v.len.get()))
                })}
            </p>
        </div>
    }
}
