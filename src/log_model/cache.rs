//! What the viewer knows of a log: its length and a bounded set of pages, merged without
//! duplicates (lines never change once written) and evicted least recently used, never the
//! pages on screen nor the tail being followed.

use std::collections::BTreeMap;
use std::ops::Range;

use super::{page_lines, page_of};

/// The lines of one page that are known: `first..first + lines.len()`, inside the page.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Segment {
    first: u64,
    lines: Vec<String>,
    /// When it was last used (for eviction).
    used: u64,
}

impl Segment {
    fn end(&self) -> u64 {
        self.first + self.lines.len() as u64
    }
}

/// What the viewer knows of the log: its length and a bounded set of pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogCache {
    len: u64,
    /// `None` until the first answer told the length.
    known: bool,
    pages: BTreeMap<u64, Segment>,
    capacity: usize,
    clock: u64,
    /// The lines on screen: eviction never takes their pages.
    pinned: Range<u64>,
}

impl LogCache {
    /// A cache that keeps at most `capacity` pages (at least 2).
    pub fn new(capacity: usize) -> LogCache {
        LogCache {
            len: 0,
            known: false,
            pages: BTreeMap::new(),
            capacity: capacity.max(2),
            clock: 0,
            pinned: 0..0,
        }
    }

    /// Lines the log has, as far as the viewer knows.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether any answer has told the length yet.
    pub fn is_known(&self) -> bool {
        self.known
    }

    /// Line `i` (0-based), if it is loaded.
    pub fn line(&self, i: u64) -> Option<&str> {
        let s = self.pages.get(&page_of(i))?;
        if i >= s.first && i < s.end() {
            Some(s.lines[(i - s.first) as usize].as_str())
        } else {
            None
        }
    }

    /// Records lines `offset..offset + lines.len()` (an answer of `offset`/`limit` or `tail`).
    /// Lines never change once written, so overlapping knowledge is merged, never duplicated.
    /// Returns the indices that were not known before.
    pub fn insert(&mut self, offset: u64, lines: Vec<String>) -> Range<u64> {
        self.known = true;
        let end = offset + lines.len() as u64;
        let before = self.len;
        self.len = self.len.max(end);
        self.clock += 1;
        let mut lines = lines.into_iter();
        let mut at = offset;
        while at < end {
            let page = page_of(at);
            let page_end = page_lines(page).end.min(end);
            let chunk: Vec<String> = lines.by_ref().take((page_end - at) as usize).collect();
            self.merge(page, at, chunk);
            at = page_end;
        }
        self.evict();
        before.max(offset)..end.max(before)
    }

    /// Tells the length without lines (a `tail` answer's offset plus its size).
    pub fn note_len(&mut self, len: u64) {
        self.known = true;
        self.len = self.len.max(len);
    }

    fn merge(&mut self, page: u64, first: u64, lines: Vec<String>) {
        let clock = self.clock;
        let new_end = first + lines.len() as u64;
        match self.pages.get_mut(&page) {
            None => {
                self.pages.insert(
                    page,
                    Segment {
                        first,
                        lines,
                        used: clock,
                    },
                );
            }
            Some(s) => {
                s.used = clock;
                if first <= s.end() && new_end >= s.first {
                    // Touching or overlapping: the union.
                    if first < s.first {
                        let mut merged = lines[..(s.first - first) as usize].to_vec();
                        merged.append(&mut s.lines);
                        s.lines = merged;
                        s.first = first;
                    }
                    if new_end > s.end() {
                        let skip = (s.end() - first) as usize;
                        s.lines.extend(lines.into_iter().skip(skip));
                    }
                } else if first > s.first {
                    // A gap: keep the later lines (the ones nearer the tail the viewer follows).
                    *s = Segment {
                        first,
                        lines,
                        used: clock,
                    };
                }
            }
        }
    }

    /// The lines on screen now: their pages are used now and never evicted.
    pub fn touch(&mut self, range: Range<u64>) {
        self.pinned = range.clone();
        self.clock += 1;
        let clock = self.clock;
        for (_, s) in self
            .pages
            .range_mut(page_of(range.start)..=page_of(range.end.max(1) - 1))
        {
            s.used = clock;
        }
    }

    /// Drops the least recently used pages beyond the capacity; never a page on screen nor
    /// the last page (the tail being followed).
    fn evict(&mut self) {
        let last = page_of(self.len.saturating_sub(1));
        let r = &self.pinned;
        let keep = if r.is_empty() {
            0..0
        } else {
            page_of(r.start)..page_of(r.end - 1) + 1
        };
        while self.pages.len() > self.capacity {
            let victim = self
                .pages
                .iter()
                .filter(|(p, _)| **p != last && !keep.contains(p))
                .min_by_key(|(_, s)| s.used)
                .map(|(p, _)| *p);
            match victim {
                Some(p) => {
                    self.pages.remove(&p);
                }
                None => break,
            }
        }
    }

    /// Whether every line of `range` (clipped to the log) is loaded.
    pub fn has_all(&self, range: Range<u64>) -> bool {
        self.missing_pages(range).is_empty()
    }

