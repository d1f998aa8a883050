//! Search over a log that has no search of its own: what is loaded is searched as it comes,
//! and on request the whole log page by page (`ranges::scan_plan`), counting the lines searched so the
//! count never claims more than it has seen.

use std::collections::BTreeMap;
use std::ops::Range;

use super::{LogCache, Ranges};

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

/// A search over a log that has no search of its own: the lines searched so far and the
/// lines that matched, found in what is loaded and in pages scanned on request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Search {
    query: String,
    searched: Ranges,
    matches: LineSet,
}

/// Bits per block of a `LineSet`.
const BLOCK: u64 = 1_024;
const WORDS: usize = (BLOCK / 64) as usize;

/// A set of line numbers as bits, in blocks of 1,024 lines allocated only where a line is in
/// the set: at most 128 bytes (and the map's share) per 1,024 lines of the log, however many
/// lines match (a search for "INFO" over 10,000,000 lines holds 1.3 MB of bits, where a set of
/// numbers would hold hundreds).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct LineSet {
    blocks: BTreeMap<u64, [u64; WORDS]>,
    len: usize,
}

impl LineSet {
    pub fn insert(&mut self, i: u64) {
        let block = self.blocks.entry(i / BLOCK).or_insert([0; WORDS]);
        let (w, bit) = (((i % BLOCK) / 64) as usize, i % 64);
        if block[w] & (1 << bit) == 0 {
            block[w] |= 1 << bit;
            self.len += 1;
        }
    }

