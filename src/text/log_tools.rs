//! The log viewer's level filter, problems, timestamps and marked ranges.

pub const LOG_SHOW: &str = "Show";
pub const LOG_FILTER_ALL: &str = "All lines";
pub const LOG_FILTER_PROBLEMS: &str = "Warnings and errors";
pub const LOG_FILTER_ERRORS: &str = "Errors only";
pub const LOG_TIMES: &str = "Times";
pub const LOG_TIMES_UTC: &str = "As written (UTC)";
pub const LOG_TIMES_LOCAL: &str = "Local time";
pub const LOG_TIMES_SINCE_START: &str = "Since start";
pub const LOG_TIMES_HIDDEN: &str = "Hidden";
pub const LOG_NEXT_PROBLEM: &str = "Next problem";
pub const LOG_PREVIOUS_PROBLEM: &str = "Previous problem";
pub const LOG_PROBLEMS_GROUP: &str = "Warnings and errors in the log";
pub const LOG_NEXT_PROBLEM_TITLE: &str = "Next warning or error (key: N)";
pub const LOG_PREVIOUS_PROBLEM_TITLE: &str = "Previous warning or error (key: Shift+N)";
pub const LOG_READ_REST: &str = "Read the rest of the log";
pub const LOG_READ_CANCEL: &str = "Stop reading";
pub const LOG_READING: &str = "Reading the log";
pub const LOG_GO_TO_HINT: &str =
    "A line (120) or a range (120-140). Shift+Enter marks from the marked line to the line typed; Shift+click on a line number does the same.";
pub const LOG_COPY_LINES: &str = "Copy lines";
pub const LOG_COPY_RANGE_LINK: &str = "Copy link to lines";
pub const LOG_COPYING: &str = "Loading the lines to copy…";
pub const LOG_LINK_COPIED: &str = "Link copied";

/// "Reading… page 40 of 1,000" (a filter or a problem search reading further pages).
pub fn log_reading(done: &str, total: &str) -> String {
    format!("Reading… page {done} of {total}")
}

/// The filter's count: "12 lines in 20,000 of 1,000,000 lines read", or in the whole log.
pub fn log_filter_count(n: &str, one: bool, read: &str, total: &str, complete: bool) -> String {
    let lines = if one {
        format!("{n} line")
    } else {
        format!("{n} lines")
    };
    if complete {
        format!("{lines} in the whole log ({total} lines)")
    } else {
        format!("{lines} in {read} of {total} lines read")
    }
}

/// The filtered list with nothing to show.
pub fn log_filter_empty(errors_only: bool, complete: bool) -> &'static str {
    match (errors_only, complete) {
        (true, true) => "No errors in this log.",
        (true, false) => "No errors in the lines read so far.",
        (false, true) => "No warnings or errors in this log.",
        (false, false) => "No warnings or errors in the lines read so far.",
    }
}

/// A line the filter hides was gone to: the filter is off now.
pub fn log_hidden_line_shown(n: &str) -> String {
    format!("Line {n} is not a line the filter shows: showing all lines.")
}

/// "Next problem" found none.
pub fn log_no_more_problems(errors_only: bool, forward: bool, n: &str) -> String {
    let what = if errors_only {
        "errors"
    } else {
        "warnings or errors"
    };
    let side = if forward { "after" } else { "before" };
    format!("No more {what} {side} line {n}.")
}

/// "Lines 10–20 selected (11 lines)".
pub fn log_lines_selected(first: &str, last: &str, count: &str) -> String {
    format!("Lines {first}–{last} selected ({count} lines)")
}

/// What "Copy lines" did.
pub fn log_copied(n: &str, one: bool) -> String {
    if one {
        "Line copied".to_string()
    } else {
        format!("{n} lines copied")
    }
}

/// A range too long to copy from the browser.
pub fn log_copy_too_many(max: &str) -> String {
    format!("Copy at most {max} lines at a time; the log's ZIP has all of it.")
}
