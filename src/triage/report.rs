//! The per-asset report of one run: every asset with its outcome in this run, the reason the
//! log gives and the line that gives it; its filter and sort; and the Problems summary.

use std::cmp::Ordering;

use asset_processing_api::{AssetOutcome, AssetState};

use super::reasons::Reasons;
use crate::text;

/// An asset's outcome as this run's report tells it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Failed in this run: the status API says FAILURE and this run's log names it.
    Failed,
    /// Processed, and this run's log warns about it.
    Warned,
    Succeeded,
    /// FAILURE, but this run's log does not name it: another run's outcome.
    FailedElsewhere,
    Processing,
    Pending,
    /// A status this console does not know, as the server sent it.
    Other(String),
}

impl Outcome {
    /// The outcomes a filter offers, most severe first.
    pub const FILTERS: [Outcome; 6] = [
        Outcome::Failed,
        Outcome::Warned,
        Outcome::Succeeded,
        Outcome::FailedElsewhere,
        Outcome::Processing,
        Outcome::Pending,
    ];

    /// A stable word for the filter's `<select>` and the CSV.
    pub fn key(&self) -> &str {
        match self {
            Outcome::Failed => "failed",
            Outcome::Warned => "warnings",
            Outcome::Succeeded => "succeeded",
            Outcome::FailedElsewhere => "failed-elsewhere",
            Outcome::Processing => "processing",
            Outcome::Pending => "pending",
            Outcome::Other(s) => s,
        }
    }

    pub fn from_key(key: &str) -> Option<Outcome> {
        Outcome::FILTERS.into_iter().find(|o| o.key() == key)
    }

    /// For people.
    pub fn label(&self) -> &str {
        match self {
            Outcome::Failed => text::OUTCOME_FAILED,
            Outcome::Warned => text::OUTCOME_WARNED,
            Outcome::Succeeded => text::OUTCOME_SUCCEEDED,
            Outcome::FailedElsewhere => text::OUTCOME_FAILED_ELSEWHERE,
            Outcome::Processing => text::OUTCOME_PROCESSING,
            Outcome::Pending => text::OUTCOME_PENDING,
            Outcome::Other(s) => s,
        }
    }

    /// Sort order: most severe first.
    fn rank(&self) -> u8 {
        match self {
            Outcome::Failed => 0,
            Outcome::Warned => 1,
            Outcome::FailedElsewhere => 2,
            Outcome::Other(_) => 3,
            Outcome::Processing => 4,
            Outcome::Pending => 5,
            Outcome::Succeeded => 6,
        }
    }
}

/// One asset in the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub path: String,
    pub outcome: Outcome,
    /// The log's reason (its first ERROR line naming the asset, else its first WARN), or "".
    pub reason: String,
    /// The 1-based log line the reason is on.
    pub line: Option<u64>,
}

fn row(path: &str, outcome: Outcome, reasons: &Reasons) -> Row {
    let main = reasons.main(path);
    Row {
        path: path.to_string(),
        outcome,
        reason: main.map(|r| r.message.clone()).unwrap_or_default(),
        line: main.map(|r| r.line),
    }
}

/// The report from the per-asset status API and this run's log. The API reports each asset's
/// latest outcome across jobs: a FAILURE is this run's failure only when this run's log names
/// the asset (a failure from an earlier or later run is `FailedElsewhere`), so a report read
/// before the whole log is read may still move assets from `FailedElsewhere` to `Failed`.
pub fn rows_from_status(assets: &[AssetState], reasons: &Reasons) -> Vec<Row> {
    assets
        .iter()
        .map(|a| {
            let named = reasons.names(&a.path);
            let outcome = match &a.status {
                AssetOutcome::Failure if named => Outcome::Failed,
                AssetOutcome::Failure => Outcome::FailedElsewhere,
                AssetOutcome::Success if named => Outcome::Warned,
                AssetOutcome::Success => Outcome::Succeeded,
                AssetOutcome::Processing => Outcome::Processing,
                AssetOutcome::Pending => Outcome::Pending,
                AssetOutcome::Other(s) => Outcome::Other(s.clone()),
            };
            row(&a.path, outcome, reasons)
        })
        .collect()
}

