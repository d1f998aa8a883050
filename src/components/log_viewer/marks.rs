//! Marked lines and ranges: a click on a line number marks it, Shift+click (or Shift+Enter in
//! "go to line") extends the mark to a range; the address follows as `#L10` or `#L10-L20`
//! (replaced, not pushed: a mark is not a page to go back to), and the marked lines are shown
//! in the browser window, not only inside the log's own scroll area.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::browser::number;
use crate::log_model::{parse_span_input, LineSpan};
use crate::text;

use super::state::Viewer;

impl Viewer {
    /// The marked line or range (1-based), if any.
    pub fn span(&self) -> Option<LineSpan> {
        let anchor = self.selected.get()?;
        let other = self.extent.get().unwrap_or(anchor);
        Some(LineSpan::between(anchor + 1, other + 1))
    }

    /// Marks `span` (cut at the log's end) and shows its first line.
    pub fn mark_span(&self, span: LineSpan) {
        let Some(span) = span.within(self.len.get_untracked()) else {
            return;
        };
        self.jump_to(span.first - 1);
        if !span.is_single() {
            self.extent.set(Some(span.last - 1));
        }
    }

    /// A click on line `i`'s number: Shift extends the mark from its anchor to `i`, and the
    /// address names the range. Returns whether the click was taken (the link then must not
    /// navigate).
    pub fn clicked_number(&self, i: u64, shift: bool) -> bool {
        if shift && self.selected.get_untracked().is_some() {
            self.extent.set(Some(i));
            if let Some(s) = self.span_untracked() {
                set_hash(&s.hash());
            }
            true
        } else {
            self.selected.set(Some(i));
            self.extent.set(None);
            false
        }
    }

    fn span_untracked(&self) -> Option<LineSpan> {
        let anchor = self.selected.get_untracked()?;
        let other = self.extent.get_untracked().unwrap_or(anchor);
        Some(LineSpan::between(anchor + 1, other + 1))
    }

    /// "Go to line" with a line ("120") or a range ("120-140"); `extend` (Shift+Enter) marks
    /// from the marked line to the line typed. The address names what is marked.
    pub fn go_to_line(&self, extend: bool) {
        let total = self.len.get_untracked();
        let Some(typed) = parse_span_input(&self.goto_value.get_untracked(), total) else {
            self.goto_error
                .set(Some(text::log_line_out_of_range(&number(total))));
            return;
        };
        self.goto_error.set(None);
        let span = match (extend, self.selected.get_untracked()) {
            (true, Some(anchor)) if typed.is_single() => LineSpan::between(anchor + 1, typed.first),
            _ => typed,
        };
        self.mark_span(span);
        set_hash(&span.hash());
        self.reveal(span.first - 1, false);
    }

    /// Shows line `i`'s row in the browser window (every scrolling ancestor: the page, an AEM
    /// shell around the console), once it is drawn. `settle`: a link opened with the page,
    /// whose layout may still move (the Problems panel arriving above the log): shown again
    /// while it moves, until the reader scrolls or types.
    pub fn reveal(&self, i: u64, settle: bool) {
        let me = *self;
        request_animation_frame(move || {
            request_animation_frame(move || me.scroll_row_into_view(i, settle));
        });
        if !settle {
            return;
        }
        // Plain cells, not reactive values: this may run in an event handler, whose view can
        // be gone before the timers fire.
        let moved = Rc::new(Cell::new(false));
        let stop = {
            let moved = moved.clone();
            move || moved.set(true)
        };
        let handles = [
            window_event_listener(leptos::ev::wheel, {
                let s = stop.clone();
                move |_| s()
            }),
            window_event_listener(leptos::ev::touchmove, {
                let s = stop.clone();
                move |_| s()
            }),
            window_event_listener(leptos::ev::keydown, {
                let s = stop.clone();
                move |_| s()
            }),
            window_event_listener(leptos::ev::pointerdown, move |_| stop()),
        ];
        let handles = Rc::new(RefCell::new(Some(handles)));
        for (k, ms) in [300u64, 1_000, 2_500].into_iter().enumerate() {
            let (moved, handles) = (moved.clone(), handles.clone());
            set_timeout(
                move || {
                    if !moved.get() && !me.row_in_window(i) {
                        me.scroll_row_into_view(i, true);
                    }
                    if k == 2 {
                        if let Some(hs) = handles.borrow_mut().take() {
                            hs.into_iter().for_each(|h| h.remove());
                        }
                    }
                },
                Duration::from_millis(ms),
            );
        }
    }

    fn row_element(&self, i: u64) -> Option<web_sys::Element> {
        // `try_`: a timer may fire after the viewer is gone.
        let scroller = self.scroller.try_get_untracked().flatten()?;
        scroller
            .query_selector(&format!(".apc-logv__row[data-line=\"{}\"]", i + 1))
            .ok()
            .flatten()
    }

    fn scroll_row_into_view(&self, i: u64, center: bool) {
        let Some(row) = self.row_element(i) else {
            return;
        };
        let options = js_sys::Object::new();
        let block = if center { "center" } else { "nearest" };
        let _ = js_sys::Reflect::set(&options, &"block".into(), &block.into());
        let _ = js_sys::Reflect::set(&options, &"inline".into(), &"nearest".into());
        if let Ok(f) = js_sys::Reflect::get(&row, &"scrollIntoView".into()) {
            if let Some(f) = f.dyn_ref::<js_sys::Function>() {
                let _ = f.call1(&row, &options);
            }
        }
    }

    /// Whether line `i`'s row lies inside the browser window.
    fn row_in_window(&self, i: u64) -> bool {
        let Some(row) = self.row_element(i) else {
            return false;
        };
        let edge = |rect: &JsValue, name: &str| {
            js_sys::Reflect::get(rect, &name.into())
                .ok()
                .and_then(|v| v.as_f64())
        };
        let rect = js_sys::Reflect::get(&row, &"getBoundingClientRect".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .and_then(|f| f.call0(&row).ok());
        let height = window()
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(0.0);
        match rect {
            Some(r) => matches!((edge(&r, "top"), edge(&r, "bottom")),
                (Some(t), Some(b)) if t >= 0.0 && b <= height),
            None => false,
        }
    }
}

/// Puts `hash` (`#L10`, `#L10-L20`) in the address bar without a navigation.
pub(super) fn set_hash(hash: &str) {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(hash));
    }
}

/// The URL of this page pointing at `span`.
pub(super) fn span_url(span: LineSpan) -> String {
    let href = window().location().href().unwrap_or_default();
    let base = href.split('#').next().unwrap_or_default();
    format!("{base}{}", span.hash())
}
