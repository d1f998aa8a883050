//! The viewer's state: its signals in one `Copy` struct, and the moves a reader makes
//! (scroll, go to a line, pause and follow, step through matches) as its methods. What can be
//! decided without the DOM is decided in `crate::log_model`.
//!
//! Rows and lines: the virtual list has one row per line, or, while a level filter is on,
//! one row per matching line read so far (`LevelIndex`). `window_rows` and `layout` count
//! rows; `first_visible`, `selected` and `row_lines` are lines.

use std::ops::Range;

use leptos::html::Div;
use leptos::prelude::*;

use crate::api::ClientError;
use crate::browser::number;
use crate::log_model::{
    after_scroll, leading_stamp, page_of, span_from_hash, Layout, LevelFilter, LevelIndex,
    LineSpan, LogCache, Search, Slots, TimeMode, Window, MAX_SCROLL_PX,
};
use crate::text;

use super::prefs;

/// Height of one row in CSS pixels (the stylesheet's `.apc-logv__row` says the same).
pub const ROW_PX: f64 = 20.0;
/// Rows rendered above and below the viewport.
const OVERSCAN: u64 = 10;

#[derive(Clone, Copy)]
pub(super) struct Viewer {
    pub cache: RwSignal<LogCache>,
    pub scroller: NodeRef<Div>,
    pub scroll_top: RwSignal<f64>,
    /// The height rows are drawn for: the scroller's, at most the window's.
    pub viewport: RwSignal<f64>,
    /// The scroller's real height (scroll positions map to lines by it).
    pub scroller_px: RwSignal<f64>,
    pub wrap: RwSignal<bool>,
    /// The marked line (0-based): gone to, clicked, or the current match; a range's anchor.
    pub selected: RwSignal<Option<u64>>,
    /// The other end of a marked range (0-based), set by Shift+click or a `#L10-L20` link.
    pub extent: RwSignal<Option<u64>>,
    /// The WARN and ERROR lines read so far (the level filter, next problem).
    pub levels: RwSignal<LevelIndex>,
    pub filter: RwSignal<LevelFilter>,
    pub times: RwSignal<TimeMode>,
    /// When the run started (epoch ms): "since start" counts from it, or else from the
    /// log's first line.
    pub start_ms: Memo<Option<i64>>,
    /// A visible note on the last move (a hidden line shown by switching the filter off).
    pub notice: RwSignal<Option<String>>,
    /// Whether new lines scroll into view.
    pub follow: RwSignal<bool>,
    /// Lines to show once the log has them (a deep link `#L…` or `#L…-L…`).
    pub pending_jump: RwSignal<Option<LineSpan>>,
    /// The length when following stopped ("N new lines" counts from it).
    pub paused_len: RwSignal<u64>,
    pub load_error: RwSignal<Option<ClientError>>,
    pub search: RwSignal<Search>,
    pub query: RwSignal<String>,
    pub goto_value: RwSignal<String>,
    pub goto_error: RwSignal<Option<String>>,
    /// What screen readers hear (a scan's result).
    pub announcement: RwSignal<String>,
    pub len: Memo<u64>,
    /// Rows of the virtual list: every line, or the lines the filter shows.
    pub row_count: Memo<u64>,
    /// Whether any answer has told the log's length yet.
    pub known: Memo<bool>,
    /// What to mark in the rows: changes with the query, not with each page searched.
    pub highlight_query: Memo<String>,
    pub layout: Memo<Layout>,
    pub window_rows: Memo<Window>,
    /// Wrapped rows are taller than their slots: while following, the rows hang from the
    /// end of the scroll area so the newest line is the last thing in view.
    pub hang_from_end: Memo<bool>,
    /// Row positions rendered (visible plus overscan).
    pub rows: Memo<Range<u64>>,
    /// The lines of the rendered rows, in order.
    pub row_lines: Memo<Vec<u64>>,
    /// Which slot each rendered row takes (`log_model::Slots`): a row keeps its elements
    /// while the window moves by a little, and a jump moves no element.
    pub slots: Memo<Slots>,
    /// The first line at least partly visible.
    pub first_visible: Memo<u64>,
}

