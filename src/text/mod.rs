//! Every sentence the console shows, in one place so it can be translated, grouped by the
//! page or part that shows it (one file each). It depends on nothing of the console's:
//! modules use it, never the other way round. Everything is re-exported here, so a sentence
//! is `text::NAME` wherever it lives.

mod actions;
mod chart;
mod compare;
mod errors;
mod history;
mod job;
mod log;
mod log_tools;
mod reprocess;
mod start;
mod triage;

pub use actions::*;
pub use chart::*;
pub use compare::*;
pub use errors::*;
pub use history::*;
pub use job::*;
pub use log::*;
pub use log_tools::*;
pub use reprocess::*;
pub use start::*;
pub use triage::*;

// The app as a whole, and words every page uses.

pub const APP_TITLE: &str = "Asset processing";
pub const APP_SUBTITLE: &str = "Bulk processing of AEM Guides assets";
pub const SKIP_TO_CONTENT: &str = "Skip to content";
pub const CRASHED: &str = "The console stopped because of an error of its own. Reload the page to \
     continue; jobs on the server are not affected, and what you typed in the start form is kept.";
pub const CODE_NOT_LOADED: &str = "Part of the console could not be loaded: the connection to the \
     server may have dropped. Reload the page to continue; jobs on the server are not affected, and \
     what you typed in the start form is kept.";
pub const LOGS: &str = "Logs";

pub const TRY_AGAIN: &str = "Try again";
pub const SIGN_IN: &str = "Sign in";

/// A status as AEM's own Bulk Processor screen says it; a word the console does not know is
/// shown as the server sent it. The API's word stays in the badge's title and the job's facts.
pub fn status_word(status: &asset_processing_api::Status) -> &str {
    use asset_processing_api::Status;
    match status {
        Status::Waiting => "Waiting",
        Status::Running => "In progress",
        Status::Success => "Completed",
        Status::Failed => "Failed",
        Status::Cancelled => "Cancelled",
        Status::Other(word) => word,
    }
}

pub const NOT_YET: &str = "—";
pub const NONE: &str = "none";

pub const NOT_FOUND_TITLE: &str = "Page not found";
pub const NOT_FOUND_BODY: &str = "This address is not a page of the console.";
pub const BACK_TO_HISTORY: &str = "Back to the recent runs";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_as_aem_says_them_and_unknown_words_as_sent() {
        use asset_processing_api::Status;
        assert_eq!(status_word(&Status::Running), "In progress");
        assert_eq!(status_word(&Status::Success), "Completed");
        assert_eq!(status_word(&Status::Waiting), "Waiting");
        assert_eq!(
            status_word(&Status::from_wire("COMPLETED WITH ERRORS")),
            "COMPLETED WITH ERRORS"
        );
    }

    #[test]
    fn the_compare_button_in_parts_says_the_whole_sentence() {
        assert_eq!(COMPARE_WITH_PREVIOUS_PARTS.concat(), COMPARE_WITH_PREVIOUS);
    }

    #[test]
    fn comparison_differences_read_both_ways() {
        assert_eq!(compare_signed(true, "12"), "+12");
        assert_eq!(compare_signed(false, "3"), "\u{2212}3");
        assert_eq!(compare_more_fewer(false, "3"), "3 fewer");
        assert_eq!(compare_longer_shorter(true, "5 s"), "5 s longer");
        assert_eq!(
            compare_faster_slower(false, "1.5 assets/s"),
            "1.5 assets/s slower"
        );
        assert_eq!(compare_picked(3), "3 runs ticked: a comparison takes two");
    }

    #[test]
    fn durations() {
        assert_eq!(duration(-5), "< 1 s");
        assert_eq!(duration(850), "< 1 s");
        assert_eq!(duration(42_000), "42 s");
        assert_eq!(duration(185_000), "3 min 05 s");
        assert_eq!(duration(2 * 3_600_000 + 7 * 60_000), "2 h 07 min");
    }

    #[test]
    fn progress_reads_naturally() {
        let plain = |n: u64| n.to_string();
        assert_eq!(progress(5, Some(40), plain), "5 of 40");
        assert_eq!(progress(5, None, plain), "5 so far");
    }

    #[test]
    fn server_messages_follow_the_general_sentence() {
        assert_eq!(
            with_server_message(&error_rejected(400), "path is empty"),
            "The server rejected the request (400): path is empty"
        );
        assert_eq!(with_server_message(ERROR_NOT_FOUND, " "), "Not found");
        assert_eq!(
            with_server_message(&error_rejected(429), "you already have 20 runs waiting"),
            "Not started: you already have 20 runs waiting"
        );
    }

    #[test]
    fn unknown_eta_units_are_shown_as_they_came() {
        use asset_processing_api::{Eta, EtaUnit};
        let eta = |value, unit| Eta { value, unit };
        assert_eq!(eta_of(&eta(90, EtaUnit::Seconds)), "about 2 min");
        assert_eq!(
            eta_of(&eta(12, EtaUnit::Other("seconds".into()))),
            "12 seconds"
        );
        assert_eq!(eta_of(&eta(0, EtaUnit::Other("seconds".into()))), NOT_YET);
    }

    /// The frame index.html paints before the wasm runs shows the header the console draws.
    #[test]
    fn the_painted_frame_says_what_the_header_says() {
        let page = include_str!("../../index.html");
        let start = page
            .find("<!-- frame:start")
            .expect("index.html marks its frame");
        let end = page
            .find("<!-- frame:end -->")
            .expect("index.html ends its frame");
        let frame = &page[start..end];
        assert!(frame.contains(&format!("</span>{APP_TITLE}</span>")));
        assert!(frame.contains(&format!(">{APP_SUBTITLE}</span>")));
        assert!(frame.contains("class=\"apc-root apc-frame\" aria-hidden=\"true\""));
    }
}
