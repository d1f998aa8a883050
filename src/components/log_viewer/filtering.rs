//! The level filter and problems as the reader meets them: switching the filter keeps the
//! reader's place, pages read while it is on do not move the rows on screen, and "next
//! problem" starts from the marked line or the top of the screen.

use std::ops::Range;

use leptos::prelude::*;

use crate::browser::number;
use crate::log_model::LevelFilter;
use crate::text;

use super::state::Viewer;

impl Viewer {
    /// Shows only the lines `f` admits (what has been read of them; the caller reads the rest),
    /// keeping the marked line, or the line at the top, in view.
    pub fn set_filter(&self, f: LevelFilter) {
        let anchor = self
            .selected
            .get_untracked()
            .unwrap_or_else(|| self.first_visible.get_untracked());
        self.notice.set(None);
        self.filter.set(f);
        if self.follow.get_untracked() {
            self.jump_latest();
            return;
        }
        let me = *self;
        request_animation_frame(move || match me.row_of(anchor) {
            Ok(_) if me.selected.get_untracked() == Some(anchor) => {
                me.keep_marks(|| me.jump_to(anchor))
            }
            _ => me.top_at(anchor),
        });
    }

    /// Runs `f` (which marks a single line) and puts back a marked range.
    fn keep_marks(&self, f: impl FnOnce()) {
        let extent = self.extent.get_untracked();
        f();
        self.extent.set(extent);
    }

    /// Takes in lines read by a scan: into the search, the level index and the cache.
    pub fn absorb_keeping_place(&self, offset: u64, lines: Vec<String>) {
        let indexed = || {
            lines
                .iter()
                .enumerate()
                .map(|(j, l)| (offset + j as u64, l.as_str()))
        };
        if self.search.with_untracked(|s| s.is_active()) {
            self.search.update(|s| s.look(indexed()));
        }
        self.keeping_place(|| self.levels.update(|x| x.look(indexed())));
        self.cache.update(|c| {
            c.insert(offset, lines);
        });
    }

    /// Runs `grow` (which adds lines to the level index). While a filter is on, rows found
    /// above the screen would push it down: the line at the top stays at the top.
    pub fn keeping_place(&self, grow: impl FnOnce()) {
        let anchor = (self.filter.get_untracked() != LevelFilter::All
            && !self.follow.get_untracked())
        .then(|| self.first_visible.get_untracked());
        let before = anchor.map(|a| self.row_of(a));
        grow();
        if let Some(a) = anchor {
            if before != Some(self.row_of(a)) {
                let me = *self;
                request_animation_frame(move || me.top_at(a));
            }
        }
    }

    /// The lines to look for a problem in, and the line the search starts from: after the
    /// marked line (or from the top of the screen) going forward, before it going back.
    pub fn problem_search_range(&self, forward: bool) -> (Range<u64>, u64) {
        let len = self.len.get_untracked();
        let marked = self.selected.get_untracked();
        let top = self.first_visible.get_untracked();
        if forward {
            let from = marked.map_or(top, |m| m + 1);
            (from.min(len)..len, marked.unwrap_or(top))
        } else {
            let to = marked.unwrap_or(top);
            (0..to.min(len), to)
        }
    }

    /// "12 lines in 20,000 of 1,000,000 lines read", or in the whole log.
    pub fn filter_summary(&self) -> String {
        let (f, len) = (self.filter.get(), self.len.get());
        self.levels.with(|x| {
            let n = x.row_count(f, len);
            text::log_filter_count(
                &number(n),
                n == 1,
                &number(x.read_lines().min(len)),
                &number(len),
                x.is_complete(len),
            )
        })
    }
}