    /// Pages to fetch so that every line of `range` (clipped to the log) is loaded, in order.
    pub fn missing_pages(&self, range: Range<u64>) -> Vec<u64> {
        let end = range.end.min(self.len);
        if range.start >= end {
            return Vec::new();
        }
        (page_of(range.start)..=page_of(end - 1))
            .filter(|&p| {
                let want = page_lines(p).start.max(range.start)..page_lines(p).end.min(end);
                !self
                    .pages
                    .get(&p)
                    .is_some_and(|s| s.first <= want.start && s.end() >= want.end)
            })
            .collect()
    }

    /// The loaded lines of `range`, with their indices (for search).
    pub fn loaded_in(&self, range: Range<u64>) -> Vec<(u64, &str)> {
        let mut out = Vec::new();
        for (_, s) in self
            .pages
            .range(page_of(range.start)..=page_of(range.end.max(1) - 1))
        {
            for (k, line) in s.lines.iter().enumerate() {
                let i = s.first + k as u64;
                if range.contains(&i) {
                    out.push((i, line.as_str()));
                }
            }
        }
        out
    }

    /// Every loaded range of lines, in order (for search over what is loaded).
    pub fn loaded_ranges(&self) -> Vec<Range<u64>> {
        self.pages.values().map(|s| s.first..s.end()).collect()
    }
}

/// What the tests measure: how much the cache holds.
#[cfg(test)]
impl LogCache {
    fn pages_held(&self) -> usize {
        self.pages.len()
    }

    fn lines_held(&self) -> usize {
        self.pages.values().map(|s| s.lines.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log_model::test_lines as lines;
    use crate::log_model::PAGE;

    #[test]
    fn a_tail_answer_tells_the_length_and_fills_the_last_pages() {
        let mut c = LogCache::new(10);
        assert!(!c.is_known());
        // tail=1000 of a 2,500-line log: lines 1,500..2,500.
        c.insert(1_500, lines(1_500..2_500));
        assert_eq!(c.len(), 2_500);
        assert_eq!(c.line(1_500), Some("line 1500"));
        assert_eq!(c.line(2_499), Some("line 2499"));
        assert_eq!(c.line(1_499), None);
        // The viewport at the end needs nothing; one further up needs page 1 (its head).
        assert!(c.missing_pages(2_460..2_500).is_empty());
        assert!(c.missing_pages(1_600..1_650).is_empty());
        assert_eq!(c.missing_pages(1_450..1_550), vec![1]);
        assert_eq!(c.missing_pages(0..2_500), vec![0, 1]);
        // Past the end is clipped.
        assert!(c.missing_pages(2_400..9_000).is_empty());
    }

    #[test]
    fn fetched_pages_fill_gaps_and_overlaps_never_duplicate() {
        let mut c = LogCache::new(10);
        c.insert(1_500, lines(1_500..2_500));
        c.insert(1_000, lines(1_000..2_000)); // page 1 whole, overlapping the tail fragment
        assert_eq!(c.loaded_in(1_000..2_500).len(), 1_500);
        let got: Vec<u64> = c.loaded_in(0..3_000).into_iter().map(|(i, _)| i).collect();
        assert_eq!(got, (1_000..2_500).collect::<Vec<_>>());
        assert!(c
            .loaded_in(0..3_000)
            .iter()
            .all(|(i, l)| *l == format!("line {i}")));
    }

    #[test]
    fn eviction_keeps_the_viewport_and_the_tail() {
        let mut c = LogCache::new(3);
        c.insert(9_000, lines(9_000..10_000)); // the tail page (9)
        c.insert(0, lines(0..1_000));
        c.touch(0..40); // the viewport is on page 0
        c.insert(1_000, lines(1_000..2_000));
        c.insert(5_000, lines(5_000..6_000));
        assert_eq!(c.pages_held(), 3);
        assert!(c.line(0).is_some(), "the viewport's page stays");
        assert!(c.line(9_999).is_some(), "the tail page stays");
        assert!(c.line(5_000).is_some(), "the newest page stays");
        assert!(c.line(1_000).is_none(), "the least recently used goes");
        assert!(c.lines_held() <= 3 * PAGE as usize);
    }

    #[test]
    fn a_ten_million_line_log_is_held_a_few_pages_at_a_time() {
        const LEN: u64 = 10_000_000;
        let mut c = LogCache::new(20);
        // The tail tells the length; then a reader jumps all over the log, a screen at a time.
        c.insert(LEN - 1_000, lines(LEN - 1_000..LEN));
        assert_eq!(c.len(), LEN);
        for k in 0..500u64 {
            let top = (k * 7_919_993) % (LEN - 40);
            c.touch(top..top + 40);
            for p in c.missing_pages(top..top + 40) {
                let r = page_lines(p);
                c.insert(r.start, lines(r));
            }
            assert!(c.has_all(top..top + 40));
        }
        assert!(c.pages_held() <= 20, "{} pages", c.pages_held());
        assert!(c.lines_held() <= 20 * PAGE as usize);
        assert!(c.line(LEN - 1).is_some(), "the tail page stays");
    }
}
