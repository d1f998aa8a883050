//! The log viewer: pages, following, search, go to line.

pub const LOG_LOADING: &str = "Loading the log…";
pub const LOG_LINES_LABEL: &str = "Log lines";
pub const LOG_LINE_LOADING: &str = "loading…";
pub const LOG_FIRST_PAGE: &str = "First page";
pub const LOG_PREVIOUS_PAGE: &str = "Previous page";
pub const LOG_NEXT_PAGE: &str = "Next page";
pub const LOG_LAST_PAGE: &str = "Last page";
pub const LOG_PAGES: &str = "Pages of the log";
/// The fold of the log's tool bar on a narrow screen (pages, go to line, wrap, times, follow,
/// download).
pub const LOG_TOOLS: &str = "Log tools";
pub const LOG_GO_TO_LINE: &str = "Go to line";
pub const LOG_GO: &str = "Go";
pub const LOG_WRAP: &str = "Wrap lines";
pub const LOG_FOLLOW: &str = "Follow";
pub const LOG_FIND: &str = "Find in log";
pub const LOG_FIND_NEXT: &str = "Next match";
pub const LOG_FIND_PREVIOUS: &str = "Previous match";
pub const LOG_SCAN_FORWARD: &str = "Search to the end";
pub const LOG_SCAN_BACKWARD: &str = "Search to the start";
pub const LOG_SCAN_CANCEL: &str = "Stop searching";
pub const LOG_COPY_LINE: &str = "Copy line";
pub const LOG_COPY_LINK: &str = "Copy link to line";
pub const LOG_WARN_MARK: &str = "Warning";
pub const LOG_ERROR_MARK: &str = "Error";
pub const LOG_RETRY: &str = "Try again";

/// "Lines 1,201–1,240 of 1,000,000".
pub fn log_position(first: &str, last: &str, total: &str) -> String {
    format!("Lines {first}–{last} of {total}")
}

/// "Page 2 of 1,000".
pub fn log_page(page: &str, pages: &str) -> String {
    format!("Page {page} of {pages}")
}

/// The button that ends a pause: "1,234 new lines, jump to latest".
pub fn log_new_lines(n: &str, one: bool) -> String {
    if one {
        format!("{n} new line, jump to latest")
    } else {
        format!("{n} new lines, jump to latest")
    }
}

/// "Line 1,234".
pub fn log_line(n: &str) -> String {
    format!("Line {n}")
}

/// "Line 1,234 selected".
pub fn log_line_selected(n: &str) -> String {
    format!("Line {n} selected")
}

/// Go to line with a number outside the log.
pub fn log_line_out_of_range(total: &str) -> String {
    format!("Enter a line number from 1 to {total}.")
}

/// A deep link to a line the log does not have (yet).
pub fn log_line_missing(n: &str, total: &str) -> String {
    format!("Line {n} is not in the log (it has {total} lines so far).")
}

/// The search's count: "3 of 12 matches", "12 matches in 20,000 of 1,000,000 lines searched".
pub fn log_matches(
    current: Option<usize>,
    count: usize,
    searched: &str,
    total: &str,
    complete: bool,
) -> String {
    let count_text = match (current, count) {
        (_, 0) => "No matches".to_string(),
        (Some(c), n) => format!("{c} of {n} matches"),
        (None, 1) => "1 match".to_string(),
        (None, n) => format!("{n} matches"),
    };
    if complete {
        format!("{count_text} in the whole log")
    } else {
        format!("{count_text} in {searched} of {total} lines searched")
    }
}

/// "Searching… page 40 of 1,000".
pub fn log_scanning(done: &str, total: &str) -> String {
    format!("Searching… page {done} of {total}")
}

/// Why lines could not be loaded.
pub fn log_load_failed(message: &str) -> String {
    format!("Some lines could not be loaded: {message}")
}
