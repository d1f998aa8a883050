//! The log viewer: every line of a log of any length, of which only the rows on screen (plus
//! a small overscan) are in the page. Tail and follow, pages, go to line, links to lines
//! (`#L1234`), search over what is loaded and, on request, over the whole log page by page.
//!
//! The logic lives in `crate::log_model`; here `state` holds the signals and the reader's
//! moves, `hooks` the effects and requests, and `toolbar`, `search_bar` and `rows` draw it.

mod feed;
mod hooks;
mod rows;
mod search_bar;
mod state;
mod toolbar;

use leptos::prelude::*;

use crate::api::ApiClient;
use crate::browser::{copy_text, number};
use crate::text;

pub use feed::LogFeed;
pub use state::ROW_PX;

use hooks::{use_following, use_line_links, use_page_loading, use_scan, use_viewport_size};
use rows::LogLines;
use search_bar::SearchBar;
use state::{line_url, Viewer};
use toolbar::Toolbar;

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
) -> impl IntoView {
    let client = use_context::<ApiClient>();
    let v = Viewer::new(feed.cache);
    use_viewport_size(v);
    use_line_links(v);
    use_following(v);
    let load_missing = use_page_loading(v, client.clone(), id.clone());
    let scanner = use_scan(v, client, id);

    view! {
        <div class="apc-logv" class:apc-logv--wrap=move || v.wrap.get()>
            <div class="apc-sr-only" role="status" aria-live="polite">{move || v.announcement.get()}</div>
            <Toolbar v running download/>
            <SearchBar v scanner/>
            <SelectedLine v/>
            {move || v.load_error.get().map(|e| view! {
                <div class="apc-alert apc-alert--notice" role="alert">
                    <p class="apc-alert__text">{text::log_load_failed(&e.message())}</p>
                    <button type="button" class="apc-button apc-button--secondary" on:click=move |_| {
                        v.load_error.set(None);
                        load_missing.run(());
                    }>{text::LOG_RETRY}</button>
                </div>
            })}
            {move || v.pending_jump.get().filter(|t| v.known.get() && *t >= v.len.get()).map(|t| view! {
                <p class="apc-muted">{text::log_line_missing(&number(t + 1), &number(v.len.get()))}</p>
            })}
            <LogLines v running/>
            <p class="apc-muted apc-logv__where">
                {move || v.window_rows.get().visible_lines(v.len.get()).map(|(first, last)| {
                    text::log_position(&number(first), &number(last), &number(v.len.get()))
                })}
            </p>
        </div>
    }
}

/// The marked line, with buttons to copy it or a link to it.
#[component]
fn SelectedLine(v: Viewer) -> impl IntoView {
    move || {
        v.selected.get().filter(|i| *i < v.len.get()).map(|i| {
            let n = i + 1;
            let copy_line = move |_| {
                if let Some(l) = v.cache.with_untracked(|c| c.line(i).map(str::to_owned)) {
                    copy_text(&l);
                }
            };
            view! {
                <div class="apc-logv__bar apc-logv__selected">
                    <span>{text::log_line_selected(&number(n))}</span>
                    <button type="button" class="apc-button apc-button--quiet" on:click=copy_line>{text::LOG_COPY_LINE}</button>
                    <button type="button" class="apc-button apc-button--quiet" on:click=move |_| copy_text(&line_url(n))>
                        {text::LOG_COPY_LINK}</button>
                </div>
            }
        })
    }
}
