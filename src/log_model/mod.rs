//! The log viewer's logic, pure and tested natively: which lines are known (a bounded cache of
//! pages), how a growing log is followed without gaps or duplicates, which rows a viewport
//! shows (with the scale that keeps a million lines under the browser's height cap), which
//! pages to fetch, and search over what is loaded.
//!
//! The contract offers only `offset`/`limit` pages (at most 1,000 lines), `tail=N` (whose
//! `offset` tells the log's length) and `hasMore`; no total and no search. Everything below
//! stands on those three.
//!
//! `cache` holds what is known, `follow` grows it from the tail, `window` says which rows are
//! on screen, `search` finds lines in it, `levels` indexes its WARN and ERROR lines (the level
//! filter, next problem), `ranges` records what was read and plans scans, `span` names a line
//! or range (`#L10-L20`), `stamps` reads and re-writes lines' timestamps, `row` is what one row shows; this file has what
//! names a line (pages, levels, links, go to line).

mod cache;
mod follow;
mod levels;
mod ranges;
mod row;
mod search;
mod span;
mod stamps;
mod window;

pub use cache::LogCache;
pub use follow::{after_scroll, Follower, Grow};
pub use levels::{LevelFilter, LevelIndex, Seek};
pub use ranges::{read_plan, scan_plan, Ranges};
pub use row::{Marked, RowView};
pub use search::{find_all, highlight, Search};
pub use span::{parse_span_input, span_from_hash, LineSpan};
pub use stamps::{elapsed, leading_stamp, restamp, wall_time, Stamp, TimeMode};
pub use window::{is_jump, Layout, Slots, Window, MAX_SCROLL_PX};

/// Lines per page: what one request asks for (the contract's maximum).
pub const PAGE: u64 = 1_000;

/// Index of the page that holds line `i` (0-based).
pub fn page_of(i: u64) -> u64 {
    i / PAGE
}

/// The lines page `p` holds: `p * PAGE .. (p + 1) * PAGE` (the one place this is written).
pub fn page_lines(p: u64) -> std::ops::Range<u64> {
    p * PAGE..(p + 1) * PAGE
}

/// The pages that hold `range` (empty for an empty range).
pub fn pages_of(range: std::ops::Range<u64>) -> std::ops::Range<u64> {
    if range.is_empty() {
        return 0..0;
    }
    page_of(range.start)..page_of(range.end - 1) + 1
}

/// The lines an in-order read takes next: from the first line not read to the end of its
/// page (or of the log), so a page held in the cache is taken whole and a fetched one is one
/// request. None once every line of a log of `total` lines is read.
pub fn next_read(read: u64, total: u64) -> Option<std::ops::Range<u64>> {
    (read < total).then(|| read..page_lines(page_of(read)).end.min(total))
}

/// A reader that fills a view page by page redraws it after the first page, then every
/// [`REDRAW_EVERY`] pages, and after the last: progress shows without a redraw per page.
pub const REDRAW_EVERY: u64 = 10;

/// Whether to redraw after `pages` pages read (1-based), `last` saying it was the last.
pub fn redraw_now(pages: u64, last: bool) -> bool {
    last || pages % REDRAW_EVERY == 1
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

/// The line "go to line" names: digits with any thousands separators people type
/// ("1,234", "1.234", "1 234"), 1-based, within a log of `total` lines.
pub fn parse_line_number(input: &str, total: u64) -> Option<u64> {
    let n = input
        .trim()
        .replace([',', '.', ' '], "")
        .parse::<u64>()
        .ok()?;
    (1..=total).contains(&n).then_some(n)
}

/// Lines of a test log: "line 0", "line 1", …
#[cfg(test)]
pub(crate) fn test_lines(r: std::ops::Range<u64>) -> Vec<String> {
    r.map(|i| format!("line {i}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_line_links() {
        assert_eq!(level_of("2026-11-29T03:35:00.123Z ERROR bad"), Level::Error);
        assert_eq!(level_of("2026-11-29T03:35:00.123Z WARN x"), Level::Warn);
        assert_eq!(level_of("2026-11-29T03:35:00.123Z INFO WARN"), Level::Other);
        assert_eq!(level_of(""), Level::Other);
        assert_eq!(line_from_hash("#L1234"), Some(1_234));
        assert_eq!(line_from_hash("L7"), Some(7));
        assert_eq!(line_from_hash("#L0"), None);
        assert_eq!(line_from_hash("#Lx"), None);
        assert_eq!(line_from_hash("#top"), None);
    }

    #[test]
    fn page_arithmetic() {
        assert_eq!(page_lines(0), 0..1_000);
        assert_eq!(page_lines(3), 3_000..4_000);
        assert_eq!(pages_of(0..1), 0..1);
        assert_eq!(pages_of(999..1_001), 0..2);
        assert_eq!(pages_of(2_000..3_000), 2..3);
        assert_eq!(pages_of(5..5), 0..0);
        // In order: to the end of the page, then of the log.
        assert_eq!(next_read(0, 2_500), Some(0..1_000));
        assert_eq!(next_read(10, 2_500), Some(10..1_000));
        assert_eq!(next_read(2_000, 2_500), Some(2_000..2_500));
        assert_eq!(next_read(2_500, 2_500), None);
        assert_eq!(next_read(0, 115), Some(0..115));
        // A short answer left the reading mid-page: the rest of that page comes next.
        assert_eq!(next_read(1_400, 2_500), Some(1_400..2_000));
        assert_eq!(next_read(0, 0), None);
        // Redraws: the first page, every tenth after it, and the last.
        let redrawn: Vec<u64> = (1..=25).filter(|&n| redraw_now(n, n == 25)).collect();
        assert_eq!(redrawn, [1, 11, 21, 25]);
    }

    #[test]
    fn go_to_line_reads_what_people_type() {
        assert_eq!(parse_line_number(" 1,234 ", 5_000), Some(1_234));
        assert_eq!(parse_line_number("1.234", 5_000), Some(1_234));
        assert_eq!(parse_line_number("1 234", 5_000), Some(1_234));
        assert_eq!(parse_line_number("5000", 5_000), Some(5_000));
        assert_eq!(parse_line_number("5001", 5_000), None, "past the end");
        assert_eq!(parse_line_number("0", 5_000), None, "lines count from 1");
        assert_eq!(parse_line_number("", 5_000), None);
        assert_eq!(parse_line_number("-3", 5_000), None);
        assert_eq!(parse_line_number("L12", 5_000), None);
        assert_eq!(parse_line_number("1", 0), None, "an empty log has no line");
    }
}
