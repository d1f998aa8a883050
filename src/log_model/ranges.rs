//! A set of line ranges, kept sorted and merged: which lines a search or the level index has
//! looked at, so a count never claims more than was read.

use std::ops::Range;

use super::{page_lines, page_of};

/// A set of line ranges, kept sorted and merged (which lines a search has looked at).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ranges(Vec<Range<u64>>);

impl Ranges {
    pub fn add(&mut self, r: Range<u64>) {
        if r.is_empty() {
            return;
        }
        self.0.push(r);
        self.0.sort_unstable_by_key(|r| (r.start, r.end));
        let mut merged: Vec<Range<u64>> = Vec::with_capacity(self.0.len());
        for r in self.0.drain(..) {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        self.0 = merged;
    }

    pub fn covers(&self, r: &Range<u64>) -> bool {
        r.is_empty() || self.0.iter().any(|m| m.start <= r.start && m.end >= r.end)
    }

    /// How many lines the set holds.
    pub fn count(&self) -> u64 {
        self.0.iter().map(|r| r.end - r.start).sum()
    }

    /// Whether page `p` of a log of `len` lines is in the set completely.
    pub fn covers_page(&self, p: u64, len: u64) -> bool {
        self.covers(&(page_lines(p).start.min(len)..page_lines(p).end.min(len)))
    }

    /// Hands `seen` every line (index, text) not in the set yet, then adds them all: each
    /// line is looked at once, however often it is loaded.
    pub fn look<'a>(
        &mut self,
        lines: impl IntoIterator<Item = (u64, &'a str)>,
        mut seen: impl FnMut(u64, &'a str),
    ) {
        let mut run: Option<Range<u64>> = None;
        for (i, line) in lines {
            if !self.covers(&(i..i + 1)) {
                seen(i, line);
            }
            run = match run {
                Some(r) if r.end == i => Some(r.start..i + 1),
                Some(r) => {
                    self.add(r);
                    Some(i..i + 1)
                }
                None => Some(i..i + 1),
            };
        }
        if let Some(r) = run {
            self.add(r);
        }
    }
}

/// The pages a scan visits, from the page holding `from` towards the end (forward) or the
/// start (backward), skipping pages already in `read`.
pub fn scan_plan(read: &Ranges, len: u64, from: u64, forward: bool) -> Vec<u64> {
    if len == 0 {
        return Vec::new();
    }
    let last = page_of(len - 1);
    let here = page_of(from.min(len - 1));
    let pages: Vec<u64> = if forward {
        (here..=last).collect()
    } else {
        (0..=here).rev().collect()
    };
    pages
        .into_iter()
        .filter(|p| !read.covers_page(*p, len))
        .collect()
}

/// Every page not in `read`, nearest first: from the page holding `from` to the end, then
/// back towards the start (what a filter reads to be complete).
pub fn read_plan(read: &Ranges, len: u64, from: u64) -> Vec<u64> {
    let mut pages = scan_plan(read, len, from, true);
    let mut before = scan_plan(read, len, from, false);
    before.retain(|p| Some(p) != pages.first());
    pages.append(&mut before);
    pages
}

#[cfg(test)]
impl Ranges {
    /// The parts of `r` not in the set.
    fn gaps(&self, r: Range<u64>) -> Vec<Range<u64>> {
        let mut out = Vec::new();
        let mut at = r.start;
        for m in &self.0 {
            if m.end <= at {
                continue;
            }
            if m.start >= r.end {
                break;
            }
            if m.start > at {
                out.push(at..m.start);
            }
            at = at.max(m.end);
        }
        if at < r.end {
            out.push(at..r.end);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_merge_and_find_gaps() {
        let mut r = Ranges::default();
        r.add(10..20);
        r.add(30..40);
        r.add(20..25);
        assert_eq!(r.count(), 25);
        assert!(r.covers(&(12..25)));
        assert!(!r.covers(&(12..26)));
        assert_eq!(r.gaps(0..50), vec![0..10, 25..30, 40..50]);
        r.add(0..100);
        assert_eq!(r.gaps(0..50), vec![]);
    }

    #[test]
    fn each_line_is_looked_at_once_and_plans_skip_what_was_read() {
        let mut r = Ranges::default();
        let mut seen = Vec::new();
        let lines = ["a", "b", "c", "d"];
        r.look((5..8).map(|i| (i, lines[(i - 5) as usize])), |i, _| {
            seen.push(i)
        });
        r.look((6..10).map(|i| (i, "x")), |i, _| seen.push(i));
        assert_eq!(seen, vec![5, 6, 7, 8, 9]);
        assert_eq!(r.count(), 5);
        let mut r = Ranges::default();
        r.add(2_000..3_000);
        assert!(r.covers_page(2, 3_000));
        assert!(!r.covers_page(1, 3_000));
        assert_eq!(scan_plan(&r, 5_500, 2_500, true), vec![3, 4, 5]);
        assert_eq!(scan_plan(&r, 5_500, 2_500, false), vec![1, 0]);
        assert_eq!(scan_plan(&r, 0, 0, true), Vec::<u64>::new());
        assert_eq!(read_plan(&r, 5_500, 3_100), vec![3, 4, 5, 1, 0]);
        assert_eq!(read_plan(&r, 5_500, 99_999), vec![5, 4, 3, 1, 0]);
    }
}
