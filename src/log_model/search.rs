//! Search over a log that has no search of its own: what is loaded is searched as it comes,
//! and on request the whole log page by page (`ranges::scan_plan`), counting the lines searched so the
//! count never claims more than it has seen.

use std::collections::BTreeSet;
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
    matches: BTreeSet<u64>,
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

    /// The lines searched (what a scan skips).
    pub fn searched(&self) -> &Ranges {
        &self.searched
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
            self.matches.range(from.saturating_add(1)..).next().copied()
        } else {
            self.matches.range(..from).next_back().copied()
        }
    }

    /// 1-based position of match `i` among all matches found.
    pub fn position(&self, i: u64) -> Option<usize> {
        self.matches
            .contains(&i)
            .then(|| self.matches.range(..i).count() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log_model::{page_lines, scan_plan};

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
}
