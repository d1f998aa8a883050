//! The job view: its facts, progress, the bar that stays at hand.

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
