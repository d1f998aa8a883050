//! The log's problems (WARN and ERROR lines) as far as they have been read: the level filter
//! ("All lines / Warnings and errors / Errors only") and "Next / Previous problem" both stand
//! on one index that grows from every line the viewer loads or scans, and never claims to know
//! more than it read.
//!
//! While a filter is on, the viewer's virtual list has one row per matching line: row
//! position `p` is the `p`-th matching line found so far (`rows()[p]`), and a line's row is
//! found by binary search. The index holds line numbers, not lines: a 10,000,000-line log with
//! 210,000 problems costs 1.7 MB of numbers. Besides them it keeps the text of at most
//! [`TEXTS_KEPT`] problem lines, the ones nearest the screen ([`LevelIndex::focus`]), so a
//! filtered screen shows without its pages (which the page cache may have let go); a row
//! whose text is not kept has its page fetched again ([`LevelIndex::remember`]).

use std::collections::BTreeMap;
use std::ops::Range;

use super::{level_of, LogCache, Ranges};

/// Problem lines whose text the index keeps (those nearest the screen): many screens of a
/// filtered view, about 0.3 MB of lines of 120 characters.
pub const TEXTS_KEPT: usize = 2_000;
use crate::log_model::Level;

/// Which lines the viewer shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LevelFilter {
    #[default]
    All,
    /// WARN and ERROR lines.
    Problems,
    Errors,
}

impl LevelFilter {
    pub const ALL: [LevelFilter; 3] =
        [LevelFilter::All, LevelFilter::Problems, LevelFilter::Errors];

    /// The value of its option in the page.
    pub fn key(self) -> &'static str {
        match self {
            LevelFilter::All => "all",
            LevelFilter::Problems => "problems",
            LevelFilter::Errors => "errors",
        }
    }

    pub fn from_key(key: &str) -> Option<LevelFilter> {
        Self::ALL.into_iter().find(|f| f.key() == key)
    }

    /// Whether a line of `level` passes.
    pub fn admits(self, level: Level) -> bool {
        match self {
            LevelFilter::All => true,
            LevelFilter::Problems => level != Level::Other,
            LevelFilter::Errors => level == Level::Error,
        }
    }

    /// What "Next problem" steps to under this filter: errors under "Errors only", else
    /// warnings and errors.
    pub fn problems(self) -> LevelFilter {
        match self {
            LevelFilter::Errors => LevelFilter::Errors,
            _ => LevelFilter::Problems,
        }
    }
}

/// Where the next (or previous) problem is, as far as the lines read tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seek {
    Found(u64),
    /// Every line of the range was read and none is a problem.
    NoneLeft,
    /// Lines between were not read yet: read on.
    Unknown,
}

/// The problem lines found in the lines read so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LevelIndex {
    read: Ranges,
    /// WARN and ERROR lines, sorted.
    problems: Vec<u64>,
    /// ERROR lines, sorted.
    errors: Vec<u64>,
    /// The text of at most `TEXTS_KEPT` problem lines (besides those on screen), the nearest
    /// to `focus`.
    texts: BTreeMap<u64, String>,
    /// The line on screen: the texts kept are the nearest to it.
    focus: u64,
    /// The lines of the rows on screen, sorted: their texts are never dropped (a filter's
    /// rows on screen may lie far apart, further than the texts kept would reach).
    on_screen: Vec<u64>,
}

