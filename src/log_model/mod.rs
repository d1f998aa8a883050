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
//! or range (`#L10-L20`), `stamps` reads and re-writes lines' timestamps; this file has what
//! names a line (pages, levels, links, go to line).

mod cache;
mod follow;
mod levels;
mod ranges;
mod search;
mod span;
mod stamps;
mod window;

pub use cache::LogCache;
pub use follow::{Follower, Grow};
pub use levels::{LevelFilter, LevelIndex, Seek};
pub use ranges::{read_plan, scan_plan, Ranges};
pub use search::{find_all, highlight, Search};
pub use span::{parse_span_input, span_from_hash, LineSpan};
pub use stamps::{elapsed, leading_stamp, restamp, wall_time, Stamp, TimeMode};
pub use window::{at_bottom, Layout, Window, MAX_SCROLL_PX};

/// Lines per page: what one request asks for (the contract's maximum).
pub const PAGE: u64 = 1_000;

/// Index of the page that holds line `i` (0-based).
pub fn page_of(i: u64) -> u64 {
    i / PAGE
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