/// The report from the log alone (a server without the per-asset status API): the assets it
/// names, failed when an ERROR line names them, else warned.
pub fn rows_from_log(reasons: &Reasons) -> Vec<Row> {
    let errored: std::collections::HashSet<&str> =
        reasons.errored().iter().map(String::as_str).collect();
    reasons
        .named()
        .into_iter()
        .map(|path| {
            let outcome = if errored.contains(path) {
                Outcome::Failed
            } else {
                Outcome::Warned
            };
            row(path, outcome, reasons)
        })
        .collect()
}

/// Columns the report sorts by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    #[default]
    Path,
    Outcome,
    Line,
}

/// What the person asked the report to show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportQuery {
    /// Only this outcome; None: all.
    pub outcome: Option<Outcome>,
    /// Only paths holding this text (any case).
    pub text: String,
    pub sort: SortKey,
    pub descending: bool,
}

impl ReportQuery {
    /// Indices into `rows` of the rows shown, in order.
    pub fn apply(&self, rows: &[Row]) -> Vec<u32> {
        let needle = crate::fold::lower(self.text.trim());
        let mut shown: Vec<u32> = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| self.outcome.as_ref().is_none_or(|o| *o == r.outcome))
            .filter(|(_, r)| needle.is_empty() || contains_folded(&r.path, &needle))
            .map(|(i, _)| i as u32)
            .collect();
        let by = |a: &Row, b: &Row| -> Ordering {
            let primary = match self.sort {
                SortKey::Path => Ordering::Equal,
                SortKey::Outcome => a.outcome.rank().cmp(&b.outcome.rank()),
                // Rows without a line go last either way round.
                SortKey::Line => match (a.line, b.line) {
                    (Some(x), Some(y)) => x.cmp(&y),
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => Ordering::Equal,
                },
            };
            primary.then_with(|| a.path.cmp(&b.path))
        };
        shown.sort_by(|&a, &b| by(&rows[a as usize], &rows[b as usize]));
        if self.descending {
            shown.reverse();
        }
        shown
    }
}

/// Whether `haystack` holds `needle_lower` (already lower case), ignoring case.
fn contains_folded(haystack: &str, needle_lower: &str) -> bool {
    if haystack.is_ascii() && needle_lower.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle_lower.as_bytes());
        return n.len() <= h.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    crate::fold::lower(haystack).contains(needle_lower)
}

/// The Problems panel's summary: this run's failed assets (in the log's order), with counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Problems {
    pub failed: Vec<Row>,
    pub warnings: u64,
}

