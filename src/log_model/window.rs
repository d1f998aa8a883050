//! Which rows a viewport shows: fixed-height rows in a scroll area whose height stays under
//! every browser's cap (past it, scroll position maps to a line with a scale factor), and the
//! wrapped-lines variant.

use std::ops::Range;

/// Where rows go: fixed-height rows in a scroll area whose height is capped; past the cap,
/// scroll position maps to line index with a scale factor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Layout {
    /// Height of one row in CSS pixels.
    pub row_px: f64,
    /// Lines in the log.
    pub len: u64,
    /// The tallest scroll area to use (under every browser's cap).
    pub max_px: f64,
}

/// Rows of a viewport.
#[derive(Clone, Debug, PartialEq)]
pub struct Window {
    /// The lines to render (visible plus overscan), clipped to the log.
    pub rows: Range<u64>,
    /// Where the first rendered row goes, from the top of the scroll area, in px.
    pub top_px: f64,
    /// The first line at least partly visible.
    pub first_visible: u64,
    /// Lines that fit in the viewport.
    pub visible: u64,
}

impl Window {
    /// Whether line `i` is on screen now, and not on the last two rows (which may be cut
    /// off): a line gone to that already is stays where it is.
    pub fn has_in_view(&self, i: u64) -> bool {
        i >= self.first_visible && i + 2 < self.first_visible + self.visible
    }

    /// The first and last line on screen (1-based) in a log of `len` lines; None when empty.
    pub fn visible_lines(&self, len: u64) -> Option<(u64, u64)> {
        (len > 0).then(|| {
            let first = self.first_visible + 1;
            (first, (self.first_visible + self.visible).min(len))
        })
    }
}

/// Which slot each rendered row takes: row positions modulo `count` (at least the rows'
/// number), counted from a base. A rendered row keyed by its slot keeps its elements while
/// the window moves by a little: moved by `d` rows, only `d` slots take another row (their
/// elements move to the other end of the list). When more than half the window changes (a
/// jump, a page down, every frame of a scroll over a scaled area: 240 px is 4,800 lines at
/// 10,000,000 lines), the base moves with the window instead: every slot keeps its place in
/// the list and takes another row, so no element moves (a moved element is laid out and
/// styled anew: 35 moved rows cost about 5 ms a frame, measured).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Slots {
    pub rows: Range<u64>,
    pub count: u64,
    /// The row position (modulo `count`) that takes slot 0.
    base: u64,
}

impl Slots {
    /// The slots of `rows` after `prev` (see the type).
    pub fn next(prev: Option<&Slots>, rows: Range<u64>, count: u64) -> Slots {
        let count = count.max(1);
        let base = match prev {
            None => 0,
            Some(p) => {
                let kept = p
                    .rows
                    .end
                    .min(rows.end)
                    .saturating_sub(p.rows.start.max(rows.start));
                let base = p.base % count;
                if rows.is_empty() || p.rows.is_empty() || kept * 2 >= rows.end - rows.start {
                    base
                } else {
                    // The window's first row takes the slot the last window's first row had.
                    (base + count - p.rows.start % count + rows.start % count) % count
                }
            }
        };
        Slots { rows, count, base }
    }

    /// The slot of row position `p`.
    pub fn of(&self, p: u64) -> u64 {
        (p % self.count + self.count - self.base) % self.count
    }

    /// The slots of the window's rows, in order.
    pub fn order(&self) -> Vec<u64> {
        self.rows.clone().map(|p| self.of(p)).collect()
    }

    /// The row position slot `slot` holds (None when the window is shorter than the slots
    /// and leaves it empty).
    pub fn row(&self, slot: u64) -> Option<u64> {
        let c = self.count;
        let p = self.rows.start + (slot % c + self.base + c - self.rows.start % c) % c;
        self.rows.contains(&p).then_some(p)
    }
}

