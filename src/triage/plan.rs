//! Whether the per-asset status look-up can tell the Problems panel anything: only when the
//! log names an asset. (Triage reads the log in order through `crate::job_log`, whose page
//! arithmetic is `log_model::next_read`.)

use super::reasons::Reasons;

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