impl LevelIndex {
    /// Looks at lines (index, text) not read before.
    pub fn look<'a>(&mut self, lines: impl IntoIterator<Item = (u64, &'a str)>) {
        let (mut problems, mut errors) = (Vec::new(), Vec::new());
        let texts = &mut self.texts;
        self.read.look(lines, |i, line| {
            let level = level_of(line);
            if level == Level::Other {
                return;
            }
            problems.push(i);
            if level == Level::Error {
                errors.push(i);
            }
            texts.insert(i, line.to_string());
        });
        merge(&mut self.problems, problems);
        merge(&mut self.errors, errors);
        self.trim_texts();
    }

    /// Keeps the text of the problem lines among `lines` (read before, say a page fetched
    /// again for a filtered screen), as far as they are among the nearest to the screen.
    pub fn remember<'a>(&mut self, lines: impl IntoIterator<Item = (u64, &'a str)>) {
        for (i, line) in lines {
            if level_of(line) != Level::Other {
                self.texts.insert(i, line.to_string());
            }
        }
        self.trim_texts();
    }

    /// The screen now: the line at its top, and the lines of its rows (sorted). The texts
    /// kept from here on are theirs and the ones nearest to the top line.
    pub fn focus(&mut self, line: u64, rows: &[u64]) {
        self.focus = line;
        self.on_screen = rows.to_vec();
        self.trim_texts();
    }

    /// Drops the texts farthest from the focus beyond `TEXTS_KEPT`, never those on screen.
    fn trim_texts(&mut self) {
        let on_screen = |i: &u64| self.on_screen.binary_search(i).is_ok();
        let pinned = self.texts.keys().filter(|i| on_screen(i)).count();
        let excess = self.texts.len().saturating_sub(TEXTS_KEPT + pinned);
        if excess == 0 {
            return;
        }
        // From both ends inwards, the farther from the focus first, stepping over the screen.
        let keys: Vec<u64> = self.texts.keys().copied().collect();
        let (mut lo, mut hi) = (0, keys.len() - 1);
        let mut drop = Vec::with_capacity(excess);
        while drop.len() < excess && lo <= hi {
            if on_screen(&keys[lo]) {
                lo += 1;
            } else if on_screen(&keys[hi]) {
                hi -= 1;
            } else if self.focus.abs_diff(keys[lo]) > self.focus.abs_diff(keys[hi]) {
                drop.push(keys[lo]);
                lo += 1;
            } else {
                drop.push(keys[hi]);
                if hi == 0 {
                    break;
                }
                hi -= 1;
            }
        }
        for i in drop {
            self.texts.remove(&i);
        }
    }

    /// Looks at everything the cache holds that was not read before.
    pub fn look_at_cache(&mut self, cache: &LogCache) {
        for r in cache.loaded_ranges() {
            if !self.read.covers(&r) {
                self.look(cache.loaded_in(r));
            }
        }
    }

    /// The lines read so far.
    pub fn read(&self) -> &Ranges {
        &self.read
    }

    pub fn read_lines(&self) -> u64 {
        self.read.count()
    }

    pub fn is_complete(&self, len: u64) -> bool {
        self.read.covers(&(0..len))
    }

    /// The lines a filter shows, in order, among those read (`None` for `All`: every line).
    pub fn rows(&self, filter: LevelFilter) -> Option<&[u64]> {
        match filter {
            LevelFilter::All => None,
            LevelFilter::Problems => Some(&self.problems),
            LevelFilter::Errors => Some(&self.errors),
        }
    }

    /// Rows a filter shows in a log of `len` lines.
    pub fn row_count(&self, filter: LevelFilter, len: u64) -> u64 {
        self.rows(filter).map_or(len, |r| r.len() as u64)
    }

    /// The line at row `pos` under `filter` (past the end: the end).
    pub fn line_at(&self, filter: LevelFilter, pos: u64) -> u64 {
        match self.rows(filter) {
            None => pos,
            Some(rows) => rows
                .get(pos as usize)
                .copied()
                .unwrap_or_else(|| rows.last().map_or(0, |l| l + 1)),
        }
    }

    /// The row of line `i` under `filter`: `Ok` when the filter shows it, else `Err` with the
    /// row of the next line it shows (where the line would be).
    pub fn row_of(&self, filter: LevelFilter, i: u64) -> Result<u64, u64> {
        match self.rows(filter) {
            None => Ok(i),
            Some(rows) => rows
                .binary_search(&i)
                .map(|p| p as u64)
                .map_err(|p| p as u64),
        }
    }

    /// The text of problem line `i`, if it was read and is among those kept.
    pub fn text(&self, i: u64) -> Option<&str> {
        self.texts.get(&i).map(String::as_str)
    }

    /// The first (forward) or last problem of `kind` in `lines`, when the lines read say so:
    /// every line between the range's near end and the problem has been read.
    pub fn seek(&self, kind: LevelFilter, lines: Range<u64>, forward: bool) -> Seek {
        if lines.is_empty() {
            return Seek::NoneLeft;
        }
        let rows = self.rows(kind.problems()).unwrap_or_default();
        let found = if forward {
            let p = rows.partition_point(|l| *l < lines.start);
            rows.get(p).filter(|l| **l < lines.end).copied()
        } else {
            let p = rows.partition_point(|l| *l < lines.end);
            p.checked_sub(1)
                .map(|p| rows[p])
                .filter(|l| *l >= lines.start)
        };
        let between = match (found, forward) {
            (Some(f), true) => lines.start..f,
            (Some(f), false) => f + 1..lines.end,
            (None, _) => lines,
        };
        match (found, self.read.covers(&between)) {
            (Some(f), true) => Seek::Found(f),
            (None, true) => Seek::NoneLeft,
            (_, false) => Seek::Unknown,
        }
    }
}

