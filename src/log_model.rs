//! The log viewer's logic, pure and tested natively: which lines are known (a bounded cache of
//! pages), how a growing log is followed without gaps or duplicates, which rows a viewport
//! shows (with the scale that keeps a million lines under the browser's height cap), which
//! pages to fetch, and search over what is loaded.
//!
//! The contract offers only `offset`/`limit` pages (at most 1,000 lines), `tail=N` (whose
//! `offset` tells the log's length) and `hasMore`; no total and no search. Everything below
//! stands on those three.

use std::collections::BTreeMap;
use std::ops::Range;

/// Lines per page: what one request asks for (the contract's maximum).
pub const PAGE: u64 = 1_000;

/// Index of the page that holds line `i` (0-based).
pub fn page_of(i: u64) -> u64 {
    i / PAGE
}

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

    /// Pages held now.
    pub fn pages_held(&self) -> usize {
        self.pages.len()
    }

    /// Lines held now.
    pub fn lines_held(&self) -> usize {
        self.pages.values().map(|s| s.lines.len()).sum()
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
            let page_end = ((page + 1) * PAGE).min(end);
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
                let want = (p * PAGE).max(range.start)..((p + 1) * PAGE).min(end);
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

/// The next request that follows a growing log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grow {
    /// `tail=N`: the first look, or after falling behind by more than a page.
    Tail(u64),
    /// `offset`/`limit` from the known length: exactly the new lines.
    From { offset: u64, limit: u64 },
}

/// Follows a log that grows: asks from the known length so no line is missed or repeated,
/// and jumps to the tail when it fell behind (the skipped lines are fetched when shown).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Follower {
    behind: bool,
}

impl Follower {
    /// The request to make now, given what the cache knows.
    pub fn next(&self, cache: &LogCache) -> Grow {
        if !cache.is_known() || self.behind {
            Grow::Tail(PAGE)
        } else {
            Grow::From {
                offset: cache.len(),
                limit: PAGE,
            }
        }
    }

    /// Records an answer: lines from `offset`, and the contract's `hasMore`.
    /// Returns the new lines' range.
    pub fn answered(
        &mut self,
        cache: &mut LogCache,
        offset: u64,
        lines: Vec<String>,
        has_more: bool,
    ) -> Range<u64> {
        let asked_tail = !cache.is_known() || self.behind;
        let got = lines.len() as u64;
        let new = cache.insert(offset, lines);
        // After `offset`/`limit`, more lines than a page means we fell behind: ask the tail.
        self.behind = !asked_tail && has_more && got >= PAGE;
        new
    }
}

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
        let visible = (height / self.row_px).ceil().max(1.0) as u64 + 1;
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
        let mut w = self.window(scroll_top, height, overscan);
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

/// A line's level as the reference server and AEM write it: `<timestamp> <LEVEL> <message>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Error,
    Warn,
    Other,
}

pub fn level_of(line: &str) -> Level {
    match line.split(' ').nth(1) {
        Some("ERROR") => Level::Error,
        Some("WARN") | Some("WARNING") => Level::Warn,
        _ => Level::Other,
    }
}

/// The line a URL fragment names: `#L1234` is line 1,234 (1-based), as GitHub writes it.
pub fn line_from_hash(hash: &str) -> Option<u64> {
    let digits = hash.strip_prefix('#').unwrap_or(hash).strip_prefix('L')?;
    digits.parse::<u64>().ok().filter(|n| *n >= 1)
}

/// Byte ranges of the non-overlapping occurrences of `query` in `line`, ignoring ASCII case.
/// (A match of the query's complete UTF-8 sequences always starts and ends on char
/// boundaries, so the ranges can slice the line.)
pub fn find_all(line: &str, query: &str) -> Vec<Range<usize>> {
    let (hay, needle) = (line.as_bytes(), query.as_bytes());
    let mut out = Vec::new();
    if needle.is_empty() || needle.len() > hay.len() {
        return out;
    }
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        if hay[i..i + needle.len()].eq_ignore_ascii_case(needle) {
            out.push(i..i + needle.len());
            i += needle.len();
        } else {
            i += 1;
        }
    }
    out
}

/// `line` cut into pieces, each marked when it is a match of `query`.
pub fn highlight<'a>(line: &'a str, query: &str) -> Vec<(&'a str, bool)> {
    let mut out = Vec::new();
    let mut at = 0;
    for r in find_all(line, query) {
        if r.start > at {
            out.push((&line[at..r.start], false));
        }
        out.push((&line[r.clone()], true));
        at = r.end;
    }
    if at < line.len() || out.is_empty() {
        out.push((&line[at..], false));
    }
    out
}

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

    /// The parts of `r` not in the set.
    pub fn gaps(&self, r: Range<u64>) -> Vec<Range<u64>> {
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

/// A search over a log that has no search of its own: the lines searched so far and the
/// lines that matched, found in what is loaded and in pages scanned on request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Search {
    query: String,
    searched: Ranges,
    matches: std::collections::BTreeSet<u64>,
}