impl Viewer {
    /// The state over `cache`; a deep link (`#L…`) opens there instead of at the end.
    pub fn new(cache: RwSignal<LogCache>, started_at: Signal<Option<i64>>) -> Viewer {
        let linked = span_from_hash(&window().location().hash().unwrap_or_default());
        let (scroll_top, viewport, wrap) = (
            RwSignal::new(0.0f64),
            RwSignal::new(400.0f64),
            RwSignal::new(false),
        );
        let (levels, filter) = (
            RwSignal::new(LevelIndex::default()),
            RwSignal::new(LevelFilter::All),
        );
        let follow = RwSignal::new(linked.is_none());
        let search = RwSignal::new(Search::default());
        let len = Memo::new(move |_| cache.with(|c| c.len()));
        let row_count = Memo::new(move |_| levels.with(|x| x.row_count(filter.get(), len.get())));
        let layout = Memo::new(move |_| Layout {
            row_px: ROW_PX,
            len: row_count.get(),
            max_px: MAX_SCROLL_PX,
        });
        let scroller_px = RwSignal::new(400.0f64);
        let window_rows = Memo::new(move |_| {
            let (l, top, shown) = (layout.get(), scroll_top.get(), viewport.get());
            let h = scroller_px.get().max(shown);
            if wrap.get() {
                l.window_wrapped_shown(top, h, shown, OVERSCAN)
            } else {
                l.window_shown(top, h, shown, OVERSCAN)
            }
        });
        let rows = Memo::new(move |_| window_rows.get().rows);
        let slot_count = Memo::new(move |_| window_rows.with(|w| w.visible) + 2 * OVERSCAN);
        Viewer {
            cache,
            scroller: NodeRef::new(),
            scroll_top,
            viewport,
            scroller_px,
            wrap,
            selected: RwSignal::new(None),
            extent: RwSignal::new(None),
            levels,
            filter,
            times: RwSignal::new(prefs::times()),
            start_ms: Memo::new(move |_| {
                started_at
                    .get()
                    .filter(|ms| *ms > 0)
                    .or_else(|| cache.with(|c| c.line(0).and_then(leading_stamp).map(|s| s.ms)))
            }),
            notice: RwSignal::new(None),
            follow,
            pending_jump: RwSignal::new(linked),
            paused_len: RwSignal::new(0),
            load_error: RwSignal::new(None),
            search,
            query: RwSignal::new(String::new()),
            goto_value: RwSignal::new(String::new()),
            goto_error: RwSignal::new(None),
            announcement: RwSignal::new(String::new()),
            len,
            row_count,
            known: Memo::new(move |_| cache.with(|c| c.is_known())),
            highlight_query: Memo::new(move |_| search.with(|s| s.query().to_string())),
            layout,
            window_rows,
            hang_from_end: Memo::new(move |_| {
                wrap.get() && follow.get() && window_rows.with(|w| w.rows.end == row_count.get())
            }),
            rows,
            slots: Memo::new(move |prev: Option<&Slots>| {
                // Slots a screen needs: visible rows plus the overscan both sides.
                Slots::next(prev, rows.get(), slot_count.get())
            }),
            row_lines: Memo::new(move |_| {
                let f = filter.get();
                let r = rows.get();
                levels.with(|x| r.map(|p| x.line_at(f, p)).collect())
            }),
            first_visible: Memo::new(move |_| {
                let p = window_rows.get().first_visible;
                levels.with(|x| x.line_at(filter.get(), p))
            }),
        }
    }

    /// The row of line `i`: `Ok` when shown, else `Err` with the row where it would be.
    pub fn row_of(&self, i: u64) -> Result<u64, u64> {
        let f = self.filter.get_untracked();
        self.levels.with_untracked(|x| x.row_of(f, i))
    }

    /// The first page to fetch for the rows on screen: a page of lines not loaded, or under a
    /// level filter, the page of a problem line whose text is neither loaded nor kept.
    pub fn first_missing_page(&self) -> Option<u64> {
        if self.filter.get_untracked() == LevelFilter::All {
            let want = self.rows.get_untracked();
            return self
                .cache
                .with_untracked(|c| c.missing_pages(want).first().copied());
        }
        let lines = self.row_lines.get_untracked();
        let len = self.len.get_untracked();
        self.cache.with_untracked(|c| {
            self.levels.with_untracked(|x| {
                lines
                    .iter()
                    .find(|&&i| i < len && c.line(i).is_none() && x.text(i).is_none())
                    .map(|&i| page_of(i))
            })
        })
    }

