//! Every sentence the console shows, in one place so it can be translated. (It depends on
//! nothing of the console's: modules use it, never the other way round.)

use asset_processing_api::JobAction;

pub const APP_TITLE: &str = "Asset processing";
pub const APP_SUBTITLE: &str = "Bulk processing of AEM Guides assets";
pub const SKIP_TO_CONTENT: &str = "Skip to content";
pub const CRASHED: &str = "The console stopped because of an error of its own. Reload the page to \
     continue; jobs on the server are not affected, and what you typed in the start form is kept.";
pub const LOGS: &str = "Logs";

pub const HISTORY_TITLE: &str = "Recent runs";
pub const HISTORY_LOADING: &str = "Loading the recent runs…";
pub const HISTORY_EMPTY_TITLE: &str = "No processing runs yet";
pub const HISTORY_EMPTY_BODY: &str =
    "Start a job to process every asset under a folder; its progress and logs will show here.";
pub const TRY_AGAIN: &str = "Try again";
pub const SIGN_IN: &str = "Sign in";

pub const COL_STATUS: &str = "Status";
pub const COL_ID: &str = "Execution ID";
pub const COL_TYPE: &str = "Feature type";
pub const COL_FOLDER: &str = "Folder";
pub const COL_EXCLUDED: &str = "Excluded folders";
pub const COL_CREATED_BY: &str = "Created by";
pub const COL_STARTED: &str = "Start time";
pub const COL_ENDED: &str = "End time";
pub const COL_DURATION: &str = "Duration";
pub const COL_PROGRESS: &str = "Progress";
pub const NOT_YET: &str = "—";
pub const NONE: &str = "none";

pub const NOT_FOUND_TITLE: &str = "Page not found";
pub const NOT_FOUND_BODY: &str = "This address is not a page of the console.";
pub const BACK_TO_HISTORY: &str = "Back to the recent runs";

// Why a call failed (`ClientError::message` picks the sentence).
pub const ERROR_NETWORK: &str =
    "The server could not be reached. Check your connection; the console retries when you ask it to.";
pub const ERROR_SESSION_ENDED: &str =
    "Your session has ended. Sign in again; what you typed stays here.";
pub const ERROR_FORBIDDEN: &str = "The server refused this request";
pub const ERROR_NOT_FOUND: &str = "Not found";
pub const ERROR_CONFLICT: &str = "The job's state does not allow this now";

/// "The server rejected the request (400)"; a 429 is a start refused because too many of
/// the person's runs are waiting, which the server's own sentence then explains.
pub fn error_rejected(status: u16) -> String {
    match status {
        429 => ERROR_TOO_MANY_WAITING.into(),
        _ => format!("The server rejected the request ({status})"),
    }
}
pub const ERROR_TOO_MANY_WAITING: &str = "Not started";

/// "The server failed (503). Try again in a moment".
pub fn error_server(status: u16) -> String {
    format!("The server failed ({status}). Try again in a moment")
}

/// A 2xx whose body could not be read.
pub fn error_bad_json(detail: &str) -> String {
    format!("The server's answer could not be read ({detail}).")
}

/// A general sentence, then the server's own when it sent one: "Not found: no job x".
pub fn with_server_message(general: &str, server: &str) -> String {
    if server.trim().is_empty() {
        general.to_string()
    } else {
        format!("{general}: {server}")
    }
}

/// "850 ms" → "< 1 s", "42 s", "3 min 05 s", "2 h 07 min".
pub fn duration(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < 1_000 {
        return "< 1 s".into();
    }
    let s = ms / 1_000;
    match s {
        0..=59 => format!("{s} s"),
        60..=3_599 => format!("{} min {:02} s", s / 60, s % 60),
        _ => format!("{} h {:02} min", s / 3_600, (s % 3_600) / 60),
    }
}

/// The percent after a count: " (45 %)".
pub fn percent_after(percent: u32) -> String {
    format!(" ({percent} %)")
}