/// Whether the window went from `from` to `to` by a jump: no row in common (a scroll over a
/// scaled area moves thousands of lines a frame, a "go to line", the first page). The first
/// window (from none) is not a jump: its lines are wanted at once.
pub fn is_jump(from: &Range<u64>, to: &Range<u64>) -> bool {
    !from.is_empty() && (from.end <= to.start || to.end <= from.start)
}

/// A safe scroll-area height for every browser: Firefox caps near 17.9 million px.
pub const MAX_SCROLL_PX: f64 = 10_000_000.0;

impl Layout {
    /// The height the lines would need without a cap.
    pub fn natural_px(&self) -> f64 {
        self.len as f64 * self.row_px
    }

    /// The scroll area's height.
    pub fn total_px(&self) -> f64 {
        self.natural_px().min(self.max_px)
    }

    /// Position in "natural" pixels for a scroll position.
    fn natural_at(&self, scroll_top: f64, height: f64) -> f64 {
        let (natural, total) = (self.natural_px(), self.total_px());
        if natural <= total || total <= height {
            return scroll_top.max(0.0);
        }
        let s = scroll_top.clamp(0.0, total - height);
        s * (natural - height) / (total - height)
    }

    /// The rows for a viewport at `scroll_top` of `height` px, with `overscan` rows each side.
    pub fn window(&self, scroll_top: f64, height: f64, overscan: u64) -> Window {
        self.window_shown(scroll_top, height, height, overscan)
    }

    /// As `window`, for a scroll area `height` px tall whose rows are drawn for its first
    /// `shown` px only (what a screen can show of a scroll area taller than the window). The
    /// scroll position maps to a line by the real height: with a scale factor (20 at
    /// 10,000,000 lines) a height counted short would leave the last lines out of reach.
    pub fn window_shown(&self, scroll_top: f64, height: f64, shown: f64, overscan: u64) -> Window {
        let visible = (shown.min(height) / self.row_px).ceil().max(1.0) as u64 + 1;
        if self.len == 0 {
            return Window {
                rows: 0..0,
                top_px: 0.0,
                first_visible: 0,
                visible,
            };
        }
        let pos = self.natural_at(scroll_top, height);
        let first = ((pos / self.row_px).floor() as u64).min(self.len - 1);
        let start = first.saturating_sub(overscan);
        let end = (first + visible + overscan).min(self.len);
        // The first visible row sits at scroll_top minus the part of it scrolled past.
        let within = pos - first as f64 * self.row_px;
        let top_px = scroll_top.max(0.0) - within - (first - start) as f64 * self.row_px;
        Window {
            rows: start..end,
            top_px,
            first_visible: first,
            visible,
        }
    }

    /// The rows when lines wrap (rows taller than `row_px`): scrolling moves a line at a time,
    /// the first visible line is drawn at the viewport's top edge (nothing rendered above it,
    /// since the heights above are unknown), and the overscan is all below.
    pub fn window_wrapped(&self, scroll_top: f64, height: f64, overscan: u64) -> Window {
        self.window_wrapped_shown(scroll_top, height, height, overscan)
    }

    /// `window_wrapped` for a scroll area drawn for its first `shown` px (see `window_shown`).
    pub fn window_wrapped_shown(
        &self,
        scroll_top: f64,
        height: f64,
        shown: f64,
        overscan: u64,
    ) -> Window {
        let mut w = self.window_shown(scroll_top, height, shown, overscan);
        if w.rows.is_empty() {
            return w;
        }
        let skipped = w.first_visible - w.rows.start;
        w.top_px += skipped as f64 * self.row_px;
        w.rows = w.first_visible..(w.rows.end + skipped).min(self.len);
        w
    }

    /// The scroll position that puts line `i` at the top of a viewport of `height` px.
    pub fn scroll_for(&self, i: u64, height: f64) -> f64 {
        let (natural, total) = (self.natural_px(), self.total_px());
        let pos = (i.min(self.len) as f64 * self.row_px).max(0.0);
        let s = if natural <= total || total <= height {
            pos
        } else {
            pos * (total - height) / (natural - height)
        };
        s.clamp(0.0, (total - height).max(0.0))
    }