    pub fn contains(&self, i: u64) -> bool {
        self.blocks
            .get(&(i / BLOCK))
            .is_some_and(|b| b[((i % BLOCK) / 64) as usize] & (1 << (i % 64)) != 0)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// The first line in the set at or after `from`.
    pub fn first_from(&self, from: u64) -> Option<u64> {
        for (&k, b) in self.blocks.range(from / BLOCK..) {
            let base = k * BLOCK;
            for (w, &word) in b.iter().enumerate() {
                let start = base + w as u64 * 64;
                if start + 64 <= from {
                    continue;
                }
                let masked = if from > start {
                    word & (u64::MAX << (from - start))
                } else {
                    word
                };
                if masked != 0 {
                    return Some(start + masked.trailing_zeros() as u64);
                }
            }
        }
        None
    }

    /// The last line in the set before `to`.
    pub fn last_before(&self, to: u64) -> Option<u64> {
        if to == 0 {
            return None;
        }
        let last = to - 1;
        for (&k, b) in self.blocks.range(..=last / BLOCK).rev() {
            let base = k * BLOCK;
            for (w, &word) in b.iter().enumerate().rev() {
                let start = base + w as u64 * 64;
                if start > last {
                    continue;
                }
                let masked = if last - start < 63 {
                    word & (u64::MAX >> (63 - (last - start)))
                } else {
                    word
                };
                if masked != 0 {
                    return Some(start + 63 - masked.leading_zeros() as u64);
                }
            }
        }
        None
    }

    /// How many lines of the set are before `i`.
    pub fn rank(&self, i: u64) -> usize {
        let mut n = 0;
        for (&k, b) in self.blocks.range(..=i / BLOCK) {
            let base = k * BLOCK;
            for (w, &word) in b.iter().enumerate() {
                let start = base + w as u64 * 64;
                if start >= i {
                    return n;
                }
                let masked = if i - start < 64 {
                    word & ((1u64 << (i - start)) - 1)
                } else {
                    word
                };
                n += masked.count_ones() as usize;
            }
        }
        n
    }

    /// Bytes of bits held (for the tests of its bound).
    #[cfg(test)]
    fn bytes(&self) -> usize {
        self.blocks.len() * WORDS * 8
    }
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
        let (query, matches) = (&self.query, &mut self.matches);
        self.searched.look(lines, |i, line| {
            if !find_all(line, query).is_empty() {
                matches.insert(i);
            }
        });
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
        self.matches.contains(i)
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

    /// The lines searched (what a scan skips).
    pub fn searched(&self) -> &Ranges {
        &self.searched
    }

    /// The first match after line `from` (wrapping round to the start).
    pub fn next_after(&self, from: Option<u64>) -> Option<u64> {
        let start = from.map_or(0, |f| f + 1);
        self.matches
            .first_from(start)
            .or_else(|| self.matches.first_from(0))
    }

    /// The last match before line `from` (wrapping round to the end).
    pub fn previous_before(&self, from: Option<u64>) -> Option<u64> {
        let found = from.and_then(|f| self.matches.last_before(f));
        found.or_else(|| self.matches.last_before(u64::MAX))
    }

    /// The match Enter (forward) or Shift+Enter goes to: after the marked line, or else from
    /// the top of the screen (`top` itself included going forward); wrapping round.
    pub fn step(&self, marked: Option<u64>, top: u64, forward: bool) -> Option<u64> {
        if forward {
            self.next_after(marked.or(top.checked_sub(1)))
        } else {
            self.previous_before(Some(marked.unwrap_or(top)))
        }
    }

    /// The first match strictly beyond `from` in the scan's direction, without wrapping:
    /// what a scan shows once it finds it.
    pub fn first_beyond(&self, from: u64, forward: bool) -> Option<u64> {
        if forward {
            from.checked_add(1).and_then(|f| self.matches.first_from(f))
        } else {
            self.matches.last_before(from)
        }
    }

    /// 1-based position of match `i` among all matches found.
    pub fn position(&self, i: u64) -> Option<usize> {
        self.matches.contains(i).then(|| self.matches.rank(i) + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log_model::{page_lines, scan_plan, PAGE};

    #[test]
    fn matches_ignore_ascii_case_and_highlight_as_text() {
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
        assert_eq!(scan_plan(s.searched(), 3_000, 2_999, false), vec![1, 0]);
        assert_eq!(scan_plan(s.searched(), 3_000, 0, true), vec![0, 1]);
        for p in [1u64, 0] {
            let r = page_lines(p);
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
        // Stepping from the screen: forward includes the top line, backward is before it.
        assert_eq!(s.step(None, 700, true), Some(700));
        assert_eq!(s.step(None, 701, true), Some(1_400));
        assert_eq!(s.step(None, 0, true), Some(0));
        assert_eq!(s.step(None, 700, false), Some(0));
        assert_eq!(
            s.step(Some(700), 0, true),
            Some(1_400),
            "from the marked line"
        );
        assert_eq!(s.step(Some(700), 2_000, false), Some(0));
        // A scan shows the first match beyond where it began, never one it wrapped round to.
        assert_eq!(s.first_beyond(700, true), Some(1_400));
        assert_eq!(s.first_beyond(2_800, true), None);
        assert_eq!(s.first_beyond(700, false), Some(0));
        assert_eq!(s.first_beyond(0, false), None);
        assert_eq!(s.first_beyond(u64::MAX, true), None);
    }

    #[test]
    fn a_line_set_answers_as_a_set_of_numbers_would() {
        use std::collections::BTreeSet;
        let mut set = LineSet::default();
        let mut model = BTreeSet::new();
        // Lines spread over blocks, at word and block edges, some twice.
        let mut x = 12_345u64;
        for k in 0..3_000u64 {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let i = match k % 4 {
                0 => (x >> 33) % 50_000,
                1 => k * 64 - 1,
                2 => k * 1_024,
                _ => (x >> 40) % 5_000,
            };
            set.insert(i);
            model.insert(i);
        }
        assert_eq!(set.len(), model.len());
        for q in (0..60_000u64)
            .step_by(37)
            .chain([0, 63, 64, 1_023, 1_024, 1_025])
        {
            assert_eq!(set.contains(q), model.contains(&q), "contains {q}");
            assert_eq!(
                set.first_from(q),
                model.range(q..).next().copied(),
                "first from {q}"
            );
            assert_eq!(
                set.last_before(q),
                model.range(..q).next_back().copied(),
                "last before {q}"
            );
            assert_eq!(set.rank(q), model.range(..q).count(), "rank {q}");
        }
        assert_eq!(set.last_before(u64::MAX), model.iter().next_back().copied());
        assert_eq!(LineSet::default().first_from(0), None);
    }

    #[test]
    fn a_search_matching_most_of_ten_million_lines_holds_bits_not_numbers() {
        const LEN: u64 = 10_000_000;
        let mut s = Search::new("info");
        for p in 0..LEN / PAGE {
            s.look(page_lines(p).map(|i| (i, if i % 50 == 7 { "t WARN w" } else { "t INFO i" })));
        }
        assert!(s.is_complete(LEN));
        assert_eq!(s.count(), 9_800_000);
        assert!(
            s.matches.bytes() <= 1_300_000,
            "{} bytes",
            s.matches.bytes()
        );
        assert_eq!(s.next_after(Some(6)), Some(8));
        assert_eq!(s.position(9_999_999), Some(9_800_000));
    }
}