/// "12 of 40 assets" and friends.
/// `number` renders a count in the reader's locale (see `browser::number`).
pub fn progress(handled: u64, total: Option<u64>, number: impl Fn(u64) -> String) -> String {
    match total {
        Some(total) => format!("{} of {}", number(handled), number(total)),
        None => format!("{} so far", number(handled)),
    }
}

// Navigation and actions.
pub const NEW_JOB: &str = "Start a job";
pub const VIEW: &str = "View";
pub const CANCEL: &str = "Cancel job";
pub const RESUME: &str = "Resume";
pub const RESTART: &str = "Restart";
pub const DOWNLOAD_LOGS: &str = "Download logs (ZIP)";
pub const LOG_FILES: &str = "Log files";
pub const NO_LOG_FILES: &str = "The server named no log files for this run.";
pub const HEALTH_OK: &str = "Processing back end: healthy";
pub const HEALTH_UNREACHABLE: &str = "Processing back end not answering";
/// The published advice when AEM Guides' own database check fails.
pub const HEALTH_DATABASE_FAILED: &str =
    "Database connection check failed: stop using the system and contact Adobe support";

/// The header's warning when the system status says the back end is unhealthy.
pub fn health_unhealthy(reason: &str) -> String {
    format!("Processing back end unhealthy ({reason})")
}
pub const COPY_ID: &str = "Copy ID";
pub const COPIED: &str = "Copied";
pub const KEEP_RUNNING: &str = "Keep it running";
pub const CONFIRM_CANCEL_TITLE: &str = "Cancel this job?";
pub const CONFIRM_CANCEL_BODY: &str =
    "Processing stops after the asset in hand. What is done stays done, and you can resume later.";
pub const CONFIRM_RESTART_TITLE: &str = "Restart this job?";
pub const CONFIRM_RESTART_BODY: &str =
    "A new job processes the same folder again with the same settings. This one stays in the history.";
pub const DONT_RESTART: &str = "Don't restart";
/// A cancel the server accepted while the job still runs: the worker stops at its next commit.
pub const CANCELLING: &str = "Cancelling…";

/// The button of an action.
pub fn action_label(action: JobAction) -> &'static str {
    match action {
        JobAction::Cancel => CANCEL,
        JobAction::Resume => RESUME,
        JobAction::Restart => RESTART,
    }
}

/// An action named with its job's folder, for screen readers in a table row:
/// "Restart: /content/dam/docs".
pub fn action_on(what: &str, path: &str) -> String {
    format!("{what}: {path}")
}

// The start form.
pub const START_TITLE: &str = "Start a processing job";
pub const START_INTRO: &str = "Every asset under the folder is processed: checked, hashed, and for DITA and XML, its references verified.";
pub const FIELD_PATH: &str = "Folder or asset";
pub const FIELD_PATH_HELP: &str = "A path under /content/dam. Type to search, or browse.";
pub const BROWSE: &str = "Browse…";
pub const USE_THIS_FOLDER: &str = "Use this folder";
pub const UP_ONE_FOLDER: &str = "Up one folder";
pub const FOLDER_EMPTY: &str = "No sub-folders here.";
pub const FIELD_EXCLUDED: &str = "Excluded folders";
pub const FIELD_EXCLUDED_HELP: &str = "Folders below the chosen one that are left out.";
pub const ADD_EXCLUDED: &str = "Add";
pub const NEW_EXCLUDED: &str = "Folder to exclude";
pub const REMOVE: &str = "Remove";
pub const FIELD_TYPE: &str = "Processing type";
pub const FIELD_FILE_TYPES: &str = "File types";
pub const FIELD_FILE_TYPES_HELP: &str = "None ticked: every file type.";
pub const FIELD_CREATED: &str = "Created";
pub const FIELD_CREATED_HELP: &str =
    "Only assets created in this window (your local time). Empty: no limit.";
pub const FIELD_CREATED_AFTER: &str = "Created after";
pub const FIELD_CREATED_BEFORE: &str = "Created before";
pub const PREFLIGHT_INTRO: &str = "A run on these assets has not finished yet:";
pub const PREFLIGHT_START_ANYWAY: &str =
    "You can still start this one; the assets in both would be processed twice.";

