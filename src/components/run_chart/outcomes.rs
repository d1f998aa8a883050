//! The report's one bar of outcomes: how many assets ended each way, as segments of one bar
//! in the report's order of outcomes (most severe first). Pure, tested natively.

use crate::triage::{Outcome, Row};

/// Each outcome present with its count, in `Outcome::FILTERS` order, then any outcome the
/// console does not know (as the server sent it), together.
pub fn outcome_counts(rows: &[Row]) -> Vec<(Outcome, usize)> {
    let mut counts: Vec<(Outcome, usize)> =
        Outcome::FILTERS.iter().map(|o| (o.clone(), 0)).collect();
    let mut other = 0;
    for row in rows {
        match counts.iter_mut().find(|(o, _)| *o == row.outcome) {
            Some((_, n)) => *n += 1,
            None => other += 1,
        }
    }
    if other > 0 {
        counts.push((Outcome::Other(String::new()), other));
    }
    counts.retain(|(_, n)| *n > 0);
    counts
}

/// Where each count's segment starts and how wide it is out of `width`; every segment at
/// least one unit wide, so a single failure among 100,000 assets is still seen.
pub fn segments(counts: &[usize], width: f64) -> Vec<(f64, f64)> {
    let total: usize = counts.iter().sum();
    if total == 0 {
        return Vec::new();
    }
    let mut widths: Vec<f64> = counts
        .iter()
        .map(|&n| (n as f64 / total as f64 * width).max(1.0))
        .collect();
    // The minimum widths may overflow the bar: the widest segment gives the excess back.
    let excess = widths.iter().sum::<f64>() - width;
    if excess > 0.0 {
        if let Some(w) = widths.iter_mut().max_by(|a, b| a.total_cmp(b)) {
            *w -= excess;
        }
    }
    let mut x = 0.0;
    widths
        .into_iter()
        .map(|w| {
            let seg = (x, w);
            x += w;
            seg
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(outcome: Outcome) -> Row {
        Row {
            path: "/content/dam/a".into(),
            outcome,
            reason: String::new(),
            line: None,
        }
    }

    #[test]
    fn counts_in_the_report_s_order_without_empty_outcomes() {
        let rows = vec![
            row(Outcome::Succeeded),
            row(Outcome::Failed),
            row(Outcome::Succeeded),
            row(Outcome::Other("ODD".into())),
            row(Outcome::Warned),
        ];
        assert_eq!(
            outcome_counts(&rows),
            vec![
                (Outcome::Failed, 1),
                (Outcome::Warned, 1),
                (Outcome::Succeeded, 2),
                (Outcome::Other(String::new()), 1)
            ]
        );
        assert!(outcome_counts(&[]).is_empty());
    }

    #[test]
    fn segments_fill_the_bar_and_a_lone_failure_still_shows() {
        assert_eq!(segments(&[1, 3], 100.0), vec![(0.0, 25.0), (25.0, 75.0)]);
        let s = segments(&[1, 99_999], 100.0);
        assert_eq!(s[0], (0.0, 1.0));
        assert!((s[1].0 + s[1].1 - 100.0).abs() < 1e-9);
        assert!(segments(&[0, 0], 100.0).is_empty());
    }
}
