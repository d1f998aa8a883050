//! What one row of the log viewer shows, decided once per row and frame: its line, its place
//! in the list, its level, its text (the timestamp as the reader chose, and the rest) and its
//! marks. The viewer keeps one of these per row slot and redraws a row only when its value
//! changes (`components::log_viewer::rows`).

use super::{level_of, restamp, Level, TimeMode};

/// How a row is marked: not at all, as the one marked line, or as part of a marked range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Marked {
    #[default]
    No,
    Line,
    Range,
}

/// One row as shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowView {
    /// The line (0-based).
    pub line: u64,
    /// Its place in the list (1-based): the line's number, or under a level filter its rank
    /// among the lines shown.
    pub position: u64,
    pub level: Level,
    /// The time to show (none when hidden or written as is) and the rest of the line; `None`
    /// while the line's page is not here.
    pub text: Option<(Option<String>, String)>,
    pub marked: Marked,
    /// Whether the search matches the line.
    pub is_match: bool,
}

impl RowView {
    /// Line `line` at `position`, its text `text` (None while not loaded) shown with the
    /// reader's time mode.
    pub fn new(
        line: u64,
        position: u64,
        text: Option<&str>,
        times: TimeMode,
        start_ms: Option<i64>,
        offset_ms: impl Fn(i64) -> i64,
    ) -> RowView {
        let level = text.map_or(Level::Other, level_of);
        let text = text.map(|l| match restamp(l, times, start_ms, offset_ms) {
            None => (None, l.to_string()),
            Some((time, rest)) => (time, rest.to_string()),
        });
        RowView {
            line,
            position,
            level,
            text,
            marked: Marked::No,
            is_match: false,
        }
    }

    /// The line's number as people read it (1-based).
    pub fn number(&self) -> u64 {
        self.line + 1
    }

    pub fn is_loading(&self) -> bool {
        self.text.is_none()
    }

    /// The time shown before the text, if any.
    pub fn time(&self) -> Option<&str> {
        self.text.as_ref().and_then(|(t, _)| t.as_deref())
    }

    /// The text after the time; `loading` while the line is not here.
    pub fn rest<'a>(&'a self, loading: &'a str) -> &'a str {
        self.text.as_ref().map_or(loading, |(_, r)| r.as_str())
    }

    /// The row's classes: its level, its mark, a match.
    pub fn class(&self) -> String {
        let mut c = String::from("apc-logv__row");
        match self.level {
            Level::Error => c.push_str(" apc-logv__row--error"),
            Level::Warn => c.push_str(" apc-logv__row--warn"),
            Level::Other => {}
        }
        match self.marked {
            Marked::No => {}
            Marked::Line => c.push_str(" apc-logv__row--selected"),
            Marked::Range => c.push_str(" apc-logv__row--selected apc-logv__row--range"),
        }
        if self.is_match {
            c.push_str(" apc-logv__row--match");
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = "2026-12-03T10:00:01.500Z WARN /content/dam/a.dita: no title";

    #[test]
    fn a_loaded_line_has_its_level_and_its_text_as_written() {
        let r = RowView::new(41, 42, Some(LINE), TimeMode::AsWritten, None, |_| 0);
        assert_eq!(r.number(), 42);
        assert_eq!(r.level, Level::Warn);
        assert!(!r.is_loading());
        assert_eq!(r.time(), None);
        assert_eq!(r.rest("loading"), LINE);
        assert_eq!(r.class(), "apc-logv__row apc-logv__row--warn");
    }

    #[test]
    fn times_are_rewritten_as_the_reader_chose() {
        let start = Some(1_796_292_000_000); // 2026-12-03T10:00:00Z
        let since = RowView::new(0, 1, Some(LINE), TimeMode::SinceStart, start, |_| 0);
        assert_eq!(since.time(), Some("+0:00:01.500"));
        assert_eq!(since.rest(""), "WARN /content/dam/a.dita: no title");
        let hidden = RowView::new(0, 1, Some(LINE), TimeMode::Hidden, start, |_| 0);
        assert_eq!(hidden.time(), None);
        assert_eq!(hidden.rest(""), "WARN /content/dam/a.dita: no title");
        let local = RowView::new(0, 1, Some(LINE), TimeMode::Local, start, |_| 3_600_000);
        assert_eq!(local.time(), Some("2026-12-03 11:00:01.500"));
    }

    #[test]
    fn a_line_not_here_reads_loading_and_has_no_level() {
        let r = RowView::new(9_999_999, 10_000_000, None, TimeMode::Local, None, |_| 0);
        assert!(r.is_loading());
        assert_eq!(r.rest("loading…"), "loading…");
        assert_eq!(r.time(), None);
        assert_eq!(r.class(), "apc-logv__row");
    }

    #[test]
    fn marks_and_matches_are_classes() {
        let mut r = RowView::new(0, 1, Some("x ERROR boom"), TimeMode::AsWritten, None, |_| 0);
        r.marked = Marked::Range;
        r.is_match = true;
        assert_eq!(
            r.class(),
            "apc-logv__row apc-logv__row--error apc-logv__row--selected apc-logv__row--range apc-logv__row--match"
        );
        r.marked = Marked::Line;
        r.is_match = false;
        assert_eq!(
            r.class(),
            "apc-logv__row apc-logv__row--error apc-logv__row--selected"
        );
    }
}
