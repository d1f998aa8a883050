//! How triage reads a finished run's log without asking twice for what the console already
//! holds: the log viewer's page cache often has every line (the job view's poll fetched them
//! while the run went on), so triage reads page by page in order, taking each range from the
//! cache when it is there and asking the server only for the rest. And whether the per-asset
//! status look-up can tell the Problems panel anything: only when the log names an asset.

use std::ops::Range;

use crate::log_model::{page_of, PAGE};

use super::reasons::Reasons;

/// The lines triage reads next: from the first line not read to the end of its page (or of
/// the log), so a cached page is taken whole and a fetched one is one request. None once
/// every line of a log of `total` lines is read.
pub fn next_range(read: u64, total: u64) -> Option<Range<u64>> {
    if read >= total {
        return None;
    }
    let page_end = (page_of(read) + 1) * PAGE;
    Some(read..page_end.min(total))
}

/// Whether the per-asset status look-up is worth its requests. The report needs it always
/// (every asset with its outcome). The Problems panel lists only assets this run's log names
/// (a FAILURE the log does not name is another run's), so once the whole log is read and it
/// names no asset, the look-up could add nothing there.
pub fn look_up_needed(reasons: &Reasons, whole_log_read: bool, full_report: bool) -> bool {
    full_report || !whole_log_read || reasons.names_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn ranges_run_to_the_end_of_their_page_then_stop_at_the_log_end() {
        assert_eq!(next_range(0, 115), Some(0..115));
        assert_eq!(next_range(115, 115), None);
        assert_eq!(next_range(0, 2_500), Some(0..1_000));
        assert_eq!(next_range(1_000, 2_500), Some(1_000..2_000));
        assert_eq!(next_range(2_000, 2_500), Some(2_000..2_500));
        // A short answer left the reading mid-page: the rest of that page comes next.
        assert_eq!(next_range(1_400, 2_500), Some(1_400..2_000));
        assert_eq!(next_range(0, 0), None);
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