    /// Scrolls so that the scroll area's top is at `px`.
    fn scroll_to_px(&self, px: f64) {
        if let Some(el) = self.scroller.get_untracked() {
            el.set_scroll_top(px.round() as i32);
            self.scroll_top.set(el.scroll_top() as f64);
        }
    }

    pub fn scroll_to_bottom(&self) {
        if let Some(el) = self.scroller.get_untracked() {
            el.set_scroll_top(el.scroll_height());
            self.scroll_top.set(el.scroll_top() as f64);
        }
    }

    /// Stops following; "N new lines" counts from here.
    pub fn pause(&self) {
        self.follow.set(false);
        self.paused_len.set(self.len.get_untracked());
    }

    /// Shows line `i` (0-based) a third down the viewport and marks it. A line the level
    /// filter hides turns the filter off first, and says so.
    pub fn jump_to(&self, i: u64) {
        self.pause();
        self.selected.set(Some(i));
        self.extent.set(None);
        let Ok(row) = self.row_of(i) else {
            self.filter.set(LevelFilter::All);
            self.notice
                .set(Some(text::log_hidden_line_shown(&number(i + 1))));
            // Once the list has every line again (its height drawn), the line can be scrolled to.
            let me = *self;
            let extent = self.extent.get_untracked();
            request_animation_frame(move || {
                me.jump_to(i);
                me.extent.set(extent);
            });
            return;
        };
        let (l, h) = (
            self.layout.get_untracked(),
            self.scroller_px.get_untracked(),
        );
        if self.wrap.get_untracked() {
            // Row heights are unknown: the line goes to the top.
            self.scroll_to_px(l.scroll_for(row, h));
        } else if !self.window_rows.with_untracked(|w| w.has_in_view(row)) {
            self.scroll_to_px(l.scroll_to_show(row, h));
        }
    }

    /// Puts line `i`, or the first row after it, at the top (first/previous/next page).
    pub fn top_at(&self, i: u64) {
        self.pause();
        let row = self.row_of(i).unwrap_or_else(|next| next);
        let px = self
            .layout
            .get_untracked()
            .scroll_for(row, self.scroller_px.get_untracked());
        self.scroll_to_px(px);
    }

    pub fn jump_latest(&self) {
        self.follow.set(true);
        let me = *self;
        request_animation_frame(move || me.scroll_to_bottom());
    }

    /// Reads the viewport's height (never more than the window: a scroll area the page did
    /// not size, without the stylesheet, must not render every line).
    pub fn measure(&self) {
        if let Some(el) = self.scroller.get_untracked() {
            let window_h = window()
                .inner_height()
                .ok()
                .and_then(|h| h.as_f64())
                .unwrap_or(1_000.0);
            let real = el.client_height() as f64;
            let h = real.min(window_h);
            if h > 0.0 {
                self.viewport.set(h);
                self.scroller_px.set(real);
            }
        }
    }

    /// The reader scrolled: at the end it follows, anywhere else it pauses.
    pub fn scrolled(&self) {
        let Some(el) = self.scroller.get_untracked() else {
            return;
        };
        let (last, top) = (self.scroll_top.get_untracked(), el.scroll_top() as f64);
        self.scroll_top.set(top);
        match after_scroll(
            last,
            top,
            el.client_height() as f64,
            el.scroll_height() as f64,
        ) {
            Some(true) => self.follow.set(true),
            Some(false) if self.follow.get_untracked() => self.pause(),
            _ => {}
        }
    }

    /// A new search text: a new search over what is loaded (a scan under way is the caller's
    /// to stop).
    pub fn set_query(&self, q: String) {
        let mut s = Search::new(&q);
        self.cache.with_untracked(|c| s.look_at_cache(c));
        self.query.set(q);
        self.search.set(s);
    }

    /// Enter / Shift+Enter: the next or previous match from the marked line or the screen.
    pub fn step_match(&self, forward: bool) {
        let (marked, top) = (
            self.selected.get_untracked(),
            self.first_visible.get_untracked(),
        );
        if let Some(i) = self.search.with_untracked(|s| s.step(marked, top, forward)) {
            self.jump_to(i);
            self.reveal(i, false);
        }
    }

    /// Where a scan starts: the marked line, or the top of the screen.
    pub fn scan_start(&self) -> u64 {
        self.selected
            .get_untracked()
            .unwrap_or_else(|| self.first_visible.get_untracked())
    }
}
