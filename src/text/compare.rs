//! Comparing two runs (the history's "Compare" boxes and `/compare/<a>/<b>`).

pub const COL_COMPARE: &str = "Compare";
pub const COMPARE_SELECTED: &str = "Compare selected";
pub const COMPARE_WITH_PREVIOUS: &str = "Compare with the previous run of this folder";
/// The same in parts: every other part is read, not shown, on a phone.
pub const COMPARE_WITH_PREVIOUS_PARTS: [&str; 2] =
    ["Compare", " with the previous run of this folder"];
pub const COMPARE_NO_PREVIOUS: &str =
    "No earlier run of this folder among the last 100 runs: nothing to compare with.";
pub fn compare_previous_failed(why: &str) -> String {
    format!("The runs could not be read to find the previous one: {why}")
}

/// The accessible name of a run's "Compare" box: "Compare run 693d61a8… on /content/dam/x".
pub fn compare_pick_label(short_id: &str, path: &str) -> String {
    format!("Compare run {short_id} on {path}")
}

/// Beside "Compare selected": how many runs are ticked and what is still needed.
pub fn compare_picked(n: usize) -> String {
    match n {
        0 => "Tick two runs to compare them".into(),
        1 => "1 run ticked: tick one more".into(),
        2 => "2 runs ticked".into(),
        n => format!("{n} runs ticked: a comparison takes two"),
    }
}

pub const COMPARE_TITLE: &str = "Compare two runs";
pub const COMPARE_ORDER_NOTE: &str =
    "The older run is on the left, whichever order the address gives.";
pub const COMPARE_LOADING: &str = "Loading the two runs…";
pub const COMPARE_SAME_RUN: &str =
    "Both parts of the address name the same run: pick two different runs to compare.";
pub const COMPARE_REFRESH: &str = "Refresh";
pub const COMPARE_FROM_LOGS_ONLY: &str =
    "This server has no per-asset status: the changes come from the two logs alone.";
pub const COMPARE_LOOKUP_FAILED: &str =
    "The per-asset status could not be read: the changes come from the two logs alone.";
pub const COMPARE_TABLE_CAPTION: &str = "The two runs side by side";
pub const COMPARE_FIGURE: &str = "Figure";
pub const COMPARE_OLDER: &str = "Older run";
pub const COMPARE_NEWER: &str = "Newer run";
pub const COMPARE_DIFFERENCE: &str = "Difference";
pub const COMPARE_RUN: &str = "Run";
pub const COMPARE_OPEN_JOB: &str = "Job";
pub const COMPARE_OPEN_REPORT: &str = "Report";
pub const COMPARE_COUNTED: &str = "Assets counted";
pub const COMPARE_HANDLED: &str = "Assets handled";
pub const COMPARE_PROCESSED: &str = "Processed";
pub const COMPARE_FAILED: &str = "Failed assets";
pub const COMPARE_SKIPPED: &str = "Skipped";
pub const COMPARE_WARNINGS: &str = "Warnings";
pub const COMPARE_THROUGHPUT: &str = "Throughput";
pub const COMPARE_SAME: &str = "the same";
pub const COMPARE_UNKNOWN: &str = "not known";
pub const COMPARE_CHANGES_LOADING: &str = "Reading the logs for what changed…";
pub const COMPARE_NEWLY_FAILING: &str = "Newly failing";
pub const COMPARE_NEWLY_FAILING_HELP: &str = "Failed in the newer run, not in the older.";
pub const COMPARE_FIXED: &str = "Fixed";
pub const COMPARE_FIXED_HELP: &str =
    "Failed in the older run; the newer run processed them without failing.";
pub const COMPARE_STILL_FAILING: &str = "Still failing";
pub const COMPARE_STILL_FAILING_HELP: &str = "Failed in both runs.";
pub const COMPARE_NOT_RETRIED: &str = "Failed before, not retried";
pub const COMPARE_NOT_RETRIED_HELP: &str =
    "Failed in the older run; the newer run did not process them.";
