//! Whether the per-asset status look-up can tell the Problems panel anything: only when the
//! log names an asset; and how far a running job's panel reads ahead of the feed (the lines
//! the poll skipped when the view opened on a long log). (Triage reads the log in order
//! through `crate::job_log`, whose page arithmetic is `log_model::next_read`.)

use super::reasons::Reasons;

/// Whether the per-asset status look-up is worth its requests. The report needs it always
/// (every asset with its outcome). The Problems panel lists only assets this run's log names
/// (a FAILURE the log does not name is another run's), so once the whole log is read and it
/// names no asset, the look-up could add nothing there.
pub fn look_up_needed(reasons: &Reasons, whole_log_read: bool, full_report: bool) -> bool {
    full_report || !whole_log_read || reasons.names_any()
}

/// Lines a running job's Problems panel reads beyond what the feed holds, at most, over the
/// life of the view: as many as the feed's cache keeps (20 pages), so a log of a million lines
/// does not cost a thousand requests before its run has ended (they are read then, once).
pub const CATCH_UP_LINES: u64 = 20_000;

/// Where a read of the lines the feed lacks, from line `read` of a log `total` lines long,
/// ends, `spent` lines having been read so already; None when there is nothing to read or
/// the budget is spent.
pub fn catch_up_until(read: u64, total: u64, spent: u64) -> Option<u64> {
    let until = total.min(read + CATCH_UP_LINES.saturating_sub(spent));
    (until > read).then_some(until)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_running_view_reads_ahead_of_the_feed_within_its_budget() {
        // A log of 5,000 lines: read from the start to its end.
        assert_eq!(catch_up_until(0, 5_000, 0), Some(5_000));
        // A million lines: the budget's worth, then, spent, nothing more.
        assert_eq!(catch_up_until(0, 1_000_000, 0), Some(CATCH_UP_LINES));
        assert_eq!(catch_up_until(20_000, 1_000_000, CATCH_UP_LINES), None);
        // Part spent: the rest of the budget.
        assert_eq!(catch_up_until(3_000, 1_000_000, 15_000), Some(8_000));
        // All read: nothing.
        assert_eq!(catch_up_until(5_000, 5_000, 0), None);
    }

    fn lines(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_look_up_is_skipped_only_for_the_panel_over_a_whole_log_naming_no_asset() {
        let mut quiet = Reasons::default();
        quiet.add_page(0, &lines(&["t INFO Started", "t INFO Finished"]));
        assert!(!look_up_needed(&quiet, true, false));
        // Not all read yet: a later line may name an asset.
        assert!(look_up_needed(&quiet, false, false));
        // The report lists every asset whatever the log says.
        assert!(look_up_needed(&quiet, true, true));

        let mut named = Reasons::default();
        named.add_page(
            0,
            &lines(&["t WARN Unresolved href \"x\" in /content/dam/a.dita"]),
        );
        assert!(look_up_needed(&named, true, false));

        // An ERROR naming no asset counts as a problem but gives the look-up nothing to join.
        let mut unnamed = Reasons::default();
        unnamed.add_page(0, &lines(&["t ERROR Failed: stopped"]));
        assert_eq!(unnamed.errors(), 1);
        assert!(!look_up_needed(&unnamed, true, false));
    }
}
