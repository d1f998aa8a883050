//! The scroll area that stands for every line (or every line the filter shows), the rows on
//! screen in it, and the "N new lines, jump to latest" button of a paused viewer.

use leptos::either::Either;
use leptos::prelude::*;

use crate::browser::number;
use crate::log_model::{highlight, Level, LevelFilter, Marked, RowView, Slots, TimeMode};
use crate::text;

use super::state::Viewer;

#[component]
pub(super) fn LogLines(v: Viewer, running: Signal<bool>) -> impl IntoView {
    let new_lines = move || v.len.get().saturating_sub(v.paused_len.get());
    let slots = SlotViews(StoredValue::new(Vec::new()));
    use_row_views(v, slots);
    let plain = Memo::new(move |_| v.highlight_query.with(String::is_empty));
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
                        // Each rendered row is a slot (`log_model::Slots`) that keeps its
                        // elements while scrolling by a little and takes the line now at its
                        // position: a jump changes texts, it moves no element.
                        <For each=move || v.slots.with(Slots::order) key=|s| *s children=move |s| view! { <LogRow row=slots.signal(v, s) v plain/> }/>
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

/// The rows' views, one signal per slot (grown as slots appear, never shrunk): one effect
/// writes them all (`use_row_views`), and a row's elements follow its slot's signal only. A
/// frame that moves the window over 4,800 lines (scrolling 10,000,000 lines) costs one pass
/// over the slots and the rows whose view changed, not a chain of memos per row, each
/// subscribed to the whole viewer.
#[derive(Clone, Copy)]
struct SlotViews(StoredValue<Vec<ArcRwSignal<RowView>>>);

impl SlotViews {
    /// Slot `slot`'s signal, made if new, holding what the slot shows now.
    fn signal(self, v: Viewer, slot: u64) -> ArcRwSignal<RowView> {
        let now = untrack(|| views(v, slot..slot + 1).pop().flatten())
            .unwrap_or_else(|| RowView::new(0, 1, None, TimeMode::AsWritten, None, |_| 0));
        let mut made = None;
        self.0.update_value(|slots| {
            let k = slot as usize;
            if slots.len() <= k {
                slots.resize_with(k + 1, || ArcRwSignal::new(now.clone()));
            } else if slots[k].with_untracked(|o| *o != now) {
                slots[k].set(now.clone());
            }
            made = Some(slots[k].clone());
        });
        made.expect("the slot was made")
    }
}

/// The one effect that says what every slot shows: each slot's signal is set only when its
/// view changed.
fn use_row_views(v: Viewer, slots: SlotViews) {
    Effect::new(move |_| {
        let n = slots.0.with_value(Vec::len) as u64;
        let fresh = views(v, 0..n);
        slots.0.with_value(|signals| {
            for (signal, new) in signals.iter().zip(fresh) {
                if let Some(new) = new {
                    if signal.with_untracked(|old| *old != new) {
                        signal.set(new);
                    }
                }
            }
        });
    });
}

/// What slots `slots` show now (None for a slot the window leaves empty), read tracked.
fn views(v: Viewer, slots: std::ops::Range<u64>) -> Vec<Option<RowView>> {
    let plan = v.slots.get();
    let (times, start) = (v.times.get(), v.start_ms.get());
    let span = v.span();
    v.row_lines.with(|lines| {
        v.cache.with(|c| {
            v.levels.with(|x| {
                v.search.with(|s| {
                    slots
                        .map(|slot| {
                            let p = plan.row(slot)?;
                            let i = *lines.get((p - plan.rows.start) as usize)?;
                            let text = c.line(i).or_else(|| x.text(i));
                            let mut r = RowView::new(i, p + 1, text, times, start, local_offset_ms);
                            r.marked = match span {
                                Some(m) if m.contains(i + 1) && m.is_single() => Marked::Line,
                                Some(m) if m.contains(i + 1) => Marked::Range,
                                _ => Marked::No,
                            };
                            r.is_match = s.is_match(i);
                            Some(r)
                        })
                        .collect()
                })
            })
        })
    })
}

/// One row slot: the line at its position now (see `views`), its number (a link to it;
/// Shift+click marks a range), a level marker, and its text (its timestamp as the reader
/// chose) with the search's matches marked (as text, never markup).
#[component]
fn LogRow(row: ArcRwSignal<RowView>, v: Viewer, plain: Memo<bool>) -> impl IntoView {
    let row = RwSignal::from(row);
    let n = move || row.with(RowView::number);
    let level = move || row.with(|r| r.level);
    let click = move |ev: leptos::ev::MouseEvent| {
        if v.clicked_number(row.with_untracked(|r| r.line), ev.shift_key()) {
            ev.prevent_default();
        }
    };
    view! {
        <div role="listitem" class=move || row.with(RowView::class)
            aria-posinset=move || row.with(|r| r.position.to_string())
            aria-setsize=move || v.row_count.get().to_string()
            aria-busy=move || row.with(|r| r.is_loading().to_string()) data-line=move || n().to_string()
            aria-current=move || row.with(|r| r.marked != Marked::No).then_some("true")>
            <a class="apc-logv__num" href=move || format!("#L{}", n()) rel="external" tabindex="-1"
                aria-label=move || text::log_line(&n().to_string()) on:click=click>{n}</a>
            <span class="apc-logv__mark" title=move || match level() {
                Level::Error => text::LOG_ERROR_MARK, Level::Warn => text::LOG_WARN_MARK, Level::Other => "" }>
                {move || match level() { Level::Error => "✖", Level::Warn => "▲", Level::Other => "" }}
            </span>
            <span class="apc-logv__text" class:apc-muted=move || row.with(RowView::is_loading)>
                {move || if plain.get() {
                    // Without a search, the same three nodes take each line in place (a
                    // scroll of a screen sets texts, it builds no element).
                    Either::Left(view! {
                        <span class="apc-logv__time" hidden=move || row.with(|r| r.time().is_none())>
                            {move || row.with(|r| r.time().unwrap_or_default().to_string())}
                        </span>
                        {move || if row.with(|r| r.time().is_some()) { " " } else { "" }}
                        {move || row.with(|r| r.rest(text::LOG_LINE_LOADING).to_string())}
                    })
                } else {
                    Either::Right(move || row.with(|r| match &r.text {
                        None => text::LOG_LINE_LOADING.into_any(),
                        Some((time, rest)) => line_text(v, time.as_deref(), rest),
                    }))
                }}
            </span>
        </div>
    }
}

/// A line's text: its time as chosen (if any), then the rest with the search's matches
/// marked.
fn line_text(v: Viewer, time: Option<&str>, rest: &str) -> AnyView {
    let q = v.highlight_query.get();
    let time = time.map(str::to_string);
    view! {
        {time.map(|t| view! { <span class="apc-logv__time">{t}</span>" " })}
        {marked(rest, &q)}
    }
    .into_any()
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