/// One run named by the pre-flight check: "RUNNING on /content/dam/guides (contains this folder)".
pub fn preflight_run(status: &str, path: &str, overlap: crate::start_form::Overlap) -> String {
    use crate::start_form::Overlap;
    let how = match overlap {
        Overlap::Same => "this folder",
        Overlap::Contains => "contains this folder",
        Overlap::Inside => "inside this folder",
    };
    format!("{status} on {path} ({how})")
}
pub const CHOOSE_PATH: &str = "Choose the folder (or asset) to process.";
pub const TIME_NOT_A_TIME: &str = "Enter a date and time, or leave it empty.";
pub const TIME_BEFORE_1970: &str = "Choose a time after 1 January 1970.";
pub const CREATED_BEFORE_IS_EARLIER: &str =
    "\"Created before\" is earlier than \"Created after\": no asset could match. Swap them or change one.";

/// A file-type category in words; unknown categories are shown as they came.
pub fn category_label(category: &asset_processing_api::FileCategory) -> &str {
    use asset_processing_api::FileCategory as C;
    match category {
        C::DitaTopic => "DITA topics",
        C::DitaMap => "DITA maps",
        C::Markdown => "Markdown",
        C::HtmlCss => "HTML and CSS",
        C::Ditaval => "DITAVAL",
        C::Others => "Other files",
        C::Other(name) => name,
    }
}

/// What a category's box covers, under its label.
pub fn category_hint(category: &asset_processing_api::FileCategory) -> &'static str {
    use asset_processing_api::FileCategory as C;
    match category {
        C::DitaTopic => ".dita, .xml",
        C::DitaMap => ".ditamap, .bookmap",
        C::Markdown => ".md",
        C::HtmlCss => ".html, .htm, .css",
        C::Ditaval => ".ditaval",
        C::Others => "images, PDFs, everything else",
        C::Other(_) => "",
    }
}
pub const FIELD_SKIP: &str = "Skip assets processed before and unchanged since then";
pub const SUBMIT: &str = "Start processing";
pub const SUBMITTING: &str = "Starting…";
pub const DRAFT_KEPT: &str = "Your entries are kept in this tab while you sign in.";
/// While the start form's code is fetched (a split build loads it on demand).
pub const START_LOADING: &str = "Loading the form…";

// The job view.
pub const JOB_TITLE: &str = "Processing job";
pub const JOB_LOADING: &str = "Loading the job…";
pub const LABEL_PROGRESS: &str = "Progress";
pub const LABEL_ETA: &str = "Time remaining";
pub const LABEL_STARTED: &str = "Started";
pub const LABEL_ENDED: &str = "Ended";
pub const LABEL_DURATION: &str = "Duration";
pub const LABEL_CREATED_BY: &str = "Created by";
pub const LABEL_PATH: &str = "Folder";
pub const LABEL_EXCLUDED: &str = "Excluded";
pub const LABEL_FILTER: &str = "Filter";
pub const LABEL_COMMENTS: &str = "Summary";
pub const LABEL_ID: &str = "Execution ID";
pub const LABEL_TYPE: &str = "Type";
pub const COUNTING: &str = "Counting the assets…";
pub const WAITING_IN_QUEUE: &str = "Waiting in the queue…";
pub const ALL_FILE_TYPES: &str = "all file types";
pub const SKIPS_PROCESSED: &str = "skips assets already processed";
pub const CREATED_WORD: &str = "created";
pub const CREATED_FROM: &str = "created from";
pub const CREATED_UNTIL: &str = "created until";
pub const LOG_TITLE: &str = "Log";
pub const LOG_EMPTY: &str = "No log lines yet.";
pub const NOTIFY_ME: &str = "Notify me when it finishes";
pub const NOTIFY_DENIED: &str = "Notifications are blocked for this site in the browser.";
// The job view's layout: the bar that stays at hand, the facts folded into one line.
pub const JOB_BACK_TO_RUNS: &str = "Back to runs";
pub const JOB_DETAILS: &str = "Details";
/// The sticky bar's name for screen readers: the back link, the heading, status and percent.
pub const JOB_BAR_LABEL: &str = "Job status";
/// The percent in the job's bar: "45 %".
pub fn job_bar_percent(percent: u32) -> String {
    format!("{percent} %")
}
/// The facts folded into one line: "SUCCESS · 1,992 of 1,992 (100 %) · 12 s · /content/dam/x"
/// (the folder last: a narrow screen cuts it short).
pub fn job_summary_line(status: &str, progress: &str, duration: &str, path: &str) -> String {
    format!("{status} · {progress} · {duration} · {path}")
}

