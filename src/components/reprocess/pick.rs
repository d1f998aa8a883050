//! Which assets the pages other than the job view offer to reprocess, pure and tested
//! natively: the report's rows shown while it is filtered to failures (the path filter
//! narrows them too), and a comparison list's assets.

use crate::triage::{Outcome, Row};

/// The paths of the report's rows shown (`order`, indices into `rows`) when `filter` is
/// "failed in this run"; none under any other filter (an asset that failed in another run,
/// or merely warned, is not this run's failure to mend).
pub fn report_failures(rows: &[Row], order: &[u32], filter: Option<&Outcome>) -> Vec<String> {
    if filter != Some(&Outcome::Failed) {
        return Vec::new();
    }
    order
        .iter()
        .filter_map(|&k| rows.get(k as usize))
        .filter(|r| r.outcome == Outcome::Failed)
        .map(|r| r.path.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(path: &str, outcome: Outcome) -> Row {
        Row {
            path: path.into(),
            outcome,
            reason: String::new(),
            line: None,
        }
    }

    #[test]
    fn only_the_failures_shown_under_the_failed_filter() {
        let rows = vec![
            row("/content/dam/a.dita", Outcome::Failed),
            row("/content/dam/b.dita", Outcome::Succeeded),
            row("/content/dam/c.dita", Outcome::Failed),
            row("/content/dam/d.dita", Outcome::FailedElsewhere),
        ];
        // Filtered to failures, the path filter leaving c then a.
        assert_eq!(
            report_failures(&rows, &[2, 0], Some(&Outcome::Failed)),
            vec!["/content/dam/c.dita", "/content/dam/a.dita"]
        );
        // Unfiltered, or another outcome: nothing offered.
        assert!(report_failures(&rows, &[0, 1, 2, 3], None).is_empty());
        assert!(report_failures(&rows, &[3], Some(&Outcome::FailedElsewhere)).is_empty());
        // An index past the rows is ignored.
        assert_eq!(
            report_failures(&rows, &[9, 0], Some(&Outcome::Failed)),
            vec!["/content/dam/a.dita"]
        );
    }
}