    /// The scroll position that shows line `i` about a third down the viewport.
    pub fn scroll_to_show(&self, i: u64, height: f64) -> f64 {
        let rows_above = ((height / self.row_px) / 3.0).floor() as u64;
        self.scroll_for(i.saturating_sub(rows_above), height)
    }
}

/// Whether a scroll area is at its bottom (within a few pixels).
pub fn at_bottom(scroll_top: f64, client_height: f64, scroll_height: f64) -> bool {
    scroll_top + client_height >= scroll_height - 4.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scroll_area_taller_than_the_window_still_reaches_the_last_line() {
        // 10,000,000 lines, a scroller of 943 px in a window of 900 px: rows for 900 px, the
        // scroll position mapped by the real 943 px.
        let l = Layout {
            row_px: 20.0,
            len: 10_000_000,
            max_px: MAX_SCROLL_PX,
        };
        let bottom = l.total_px() - 943.0;
        let w = l.window_shown(bottom, 943.0, 900.0, 20);
        assert_eq!(w.rows.end, 10_000_000);
        assert_eq!(w.visible, 46);
        // Counted short, the last 43 lines were out of reach (more than the overscan).
        let short = l.window(bottom, 900.0, 20);
        assert!(short.rows.end < 10_000_000 - 20);
    }

    #[test]
    fn slots_keep_their_rows_while_the_window_moves() {
        // 80 slots; a window of 80 rows from row 100.
        let before = Slots::next(None, 100..180, 80);
        let order = before.order();
        assert_eq!(order.len(), 80);
        let mut sorted = order.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 80, "every slot once");
        // Moved by 3 rows: 77 slots keep their row, 3 take the new rows.
        let after = Slots::next(Some(&before), 103..183, 80);
        let kept = (103..180).filter(|&p| before.of(p) == after.of(p)).count();
        assert_eq!(kept, 77);
        let moved = after.order();
        assert_eq!(
            moved[..77],
            order[3..],
            "the rows that stay keep their slots, in order"
        );
        assert_eq!(
            moved[77..],
            order[..3],
            "the three slots that left take the new rows"
        );
        // Each slot names its row, both ways; a window shorter than the slots leaves some empty.
        for (k, s) in moved.iter().enumerate() {
            assert_eq!(after.row(*s), Some(103 + k as u64));
        }
        let short = Slots::next(None, 0..10, 80);
        assert_eq!(short.row(9), Some(9));
        assert_eq!(short.row(10), None);
        let empty = Slots::next(None, 0..0, 80);
        assert_eq!(empty.order(), Vec::<u64>::new());
        assert_eq!(empty.row(0), None);
    }

    #[test]
    fn a_jump_shares_no_row() {
        assert!(!is_jump(&(100..180), &(103..183)));
        assert!(!is_jump(&(100..180), &(179..259)));
        assert!(is_jump(&(100..180), &(180..260)));
        assert!(is_jump(&(4_800..4_880), &(0..80)));
        assert!(
            !is_jump(&(0..0), &(9_999_950..10_000_000)),
            "the first window"
        );
    }

    #[test]
    fn a_jump_keeps_every_slot_in_its_place() {
        let mut s = Slots::next(None, 100..180, 80);
        s = Slots::next(Some(&s), 103..183, 80);
        let order = s.order();
        // Far jumps (a scroll area scaled for 10,000,000 lines), down and up: the same slots in
        // the same order, each with another row; no element would move.
        for start in [5_000_000, 5_004_800, 17, 9_999_920] {
            let next = Slots::next(Some(&s), start..start + 80, 80);
            assert_eq!(next.order(), order, "from {start}");
            for (k, slot) in order.iter().enumerate() {
                assert_eq!(next.row(*slot), Some(start + k as u64));
            }
            s = next;
        }
        // More than half the window new (a page down): the same.
        let next = Slots::next(Some(&s), s.rows.start + 60..s.rows.end + 60, 80);
        assert_eq!(next.order(), order);
        // Half or more kept: rows keep their slots.
        let half = Slots::next(Some(&s), s.rows.start + 40..s.rows.end + 40, 80);
        assert!((s.rows.start + 40..s.rows.end).all(|p| half.of(p) == s.of(p)));
        // A window that grows (the viewer made taller) names every slot once.
        let taller = Slots::next(Some(&s), s.rows.start..s.rows.start + 100, 100);
        let mut slots = taller.order();
        slots.sort_unstable();
        assert_eq!(slots, (0..100).collect::<Vec<_>>());
    }

    /// `len` lines of 20 px under the usual cap.
    fn rows_of_20px(len: u64) -> Layout {
        Layout {
            row_px: 20.0,
            len,
            max_px: MAX_SCROLL_PX,
        }
    }

    #[test]
    fn window_shows_only_the_visible_rows_plus_overscan() {
        let l = rows_of_20px(1_000_000);
        let w = l.window(0.0, 400.0, 10);
        assert_eq!(w.rows, 0..31);
        assert_eq!(w.first_visible, 0);
        assert!(w.rows.end - w.rows.start <= 200);
        // 400 px of 20 px rows: 21 lines, of which the last two may be cut off.
        assert_eq!(w.visible, 21);
        assert!(w.has_in_view(0) && w.has_in_view(18));
        assert!(!w.has_in_view(19), "too near the bottom edge");
        assert_eq!(w.visible_lines(1_000_000), Some((1, 21)));
        assert_eq!(w.visible_lines(5), Some((1, 5)));
        assert_eq!(w.visible_lines(0), None);
        let bottom = l.total_px() - 400.0;
        let w = l.window(bottom, 400.0, 10);
        assert_eq!(w.rows.end, 1_000_000, "the last line is reachable");
        assert!(w.first_visible >= 1_000_000 - 21);
        assert!(w.rows.end - w.rows.start <= 200);
    }

    #[test]
    fn wrapped_lines_start_at_the_viewport_top_with_the_overscan_below() {
        let l = rows_of_20px(1_000);
        let w = l.window_wrapped(2_010.0, 400.0, 10);
        assert_eq!(w.first_visible, 100);
        assert_eq!(w.rows.start, 100, "nothing above the first visible line");
        assert_eq!(w.rows.end, 100 + 21 + 20, "the overscan moved below");
        assert_eq!(w.top_px, 2_000.0, "drawn where the line's slot begins");
        let end = l.window_wrapped(l.total_px() - 400.0, 400.0, 10);
        assert_eq!(end.rows.end, 1_000);
    }

    #[test]
    fn a_million_lines_stay_under_the_browsers_height_cap() {
        let l = rows_of_20px(1_000_000);
        assert!(l.natural_px() > 17_900_000.0);
        assert_eq!(l.total_px(), MAX_SCROLL_PX);
        // Scrolling to a line and reading the window back gives that line at the top.
        for i in [0, 1, 499_999, 765_432, 999_980] {
            let s = l.scroll_for(i, 400.0);
            assert!(s <= l.total_px() - 400.0);
            let w = l.window(s, 400.0, 5);
            assert!(
                w.first_visible.abs_diff(i) <= 1,
                "line {i}: first visible {}",
                w.first_visible
            );
            // The first visible row is drawn at the viewport's top edge (within a row).
            let drawn = w.top_px + (w.first_visible - w.rows.start) as f64 * 20.0;
            assert!(
                (drawn - s).abs() <= 20.0,
                "line {i}: drawn at {drawn}, top {s}"
            );
        }
        // A small log is not scaled.
        let small = rows_of_20px(100);
        assert_eq!(small.total_px(), 2_000.0);
        assert_eq!(small.window(200.0, 400.0, 0).first_visible, 10);
        assert_eq!(small.window(200.0, 400.0, 0).top_px, 200.0);
    }
}
