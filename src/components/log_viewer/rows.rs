//! The scroll area that stands for every line (or every line the filter shows), the rows on
//! screen in it, and the "N new lines, jump to latest" button of a paused viewer.

use leptos::either::Either;
use leptos::prelude::*;

use crate::browser::number;
use crate::log_model::{highlight, level_of, restamp, Level, LevelFilter};
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
                {move || {
                    let (f, len) = (v.filter.get(), v.len.get());
                    (f != LevelFilter::All && len > 0 && v.row_count.get() == 0).then(|| {
                        let complete = v.levels.with(|x| x.is_complete(len));
                        view! { <p class="apc-muted apc-logv__empty">{text::log_filter_empty(f == LevelFilter::Errors, complete)}</p> }
                    })
                }}
                <div class="apc-logv__space" style:height=move || format!("{}px", v.layout.get().total_px())>
                    <div class="apc-logv__rows" role="list" aria-label=text::LOG_LINES_LABEL
                        class:apc-logv__rows--end=move || v.hang_from_end.get()
                        style:transform=move || if v.hang_from_end.get() {
                            "none".to_string()
                        } else {
                            format!("translateY({}px)", v.window_rows.get().top_px)
                        }>
                        // Each rendered row is a slot (row position modulo the slots a screen
                        // needs) that keeps its elements while scrolling and takes the line now
                        // at its position: a jump of a screen changes texts, not elements.
                        <For each=move || v.slots.get() key=|s| *s children=move |s| view! { <LogRow place=s v/> }/>
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

/// One row slot: the line at its position now (see `Viewer::slot_line`), its number (a link
/// to it; Shift+click marks a range), a level marker, and its text (its timestamp as the
/// reader chose) with the search's matches marked (as text, never markup).
#[component]
fn LogRow(place: u64, v: Viewer) -> impl IntoView {
    let at = Memo::new(move |_| v.slot_line(place));
    let i = move || at.get().unwrap_or(0);
    let is_match = Memo::new(move |_| {
        let i = i();
        v.search.with(|s| s.is_match(i))
    });
    let n = move || i() + 1;
    let line = Memo::new(move |_| {
        let i = i();
        v.cache
            .with(|c| c.line(i).map(str::to_owned))
            .or_else(|| v.levels.with(|x| x.text(i).map(str::to_owned)))
    });
    let level = Memo::new(move |_| line.with(|l| l.as_deref().map_or(Level::Other, level_of)));
    // The line as shown without a search: the time to show (if any) and the rest, or
    // "loading" while its page is not here.
    let plain = Memo::new(move |_| v.highlight_query.with(String::is_empty));
    let pieces = Memo::new(move |_| {
        line.with(|l| match l.as_deref() {
            None => (None, text::LOG_LINE_LOADING.to_string()),
            Some(l) => match restamp(l, v.times.get(), v.start_ms.get(), local_offset_ms) {
                None => (None, l.to_string()),
                Some((time, rest)) => (time, rest.to_string()),
            },
        })
    });
    let is_marked = Memo::new(move |_| v.is_marked(i()));
    let position = move || {
        let (f, i) = (v.filter.get(), i());
        v.levels.with(|x| x.row_of(f, i).unwrap_or_else(|p| p)) + 1
    };
    let class = move || {
        let mut c = String::from("apc-logv__row");
        match level.get() {
            Level::Error => c.push_str(" apc-logv__row--error"),
            Level::Warn => c.push_str(" apc-logv__row--warn"),
            Level::Other => {}
        }
        if is_marked.get() {
            c.push_str(" apc-logv__row--selected");
            if v.extent.get().is_some_and(|e| Some(e) != v.selected.get()) {
                c.push_str(" apc-logv__row--range");
            }
        }
        if is_match.get() {
            c.push_str(" apc-logv__row--match");
        }
        c
    };
    let click = move |ev: leptos::ev::MouseEvent| {
        if v.clicked_number(at.get_untracked().unwrap_or(0), ev.shift_key()) {
            ev.prevent_default();
        }
    };
    view! {
        <div role="listitem" class=class aria-posinset=move || position().to_string() aria-setsize=move || v.row_count.get().to_string()
            aria-busy=move || line.with(|l| l.is_none()).to_string() data-line=move || n().to_string()
            aria-current=move || is_marked.get().then_some("true")>
            <a class="apc-logv__num" href=move || format!("#L{}", n()) rel="external" tabindex="-1"
                aria-label=move || text::log_line(&n().to_string()) on:click=click>{n}</a>
            <span class="apc-logv__mark" title=move || match level.get() {
                Level::Error => text::LOG_ERROR_MARK, Level::Warn => text::LOG_WARN_MARK, Level::Other => "" }>
                {move || match level.get() { Level::Error => "✖", Level::Warn => "▲", Level::Other => "" }}
            </span>
            <span class="apc-logv__text" class:apc-muted=move || line.with(Option::is_none)>
                {move || if plain.get() {
                    // Without a search, the same three nodes take each line in place (a
                    // scroll of a screen sets texts, it builds no element).
                    Either::Left(view! {
                        <span class="apc-logv__time" hidden=move || pieces.with(|p| p.0.is_none())>
                            {move || pieces.with(|p| p.0.clone().unwrap_or_default())}
                        </span>
                        {move || if pieces.with(|p| p.0.is_some()) { " " } else { "" }}
                        {move || pieces.with(|p| p.1.clone())}
                    })
                } else {
                    Either::Right(move || match line.get() {
                        None => text::LOG_LINE_LOADING.into_any(),
                        Some(l) => line_text(v, &l),
                    })
                }}
            </span>
        </div>
    }
}

/// A line's text: its timestamp as chosen (as written, local, since start or hidden), then
/// the rest with the search's matches marked.
fn line_text(v: Viewer, line: &str) -> AnyView {
    let q = v.highlight_query.get();
    match restamp(line, v.times.get(), v.start_ms.get(), local_offset_ms) {
        None => marked(line, &q).into_any(),
        Some((time, rest)) => view! {
            {time.map(|t| view! { <span class="apc-logv__time">{t}</span>" " })}
            {marked(rest, &q)}
        }
        .into_any(),
    }
}

/// `text` with the matches of `query` in `<mark>`.
fn marked(text: &str, query: &str) -> impl IntoView {
    highlight(text, query)
        .into_iter()
        .map(|(piece, hit)| {
            let piece = piece.to_string();
            if hit {
                view! { <mark class="apc-logv__hit">{piece}</mark> }.into_any()
            } else {
                piece.into_any()
            }
        })
        .collect_view()
}

/// The reader's time zone at `ms`: local time minus UTC, in ms (daylight saving included).
fn local_offset_ms(ms: i64) -> i64 {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    -(date.get_timezone_offset() * 60_000.0) as i64
}
