//! Triage: the Problems panel and the per-asset report.

pub const OUTCOME_FAILED: &str = "Failed";
pub const OUTCOME_WARNED: &str = "Warnings";
pub const OUTCOME_SUCCEEDED: &str = "Succeeded";
pub const OUTCOME_FAILED_ELSEWHERE: &str = "Failed in another run";
pub const OUTCOME_PROCESSING: &str = "Processing";
pub const OUTCOME_PENDING: &str = "Never processed";
pub const PROBLEMS_TITLE: &str = "Problems";
pub const PROBLEMS_OPEN_REPORT: &str = "Per-asset report";
pub const PROBLEMS_REASON_MISSING: &str = "The log gives no reason";
pub const PROBLEMS_STATUS_FAILED: &str =
    "The per-asset status could not be read; problems are from the log alone.";

/// "2 failed assets · 15 warnings".
pub fn problems_counts(failed: &str, failed_n: usize, warnings: &str, warnings_n: u64) -> String {
    let assets = if failed_n == 1 {
        "failed asset"
    } else {
        "failed assets"
    };
    let warns = if warnings_n == 1 {
        "warning"
    } else {
        "warnings"
    };
    format!("{failed} {assets} · {warnings} {warns}")
}

/// The counts of a run still going: "1 failed asset · 3 warnings so far".
pub fn problems_so_far(counts: &str) -> String {
    format!("{counts} so far")
}

/// "From the 1,234 log lines read while the run goes on." / "From the first 2,000 of 5,400
/// log lines, read while the run goes on." (the rest is being read).
pub fn problems_read_so_far(read: &str, total: Option<&str>) -> String {
    match total {
        Some(total) => {
            format!("From the first {read} of {total} log lines, read while the run goes on.")
        }
        None => format!("From the {read} log lines read while the run goes on."),
    }
}

/// "From all 12,345 lines of the log."
pub fn problems_read_all(read: &str) -> String {
    format!("From all {read} lines of the log.")
}

/// "Read 3,000 of 12,345 log lines…".
pub fn problems_reading(read: &str, total: Option<&str>) -> String {
    match total {
        Some(total) => format!("Read {read} of {total} log lines…"),
        None => format!("Read {read} log lines…"),
    }
}

/// A link to the line that gives the reason: "Line 1,234".
pub fn problems_line(n: &str) -> String {
    format!("Line {n}")
}

/// The accessible name of that link: "Line 1,234 of the log".
pub fn problems_line_label(n: &str, path: &str) -> String {
    format!("Line {n} of the log, about {path}")
}

/// "… and 40 more in the per-asset report".
pub fn problems_more(n: &str) -> String {
    format!("… and {n} more in the per-asset report")
}

/// Why the reasons stopped: "The log could not be read to the end: …".
pub fn problems_log_failed(message: &str) -> String {
    format!("The log could not be read to the end: {message}")
}
pub const ASSET_LOOKUP_FAILED: &str = "the per-asset status look-up failed";
pub const REPORT_TITLE: &str = "Per-asset report";
pub const REPORT_BACK_TO_JOB: &str = "Back to the job";
pub const REPORT_LOADING: &str = "Loading the per-asset status…";

/// While a large per-asset status answer arrives: how much of it is read.
pub fn report_loading_assets(assets: &str) -> String {
    format!("Loading the per-asset status… {assets} assets read")
}
pub const REPORT_FROM_LOG_ONLY: &str =
    "This server has no per-asset status: the report lists the assets the log names.";
pub const REPORT_FILTER_OUTCOME: &str = "Outcome";
pub const REPORT_FILTER_PATH: &str = "Filter by path";
pub const REPORT_EXPORT: &str = "Export CSV";
pub const REPORT_TABLE_LABEL: &str = "Assets of this run";
pub const REPORT_COL_PATH: &str = "Path";
pub const REPORT_COL_OUTCOME: &str = "Outcome";
pub const REPORT_COL_REASON: &str = "Reason";
pub const REPORT_COL_LINE: &str = "Log line";

/// "Run 42a4… on /content/dam/docs".
pub fn report_of(path: &str, id: &str) -> String {
    format!("Run {id} on {path}")
}

/// "All (1,234)".
pub fn report_all_outcomes(n: &str) -> String {
    format!("All ({n})")
}

/// "1,200 of 100,000 assets".
pub fn report_shown(shown: &str, total: &str) -> String {
    format!("{shown} of {total} assets")
}

/// "Exporting… 5,000 of 100,000".
pub fn report_exporting(done: &str, total: &str) -> String {
    format!("Exporting… {done} of {total}")
}
pub const REPORT_NOT_FINISHED: &str =
    "This run has not ended yet: its per-asset report is made once it ends. Reload then.";

/// A report row's cause when a reference points at a file that does not exist.
pub fn cause_missing_file(path: &str) -> String {
    format!("Missing file {path}")
}
pub const CAUSES_TITLE: &str = "Warnings by cause";

/// "gen.dita: 34 references from 3 topics, the file does not exist".
pub fn causes_missing(
    name: &str,
    refs: &str,
    refs_n: u64,
    topics: &str,
    topics_n: usize,
) -> String {
    let r = if refs_n == 1 {
        "reference"
    } else {
        "references"
    };
    let t = if topics_n == 1 { "topic" } else { "topics" };
    format!("{name}: {refs} {r} from {topics} {t}, the file does not exist")
}

/// "No image dimensions: 6 warnings about 2 assets".
pub fn causes_kind(kind: &str, n: &str, n_n: u64, assets: &str, assets_n: usize) -> String {
    let w = if n_n == 1 { "warning" } else { "warnings" };
    match assets_n {
        0 => format!("{kind}: {n} {w}"),
        1 => format!("{kind}: {n} {w} about 1 asset"),
        _ => format!("{kind}: {n} {w} about {assets} assets"),
    }
}

/// Where the missing file was looked for: "Looked for at /content/dam/a/gen.dita".
pub fn causes_looked_for(path: &str) -> String {
    format!("Looked for at {path}")
}

/// A line of a group: "Line 1,234" (its link opens the log there).
pub fn causes_line_label(n: &str, path: &str) -> String {
    if path.is_empty() {
        format!("Line {n} of the log")
    } else {
        format!("Line {n} of the log, about {path}")
    }
}

/// "… and 120 more lines: the log's "Warnings and errors" filter shows them all".
pub fn causes_more_lines(n: &str) -> String {
    format!(
        "… and {n} more lines: the log's “{}” filter shows them all",
        super::LOG_FILTER_PROBLEMS
    )
}

/// "… and 4 more causes".
pub fn causes_more(n: &str) -> String {
    format!("… and {n} more causes")
}