pub const COMPARE_LIST_EMPTY: &str = "None.";
pub const COMPARE_LOG_SILENT: &str = "its log does not name it";
pub const COMPARE_NOTE_NOT_IN_OLDER: &str =
    "not taken in by the older run (another folder, excluded or filtered out)";
pub const COMPARE_NOTE_OUTSIDE_NEWER: &str =
    "not taken in by the newer run (another folder, excluded or filtered out)";
pub const COMPARE_NOTE_NOT_YET: &str = "not processed yet: the newer run is still running";
pub const COMPARE_NOTE_NOT_REACHED: &str =
    "the newer run ended before processing it, or its creation-time window left it out";
pub const COMPARE_NOTE_GONE: &str = "no longer in the repository";

/// "There is no run with the ID x: …".
pub fn compare_run_missing(id: &str) -> String {
    format!(
        "There is no run with the ID {id}: it may have been removed, or the address is mistyped."
    )
}

/// Runs of two folders are compared all the same, with a note.
pub fn compare_different_folders(older: &str, newer: &str) -> String {
    format!(
        "These runs are of different folders ({older} and {newer}). They are compared all the \
         same; an asset only one of them took in is marked so."
    )
}

/// A run still going: "Run 693d61a8… has not ended: …".
pub fn compare_not_final(short_id: &str) -> String {
    format!(
        "Run {short_id} has not ended: its figures and failures are what is known now, not final."
    )
}

/// "Reading the log of run 693d61a8…: 3,000 of 12,000 lines".
pub fn compare_reading(short_id: &str, read: &str, total: Option<&str>) -> String {
    match total {
        Some(total) => format!("Reading the log of run {short_id}: {read} of {total} lines…"),
        None => format!("Reading the log of run {short_id}: {read} lines…"),
    }
}

/// A column's run: "Older run 693d61a8…".
pub fn compare_side(side: &str, short_id: &str) -> String {
    format!("{side} {short_id}")
}

/// Accessible names of the links to a run's pages.
pub fn compare_job_link(short_id: &str) -> String {
    format!("Job page of run {short_id}")
}
pub fn compare_report_link(short_id: &str) -> String {
    format!("Per-asset report of run {short_id}")
}

/// "12.5 assets/s".
pub fn throughput(per_second: &str) -> String {
    format!("{per_second} assets/s")
}

/// A difference with its sign: "+12", "−3" (a true minus sign).
pub fn compare_signed(up: bool, magnitude: &str) -> String {
    format!("{}{magnitude}", if up { '+' } else { '\u{2212}' })
}

/// A difference in words, for screen readers: "12 more", "3 fewer".
pub fn compare_more_fewer(up: bool, magnitude: &str) -> String {
    format!("{magnitude} {}", if up { "more" } else { "fewer" })
}
/// "5 s longer", "1 min 05 s shorter".
pub fn compare_longer_shorter(up: bool, magnitude: &str) -> String {
    format!("{magnitude} {}", if up { "longer" } else { "shorter" })
}
/// "1.5 assets/s faster", "… slower".
pub fn compare_faster_slower(up: bool, magnitude: &str) -> String {
    format!("{magnitude} {}", if up { "faster" } else { "slower" })
}

/// A list's heading: "Newly failing (3)".
pub fn compare_list_title(title: &str, n: &str) -> String {
    format!("{title} ({n})")
}
/// "Showing 100 of 1,234".
pub fn compare_showing(shown: &str, total: &str) -> String {
    format!("Showing {shown} of {total}")
}
/// "Show 100 more".
pub fn compare_show_more(n: &str) -> String {
    format!("Show {n} more")
}
/// An asset's line in one run's log: "Line 12 of run 693d61a8…'s log, about /content/dam/x".
pub fn compare_line_label(n: &str, short_id: &str, path: &str) -> String {
    format!("Line {n} of the log of run {short_id}, about {path}")
}