impl Search {
    /// A new search (an empty query matches nothing).
    pub fn new(query: &str) -> Search {
        Search {
            query: query.trim().to_string(),
            ..Search::default()
        }
    }

    pub fn query(&self) -> &str {
        &self.query
    }

    pub fn is_active(&self) -> bool {
        !self.query.is_empty()
    }

    /// Looks at lines (index, text) not searched before.
    pub fn look<'a>(&mut self, lines: impl IntoIterator<Item = (u64, &'a str)>) {
        if self.query.is_empty() {
            return;
        }
        let mut run: Option<Range<u64>> = None;
        for (i, line) in lines {
            if !self.searched.covers(&(i..i + 1)) && !find_all(line, &self.query).is_empty() {
                self.matches.insert(i);
            }
            run = match run {
                Some(r) if r.end == i => Some(r.start..i + 1),
                Some(r) => {
                    self.searched.add(r);
                    Some(i..i + 1)
                }
                None => Some(i..i + 1),
            };
        }
        if let Some(r) = run {
            self.searched.add(r);
        }
    }

    /// Looks at everything the cache holds.
    pub fn look_at_cache(&mut self, cache: &LogCache) {
        for r in cache.loaded_ranges() {
            if !self.searched.covers(&r) {
                self.look(cache.loaded_in(r));
            }
        }
    }

    pub fn is_match(&self, i: u64) -> bool {
        self.matches.contains(&i)
    }

    pub fn count(&self) -> usize {
        self.matches.len()
    }

    /// Lines searched so far.
    pub fn searched_lines(&self) -> u64 {
        self.searched.count()
    }

    /// Whether every line of `0..len` has been searched.
    pub fn is_complete(&self, len: u64) -> bool {
        self.searched.covers(&(0..len))
    }

    /// Whether page `p` of a log of `len` lines has been searched completely.
    pub fn has_searched_page(&self, p: u64, len: u64) -> bool {
        self.searched
            .covers(&((p * PAGE).min(len)..((p + 1) * PAGE).min(len)))
    }

    /// The first match after line `from` (wrapping round to the start).
    pub fn next_after(&self, from: Option<u64>) -> Option<u64> {
        let start = from.map_or(0, |f| f + 1);
        self.matches
            .range(start..)
            .next()
            .or_else(|| self.matches.iter().next())
            .copied()
    }

    /// The last match before line `from` (wrapping round to the end).
    pub fn previous_before(&self, from: Option<u64>) -> Option<u64> {
        let found = match from {
            Some(f) => self.matches.range(..f).next_back(),
            None => None,
        };
        found.or_else(|| self.matches.iter().next_back()).copied()
    }

    /// 1-based position of match `i` among all matches found.
    pub fn position(&self, i: u64) -> Option<usize> {
        self.matches
            .contains(&i)
            .then(|| self.matches.range(..i).count() + 1)
    }
}