// History controls.
pub const SHOW: &str = "Show";
pub const RUNS: &str = "runs";
pub const FILTER_STATUS: &str = "Status";
pub const FILTER_TEXT: &str = "Search path, ID or user";
pub const ALL_STATUSES: &str = "All";
pub const ACTIVE_STATUSES: &str = "Waiting or running";
pub const FILTER_STARTED_BY: &str = "Started by";
pub const STARTED_BY_ANYONE: &str = "Anyone";
pub const STARTED_BY_OTHERS: &str = "Others";
/// Without a known signed-in user: runs of anyone but a name the person types.
pub const STARTED_BY_OTHERS_THAN: &str = "Others than…";
pub const OTHERS_THAN_NAME: &str = "Started by others than (user ID)";
/// "Me (admin)": the signed-in user's own runs.
pub fn started_by_me(me: &str) -> String {
    format!("Me ({me})")
}
pub const NO_MATCH: &str = "No run matches these filters.";
pub const COL_ACTIONS: &str = "Actions";
pub const RUNS_TABLE: &str = "Table of runs";

/// "Connection lost, retrying in 4 s".
pub fn retrying_in(seconds: u32) -> String {
    format!("Connection lost. Retrying in {seconds} s…")
}

/// What screen readers hear when a watched job changes state.
pub fn status_announcement(status: &str, handled: u64, total: Option<u64>) -> String {
    match total {
        Some(t) => format!("Job {status}: {handled} of {t} assets handled."),
        None => format!("Job {status}."),
    }
}

/// The page title while a job is watched: "RUNNING 45 % · Asset processing".
pub fn job_document_title(status: &str, percent: Option<u32>) -> String {
    match percent {
        Some(p) if status == "RUNNING" => format!("{status} {p} % · {APP_TITLE}"),
        _ => format!("{status} · {APP_TITLE}"),
    }
}

/// "About 3 min left".
/// The remaining time of a job: in words when the unit is known, else as the server sent it
/// ("12 fortnights": an unknown unit is shown, never dropped).
pub fn eta_of(eta: &asset_processing_api::Eta) -> String {
    match (&eta.unit, eta.value) {
        (asset_processing_api::EtaUnit::Other(unit), value) if value > 0 => {
            format!("{value} {unit}")
        }
        _ => self::eta(eta.as_seconds()),
    }
}

pub fn eta(seconds: Option<u64>) -> String {
    match seconds {
        Some(0) | None => NOT_YET.into(),
        Some(s) if s < 60 => format!("about {s} s"),
        Some(s) if s < 3_600 => format!("about {} min", s.div_ceil(60)),
        Some(s) => format!("about {} h {} min", s / 3_600, (s % 3_600) / 60),
    }
}

// The log viewer.
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

// The log viewer's level filter, problems, timestamps and marked ranges.
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

// Triage: the Problems panel and the per-asset report.

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

// Comparing two runs (the history's "Compare" boxes and `/compare/<a>/<b>`).
pub const COL_COMPARE: &str = "Compare";
pub const COMPARE_SELECTED: &str = "Compare selected";
pub const COMPARE_WITH_PREVIOUS: &str = "Compare with the previous run of this folder";
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let page = include_str!("../index.html");
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