/// Merges sorted `new` (lines never seen before) into sorted `into`.
fn merge(into: &mut Vec<u64>, new: Vec<u64>) {
    if new.is_empty() {
        return;
    }
    if into.last().is_none_or(|l| *l < new[0]) {
        into.extend(new);
        return;
    }
    let old = std::mem::take(into);
    let (mut a, mut b) = (old.into_iter().peekable(), new.into_iter().peekable());
    into.reserve(a.len() + b.len());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x <= y => a.next(),
            (Some(_), Some(_)) => b.next(),
            (Some(_), None) => a.next(),
            (None, Some(_)) => b.next(),
            (None, None) => break,
        };
        into.extend(next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log_model::{page_lines, read_plan};

    /// A log like the synthetic one: every 50th line (from 7) a WARN, every 1,000th (from 23)
    /// an ERROR.
    fn line(i: u64) -> String {
        match (i % 50, i % 1_000) {
            (7, _) => format!("2026-11-29T03:35:00.000Z WARN w {i}"),
            (_, 23) => format!("2026-11-29T03:35:00.000Z ERROR e {i}"),
            _ => format!("2026-11-29T03:35:00.000Z INFO i {i}"),
        }
    }

    fn read_page(x: &mut LevelIndex, p: u64) {
        let lines: Vec<String> = page_lines(p).map(line).collect();
        x.look(
            lines
                .iter()
                .enumerate()
                .map(|(k, l)| (page_lines(p).start + k as u64, l.as_str())),
        );
    }

    #[test]
    fn filters_have_keys_and_admit_their_levels() {
        for f in LevelFilter::ALL {
            assert_eq!(LevelFilter::from_key(f.key()), Some(f));
        }
        assert_eq!(LevelFilter::from_key("junk"), None);
        assert!(LevelFilter::All.admits(Level::Other));
        assert!(
            LevelFilter::Problems.admits(Level::Warn)
                && !LevelFilter::Problems.admits(Level::Other)
        );
        assert!(
            LevelFilter::Errors.admits(Level::Error) && !LevelFilter::Errors.admits(Level::Warn)
        );
        assert_eq!(LevelFilter::All.problems(), LevelFilter::Problems);
        assert_eq!(LevelFilter::Errors.problems(), LevelFilter::Errors);
    }

    #[test]
    fn rows_are_the_matching_lines_read_so_far_in_order() {
        let mut x = LevelIndex::default();
        read_page(&mut x, 2);
        // Page 2: 20 WARN lines (2007, 2057, …) and one ERROR (2023).
        assert_eq!(x.row_count(LevelFilter::Problems, 3_000), 21);
        assert_eq!(x.row_count(LevelFilter::Errors, 3_000), 1);
        assert_eq!(x.row_count(LevelFilter::All, 3_000), 3_000);
        assert_eq!(x.read_lines(), 1_000);
        assert!(!x.is_complete(3_000));
        // Reading an earlier page puts its rows first; reading a page again changes nothing.
        read_page(&mut x, 0);
        read_page(&mut x, 2);
        let rows = x.rows(LevelFilter::Problems).unwrap();
        assert_eq!(&rows[..3], &[7, 23, 57]);
        assert!(rows.windows(2).all(|w| w[0] < w[1]), "sorted, each once");
        assert_eq!(rows.len(), 42);
        assert_eq!(x.rows(LevelFilter::Errors).unwrap(), &[23, 2_023]);
        // Row position and line map both ways; a hidden line names the next row.
        assert_eq!(x.line_at(LevelFilter::Errors, 1), 2_023);
        assert_eq!(x.line_at(LevelFilter::Errors, 5), 2_024, "past the end");
        assert_eq!(x.line_at(LevelFilter::All, 5), 5);
        assert_eq!(x.row_of(LevelFilter::Errors, 2_023), Ok(1));
        assert_eq!(x.row_of(LevelFilter::Errors, 100), Err(1));
        assert_eq!(x.row_of(LevelFilter::All, 100), Ok(100));
        assert_eq!(x.text(2_023), Some(line(2_023).as_str()));
        assert_eq!(x.text(2_024), None, "only problem lines are kept");
        read_page(&mut x, 1);
        assert!(x.is_complete(3_000));
        assert_eq!(x.row_count(LevelFilter::Problems, 3_000), 63);
    }

    #[test]
    fn a_ten_million_line_log_maps_rows_without_holding_its_lines() {
        const LEN: u64 = 10_000_000;
        let mut x = LevelIndex::default();
        x.focus(5_000_000, &[]);
        let mut read = Ranges::default();
        // Page by page as a scan reads it, nearest the screen first; each page's text is
        // dropped once looked at.
        for p in read_plan(&read, LEN, 5_000_000) {
            read_page(&mut x, p);
            read.add(page_lines(p));
        }
        assert!(x.is_complete(LEN));
        assert_eq!(x.row_count(LevelFilter::Errors, LEN), 10_000);
        assert_eq!(x.row_count(LevelFilter::Problems, LEN), 210_000);
        assert_eq!(x.line_at(LevelFilter::Errors, 9_999), 9_999_023);
        assert_eq!(x.row_of(LevelFilter::Errors, 5_000_023), Ok(5_000));
        // Line numbers for every problem, text for only the few nearest the screen.
        assert_eq!(x.texts.len(), TEXTS_KEPT);
        assert!(x.text(5_000_007).is_some() && x.text(5_000_023).is_some());
        assert_eq!(
            x.text(23),
            None,
            "far from the screen: fetched again when shown"
        );
        let held: usize = x.texts.values().map(String::len).sum();
        assert!(held < 200_000, "{held} bytes of text kept");
        // The reader moves to the start: the texts there are kept once their page is read
        // again, and the ones farthest from it make room.
        let farthest = *x.texts.keys().last().unwrap();
        x.focus(0, &[]);
        read_again(&mut x, 0);
        assert_eq!(x.text(23), Some(line(23).as_str()));
        assert_eq!(x.texts.len(), TEXTS_KEPT);
        assert_eq!(x.text(farthest), None, "the farthest from line 0 made room");
        // "Errors only" on screen: 100 errors 1,000 lines apart, from line 2,000,023 on, far
        // beyond what the texts nearest the top would reach; their pages read again keep
        // them all, however many warnings around them are nearer.
        let rows: Vec<u64> = (2_000..2_100).map(|k| k * 1_000 + 23).collect();
        x.focus(rows[0], &rows);
        for p in 1_990..2_100 {
            read_again(&mut x, p);
        }
        assert!(rows.iter().all(|&i| x.text(i).is_some()));
        assert!(x.texts.len() <= TEXTS_KEPT + rows.len());
    }

    fn read_again(x: &mut LevelIndex, p: u64) {
        let lines: Vec<String> = page_lines(p).map(line).collect();
        x.remember(
            lines
                .iter()
                .enumerate()
                .map(|(k, l)| (page_lines(p).start + k as u64, l.as_str())),
        );
    }

    #[test]
    fn seeking_a_problem_never_skips_lines_not_read() {
        let mut x = LevelIndex::default();
        read_page(&mut x, 1);
        // Forward from 1,024 within page 1: the WARN at 1,057.
        assert_eq!(
            x.seek(LevelFilter::All, 1_024..5_000, true),
            Seek::Found(1_057)
        );
        assert_eq!(
            x.seek(LevelFilter::Errors, 1_024..5_000, true),
            Seek::Unknown,
            "page 2 not read"
        );
        assert_eq!(
            x.seek(LevelFilter::Errors, 1_000..5_000, true),
            Seek::Found(1_023)
        );
        // Backward from 1,020: page 0 is not read, so 1,007 is known but nothing before it.
        assert_eq!(
            x.seek(LevelFilter::All, 0..1_020, false),
            Seek::Found(1_007)
        );
        assert_eq!(x.seek(LevelFilter::All, 0..1_007, false), Seek::Unknown);
        read_page(&mut x, 2);
        assert_eq!(
            x.seek(LevelFilter::Errors, 1_024..3_000, true),
            Seek::Found(2_023)
        );
        assert_eq!(
            x.seek(LevelFilter::Errors, 2_024..3_000, true),
            Seek::NoneLeft
        );
        assert_eq!(
            x.seek(LevelFilter::Errors, 3_000..3_000, true),
            Seek::NoneLeft
        );
        // A problem found beyond an unread gap is not the next one.
        let mut y = LevelIndex::default();
        read_page(&mut y, 3);
        assert_eq!(y.seek(LevelFilter::All, 0..5_000, true), Seek::Unknown);
    }
}
