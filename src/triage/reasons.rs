//! The reasons in a run's log, gathered page by page: for each asset the ERROR and WARN lines
//! that name it (line number and message), and counts for the whole log.

use std::collections::HashMap;

use crate::log_model::Level;

use super::causes::Causes;
use super::line::problem_in;
use super::pace::Pace;

/// Lines kept per asset: enough to explain it; the log has the rest.
const KEPT_PER_ASSET: usize = 5;

/// One ERROR or WARN line naming an asset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    /// 1-based, as `#L<n>` links count.
    pub line: u64,
    pub level: Level,
    pub message: String,
}

/// What the log has said so far about problems.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reasons {
    by_path: HashMap<String, Vec<Reason>>,
    /// Assets named by an ERROR line, in the order the log first named them.
    errored: Vec<String>,
    /// Lines read (the next page starts here).
    read: u64,
    errors: u64,
    warnings: u64,
    /// The WARN lines by cause.
    causes: Causes,
    /// The progress lines' readings (the job view's curve of a finished run): gathered here
    /// because every page of the log passes here once, in order.
    pace: Pace,
}

impl Reasons {
    /// Reads the page of lines starting at 0-based `offset`. Lines already read are skipped,
    /// so a page asked twice (a retry) counts once; pages must come in order.
    pub fn add_page(&mut self, offset: u64, lines: &[String]) {
        for (k, line) in lines.iter().enumerate() {
            let i = offset + k as u64;
            if i < self.read {
                continue;
            }
            if i > self.read {
                // A gap would misnumber what follows: the caller reads in order.
                break;
            }
            self.read = i + 1;
            let Some(problem) = problem_in(line) else {
                self.pace.add_line(line);
                continue;
            };
            match problem.level {
                Level::Error => self.errors += 1,
                _ => {
                    self.warnings += 1;
                    self.causes.add(i + 1, problem.message, problem.path);
                }
            }
            let Some(path) = problem.path else { continue };
            let kept = self.by_path.entry(path.to_string()).or_default();
            if problem.level == Level::Error && !kept.iter().any(|r| r.level == Level::Error) {
                self.errored.push(path.to_string());
            }
            if kept.len() < KEPT_PER_ASSET {
                kept.push(Reason {
                    line: i + 1,
                    level: problem.level,
                    message: problem.message.to_string(),
                });
            }
        }
    }

    /// Lines read so far.
    pub fn read(&self) -> u64 {
        self.read
    }

    /// ERROR lines and WARN lines read so far.
    pub fn errors(&self) -> u64 {
        self.errors
    }
    pub fn warnings(&self) -> u64 {
        self.warnings
    }

    /// The progress lines read so far, as the run's pace.
    pub fn pace(&self) -> &Pace {
        &self.pace
    }

    /// The warnings read so far, grouped by cause.
    pub fn causes(&self) -> &Causes {
        &self.causes
    }

    /// The lines that name `path` (errors and warnings in log order).
    pub fn of(&self, path: &str) -> &[Reason] {
        self.by_path.get(path).map_or(&[], Vec::as_slice)
    }

    /// The reason to show for `path`: its first ERROR line, else its first WARN line.
    pub fn main(&self, path: &str) -> Option<&Reason> {
        let kept = self.of(path);
        kept.iter()
            .find(|r| r.level == Level::Error)
            .or_else(|| kept.first())
    }

    /// Whether this log names `path` at all.
    pub fn names(&self, path: &str) -> bool {
        self.by_path.contains_key(path)
    }

    /// Whether this log names any asset in an ERROR or WARN line.
    pub fn names_any(&self) -> bool {
        !self.by_path.is_empty()
    }

    /// Assets named by an ERROR line, in the log's order.
    pub fn errored(&self) -> &[String] {
        &self.errored
    }

    /// Every asset the log names, sorted (for a report from the log alone).
    pub fn named(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self.by_path.keys().map(String::as_str).collect();
        all.sort_unstable();
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn pages_in_order_number_lines_from_one_and_count_once() {
        let mut r = Reasons::default();
        let page1 = lines(&[
            "t INFO Started",
            "t WARN Unresolved href \"x\" in /content/dam/a.dita",
        ]);
        let page2 = lines(&[
            "t ERROR Malformed XML in /content/dam/b.dita: bad",
            "t ERROR Failed: stopped",
        ]);
        r.add_page(0, &page1);
        r.add_page(0, &page1); // a retry: nothing counted twice
        r.add_page(2, &page2);
        assert_eq!((r.read(), r.errors(), r.warnings()), (4, 2, 1));
        assert_eq!(r.main("/content/dam/b.dita").map(|x| x.line), Some(3));
        assert_eq!(
            r.main("/content/dam/a.dita").map(|x| (x.line, x.level)),
            Some((2, Level::Warn))
        );
        assert_eq!(r.errored(), ["/content/dam/b.dita".to_string()]);
        assert!(r.names("/content/dam/a.dita") && !r.names("/content/dam/c.dita"));
        assert_eq!(
            r.named(),
            vec!["/content/dam/a.dita", "/content/dam/b.dita"]
        );
    }

    #[test]
    fn a_gap_stops_reading_and_errors_win_over_warnings() {
        let mut r = Reasons::default();
        r.add_page(5, &lines(&["t ERROR x in /content/dam/a"]));
        assert_eq!(r.read(), 0);
        r.add_page(
            0,
            &lines(&[
                "t WARN first in /content/dam/a",
                "t ERROR then in /content/dam/a",
                "t ERROR again in /content/dam/a",
            ]),
        );
        let main = r.main("/content/dam/a").unwrap();
        assert_eq!(
            (main.line, main.message.as_str()),
            (2, "then in /content/dam/a")
        );
        assert_eq!(r.errored().len(), 1);
        assert_eq!(r.of("/content/dam/a").len(), 3);
    }
}