impl Problems {
    /// From the report's rows (when the status API answered) or the log alone (`rows` None).
    pub fn of(rows: Option<&[Row]>, reasons: &Reasons) -> Problems {
        let is_failed = |r: &Row| r.outcome == Outcome::Failed;
        let mut failed: Vec<Row> = match rows {
            Some(rows) => rows.iter().filter(|r| is_failed(r)).cloned().collect(),
            None => rows_from_log(reasons)
                .into_iter()
                .filter(is_failed)
                .collect(),
        };
        // In the order the log names them.
        failed.sort_by_key(|r| r.line);
        Problems {
            failed,
            warnings: reasons.warnings(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.failed.is_empty() && self.warnings == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asset(path: &str, status: &str) -> AssetState {
        AssetState {
            path: path.into(),
            status: AssetOutcome::from_wire(status),
            exists: true,
            ..Default::default()
        }
    }

    fn reasons() -> Reasons {
        let mut r = Reasons::default();
        let lines: Vec<String> = [
            "t INFO Started",
            "t WARN Unresolved href \"x\" in /content/dam/w.dita",
            "t ERROR Malformed XML in /content/dam/bad.dita: eof",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        r.add_page(0, &lines);
        r
    }

    #[test]
    fn joins_status_with_the_logs_reasons_and_keeps_other_runs_failures_apart() {
        let assets = [
            asset("/content/dam/bad.dita", "FAILURE"),
            asset("/content/dam/old.dita", "FAILURE"),
            asset("/content/dam/w.dita", "SUCCESS"),
            asset("/content/dam/ok.dita", "SUCCESS"),
            asset("/content/dam/new.dita", "PENDING"),
            asset("/content/dam/odd.dita", "STUCK"),
        ];
        let rows = rows_from_status(&assets, &reasons());
        let got: Vec<(&str, Outcome, &str, Option<u64>)> = rows
            .iter()
            .map(|r| {
                (
                    r.path.as_str(),
                    r.outcome.clone(),
                    r.reason.as_str(),
                    r.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "/content/dam/bad.dita",
                    Outcome::Failed,
                    "Malformed XML in /content/dam/bad.dita: eof",
                    Some(3)
                ),
                ("/content/dam/old.dita", Outcome::FailedElsewhere, "", None),
                (
                    "/content/dam/w.dita",
                    Outcome::Warned,
                    "Unresolved href \"x\" in /content/dam/w.dita",
                    Some(2)
                ),
                ("/content/dam/ok.dita", Outcome::Succeeded, "", None),
                ("/content/dam/new.dita", Outcome::Pending, "", None),
                (
                    "/content/dam/odd.dita",
                    Outcome::Other("STUCK".into()),
                    "",
                    None
                ),
            ]
        );
        let p = Problems::of(Some(&rows), &reasons());
        assert_eq!(p.failed.len(), 1);
        assert_eq!(p.warnings, 1);
    }

    #[test]
    fn without_the_status_api_the_log_alone_tells() {
        let rows = rows_from_log(&reasons());
        let got: Vec<(&str, Outcome)> = rows
            .iter()
            .map(|r| (r.path.as_str(), r.outcome.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("/content/dam/bad.dita", Outcome::Failed),
                ("/content/dam/w.dita", Outcome::Warned)
            ]
        );
        let p = Problems::of(None, &reasons());
        assert_eq!(p.failed[0].path, "/content/dam/bad.dita");
        assert!(!p.is_empty() && Problems::default().is_empty());
    }

    #[test]
    fn filter_by_outcome_and_text_then_sort() {
        let assets = [
            asset("/content/dam/bad.dita", "FAILURE"),
            asset("/content/dam/Ökö/w.dita", "SUCCESS"),
            asset("/content/dam/w.dita", "SUCCESS"),
            asset("/content/dam/a.dita", "SUCCESS"),
        ];
        let rows = rows_from_status(&assets, &reasons());
        let paths = |q: &ReportQuery| {
            q.apply(&rows)
                .into_iter()
                .map(|i| rows[i as usize].path.clone())
                .collect::<Vec<_>>()
        };
        let mut q = ReportQuery::default();
        assert_eq!(
            paths(&q),
            [
                "/content/dam/a.dita",
                "/content/dam/bad.dita",
                "/content/dam/w.dita",
                "/content/dam/Ökö/w.dita"
            ]
        );
        q.descending = true;
        assert_eq!(paths(&q)[0], "/content/dam/Ökö/w.dita");
        q = ReportQuery {
            sort: SortKey::Outcome,
            ..Default::default()
        };
        assert_eq!(
            paths(&q)[..2],
            ["/content/dam/bad.dita", "/content/dam/w.dita"]
        );
        q = ReportQuery {
            sort: SortKey::Line,
            ..Default::default()
        };
        assert_eq!(
            paths(&q)[..2],
            ["/content/dam/w.dita", "/content/dam/bad.dita"]
        );
        q = ReportQuery {
            text: " ÖKÖ ".into(),
            ..Default::default()
        };
        assert_eq!(paths(&q), ["/content/dam/Ökö/w.dita"]);
        q = ReportQuery {
            text: "W.DITA".into(),
            outcome: Some(Outcome::Warned),
            ..Default::default()
        };
        assert_eq!(paths(&q), ["/content/dam/w.dita"]);
        assert_eq!(
            Outcome::from_key("failed-elsewhere"),
            Some(Outcome::FailedElsewhere)
        );
        assert_eq!(Outcome::from_key("nope"), None);
    }
}