/// The pages a scan visits, from the page holding `from` towards the end (forward) or the
/// start (backward), skipping pages already searched.
pub fn scan_plan(search: &Search, len: u64, from: u64, forward: bool) -> Vec<u64> {
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
        .filter(|p| !search.has_searched_page(*p, len))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(r: Range<u64>) -> Vec<String> {
        r.map(|i| format!("line {i}")).collect()
    }

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
    fn following_asks_from_the_known_length_and_never_misses_or_repeats() {
        let mut c = LogCache::new(5);
        let mut f = Follower::default();
        assert_eq!(f.next(&c), Grow::Tail(PAGE));
        // An empty log so far.
        f.answered(&mut c, 0, vec![], false);
        assert_eq!(
            f.next(&c),
            Grow::From {
                offset: 0,
                limit: PAGE
            }
        );
        // The log grows in uneven steps across page boundaries.
        let mut len = 0;
        for step in [3u64, 997, 1, 1_500, 250] {
            let Grow::From { offset, limit } = f.next(&c) else {
                panic!("follows from the length")
            };
            assert_eq!(offset, len);
            let got = step.min(limit);
            let new = f.answered(&mut c, offset, lines(offset..offset + got), step > limit);
            assert_eq!(new, offset..offset + got);
            len += got;
            if step > limit {
                // Fell behind by more than a page: jump to the tail.
                assert_eq!(f.next(&c), Grow::Tail(PAGE));
                let total = len + (step - got);
                f.answered(&mut c, total - PAGE, lines(total - PAGE..total), false);
                len = total;
            }
        }
        assert_eq!(c.len(), len);
        // Every line present is the right one, once.
        let held = c.loaded_in(0..len);
        let mut seen = std::collections::HashSet::new();
        for (i, l) in &held {
            assert_eq!(*l, format!("line {i}"));
            assert!(seen.insert(*i));
        }
        // What jumping skipped is simply missing, and fetched when shown.
        assert!(!c.missing_pages(0..len).is_empty() || held.len() as u64 == len);
    }

    #[test]
    fn window_shows_only_the_visible_rows_plus_overscan() {
        let l = Layout {
            row_px: 20.0,
            len: 1_000_000,
            max_px: MAX_SCROLL_PX,
        };
        let w = l.window(0.0, 400.0, 10);
        assert_eq!(w.rows, 0..31);
        assert_eq!(w.first_visible, 0);
        assert!(w.rows.end - w.rows.start <= 200);
        let bottom = l.total_px() - 400.0;
        let w = l.window(bottom, 400.0, 10);
        assert_eq!(w.rows.end, 1_000_000, "the last line is reachable");
        assert!(w.first_visible >= 1_000_000 - 21);
        assert!(w.rows.end - w.rows.start <= 200);
    }

    #[test]
    fn wrapped_lines_start_at_the_viewport_top_with_the_overscan_below() {
        let l = Layout {
            row_px: 20.0,
            len: 1_000,
            max_px: MAX_SCROLL_PX,
        };
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
        let l = Layout {
            row_px: 20.0,
            len: 1_000_000,
            max_px: MAX_SCROLL_PX,
        };
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
        let small = Layout {
            row_px: 20.0,
            len: 100,
            max_px: MAX_SCROLL_PX,
        };
        assert_eq!(small.total_px(), 2_000.0);
        assert_eq!(small.window(200.0, 400.0, 0).first_visible, 10);
        assert_eq!(small.window(200.0, 400.0, 0).top_px, 200.0);
    }

    #[test]
    fn levels_hashes_and_matches() {
        assert_eq!(level_of("2026-11-29T03:35:00.123Z ERROR bad"), Level::Error);
        assert_eq!(level_of("2026-11-29T03:35:00.123Z WARN x"), Level::Warn);
        assert_eq!(level_of("2026-11-29T03:35:00.123Z INFO WARN"), Level::Other);
        assert_eq!(level_of(""), Level::Other);
        assert_eq!(line_from_hash("#L1234"), Some(1_234));
        assert_eq!(line_from_hash("L7"), Some(7));
        assert_eq!(line_from_hash("#L0"), None);
        assert_eq!(line_from_hash("#Lx"), None);
        assert_eq!(line_from_hash("#top"), None);
        assert_eq!(
            find_all("Error error ERROR", "error"),
            vec![0..5, 6..11, 12..17]
        );
        assert_eq!(find_all("aaaa", "aa"), vec![0..2, 2..4]);
        assert_eq!(find_all("é<b>é", "<B>"), vec![2..5]);
        assert_eq!(
            highlight("a <script> b", "<script>"),
            vec![("a ", false), ("<script>", true), (" b", false)]
        );
        assert_eq!(highlight("", "x"), vec![("", false)]);
        assert_eq!(highlight("abc", ""), vec![("abc", false)]);
    }

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
    fn search_counts_what_it_has_seen_and_steps_through_matches() {
        let mut c = LogCache::new(10);
        let text: Vec<String> = (0..3_000u64)
            .map(|i| {
                if i % 700 == 0 {
                    format!("t ERROR asset {i} broken")
                } else {
                    format!("t INFO asset {i}")
                }
            })
            .collect();
        c.insert(2_000, text[2_000..].to_vec());
        let mut s = Search::new("  broken ");
        assert_eq!(s.query(), "broken");
        s.look_at_cache(&c);
        assert_eq!(s.count(), 2, "2100 and 2800 are loaded");
        assert_eq!(s.searched_lines(), 1_000);
        assert!(!s.is_complete(3_000));
        // Looking twice counts nothing twice.
        s.look_at_cache(&c);
        assert_eq!(s.count(), 2);
        // A scan backward from the end visits the pages not searched yet.
        assert_eq!(scan_plan(&s, 3_000, 2_999, false), vec![1, 0]);
        assert_eq!(scan_plan(&s, 3_000, 0, true), vec![0, 1]);
        for p in [1u64, 0] {
            let r = p * PAGE..(p + 1) * PAGE;
            s.look(r.clone().map(|i| (i, text[i as usize].as_str())));
        }
        assert!(s.is_complete(3_000));
        assert_eq!(s.count(), 5); // 0, 700, 1400, 2100, 2800
        assert_eq!(s.next_after(None), Some(0));
        assert_eq!(s.next_after(Some(0)), Some(700));
        assert_eq!(s.previous_before(Some(700)), Some(0));
        assert_eq!(s.previous_before(Some(0)), Some(2_800));
        assert_eq!(s.next_after(Some(2_800)), Some(0), "wraps round");
        assert_eq!(s.position(1_400), Some(3));
        assert_eq!(Search::new("x").next_after(None), None);
    }
}
