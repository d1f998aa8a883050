//! The scroll area that stands for every line, the rows on screen in it, and the "N new
//! lines, jump to latest" button of a paused viewer.

use leptos::prelude::*;

use crate::browser::number;
use crate::log_model::{highlight, level_of, Level};
use crate::text;

use super::state::Viewer;

#[component]
pub(super) fn LogLines(v: Viewer, running: Signal<bool>) -> impl IntoView {
    let new_lines = move || v.len.get().saturating_sub(v.paused_len.get());
    view! {
        <div class="apc-logv__frame">
            <div class="apc-logv__scroller" node_ref=v.scroller tabindex="0" role="region"
                aria-label=text::LOG_LINES_LABEL on:scroll=move |_| v.scrolled()>
                {move || (!v.known.get()).then(|| view! { <p class="apc-muted apc-logv__empty" role="status">{text::LOG_LOADING}</p> })}
                {move || (v.known.get() && v.len.get() == 0).then(|| view! { <p class="apc-muted apc-logv__empty">{text::LOG_EMPTY}</p> })}
                <div class="apc-logv__space" style:height=move || format!("{}px", v.layout.get().total_px())>
                    <div class="apc-logv__rows" role="list" aria-label=text::LOG_LINES_LABEL
                        class:apc-logv__rows--end=move || v.hang_from_end.get()
                        style:transform=move || if v.hang_from_end.get() {
                            "none".to_string()
                        } else {
                            format!("translateY({}px)", v.window_rows.get().top_px)
                        }>
                        <For each=move || v.rows.get() key=|i| *i children=move |i| view! { <LogRow i v/> }/>
                    </div>
                </div>
            </div>
            {move || {
                let new = new_lines();
                (!v.follow.get() && running.get() && new > 0).then(|| view! {
                    <button type="button" class="apc-button apc-button--primary apc-logv__latest" on:click=move |_| v.jump_latest()>
                        {text::log_new_lines(&number(new), new == 1)}
                    </button>
                })
            }}
        </div>
    }
}

/// One line: its number (a link to it), a level marker, and its text with the search's
/// matches marked (as text, never markup).
#[component]
fn LogRow(i: u64, v: Viewer) -> impl IntoView {
    let is_match = Memo::new(move |_| v.search.with(|s| s.is_match(i)));
    let n = i + 1;
    let line = Memo::new(move |_| v.cache.with(|c| c.line(i).map(str::to_owned)));
    let level = move || line.with(|l| l.as_deref().map_or(Level::Other, level_of));
    let is_selected = move || v.selected.get() == Some(i);
    let class = move || {
        let mut c = String::from("apc-logv__row");
        match level() {
            Level::Error => c.push_str(" apc-logv__row--error"),
            Level::Warn => c.push_str(" apc-logv__row--warn"),
            Level::Other => {}
        }
        if is_selected() {
            c.push_str(" apc-logv__row--selected");
        }
        if is_match.get() {
            c.push_str(" apc-logv__row--match");
        }
        c
    };
    view! {
        <div role="listitem" class=class aria-posinset=n.to_string() aria-setsize=move || v.len.get().to_string()
            aria-busy=move || line.with(|l| l.is_none()).to_string() data-line=n.to_string()
            aria-current=move || is_selected().then_some("true")>
            <a class="apc-logv__num" href=format!("#L{n}") rel="external" tabindex="-1"
                aria-label=text::log_line(&n.to_string()) on:click=move |_| v.selected.set(Some(i))>{n}</a>
            <span class="apc-logv__mark" title=move || match level() {
                Level::Error => text::LOG_ERROR_MARK, Level::Warn => text::LOG_WARN_MARK, Level::Other => "" }>
                {move || match level() { Level::Error => "✖", Level::Warn => "▲", Level::Other => "" }}
            </span>
            <span class="apc-logv__text">
                {move || match line.get() {
                    None => view! { <span class="apc-muted">{text::LOG_LINE_LOADING}</span> }.into_any(),
                    Some(l) => {
                        let q = v.highlight_query.get();
                        highlight(&l, &q).into_iter().map(|(piece, hit)| {
                            let piece = piece.to_string();
                            if hit {
                                view! { <mark class="apc-logv__hit">{piece}</mark> }.into_any()
                            } else {
                                piece.into_any()
                            }
                        }).collect_view().into_any()
                    }
                }}
            </span>
        </div>
    }
}
