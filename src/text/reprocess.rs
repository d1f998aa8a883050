//! Reprocessing what failed: the offer, the batch's panel, its states.

/// "Reprocess 1 failed asset" / "Reprocess 12 failed assets".
pub fn reprocess_offer(n: &str, n_n: usize) -> String {
    if n_n == 1 {
        format!("Reprocess {n} failed asset")
    } else {
        format!("Reprocess {n} failed assets")
    }
}
pub const REPROCESS_CONFIRM_TITLE: &str = "Reprocess the failed assets?";

/// "12 assets will each be started as a job of its own, 3 at a time."
pub fn reprocess_confirm_body(n: &str, at_once: usize) -> String {
    format!("{n} assets will each be started as a job of its own, {at_once} at a time.")
}
pub const REPROCESS_CONFIRM: &str = "Reprocess";
pub const REPROCESS_DISMISS: &str = "Keep as is";

/// Above the limit: "612 assets failed: too many to start one job each. Process the folder
/// /content/dam/docs again instead."
pub fn reprocess_use_folder(n: &str, folder: &str) -> String {
    format!("{n} assets failed: too many to start one job each. Process the folder {folder} again instead.")
}
pub const REPROCESS_TITLE: &str = "Reprocessing the failed assets";
pub const REPROCESS_STOP: &str = "Stop";
pub const REPROCESS_STOPPING: &str = "Stopping…";
pub const REPROCESS_DISMISS_PANEL: &str = "Close";
pub const REPROCESS_LIST_LABEL: &str = "Assets being reprocessed";
pub const REPROCESS_QUEUED: &str = "Queued";
pub const REPROCESS_STARTING: &str = "Starting";
pub const REPROCESS_RUNNING: &str = "Running";
pub const REPROCESS_SUCCEEDED: &str = "Succeeded";
pub const REPROCESS_FAILED: &str = "Failed";
pub const REPROCESS_STOPPED: &str = "Stopped";
pub const REPROCESS_NOT_STARTED: &str = "Not started";
pub const REPROCESS_RELOADED: &str =
    "the page was reloaded while this asset was being started: the history shows whether its job started";
pub const REPROCESS_FAILED_AGAIN: &str = "the asset failed again: its job's log says why";

/// The job link's name (its visible text, the short id, first): "Job 3f2a9c1e… of
/// /content/dam/a.dita".
pub fn reprocess_job_label(short_id: &str, path: &str) -> String {
    format!("Job {short_id} of {path}")
}

/// "2 of 5 done: 1 succeeded, 1 failed".
pub fn reprocess_progress(done: &str, total: &str, ok: usize, failed: usize, off: usize) -> String {
    let mut s = format!("{done} of {total} done: {ok} succeeded, {failed} failed");
    if off > 0 {
        s.push_str(&format!(", {off} not started or stopped"));
    }
    s
}

/// "All 5 assets were processed without failure."
pub fn reprocess_all_succeeded(n: &str, n_n: usize) -> String {
    if n_n == 1 {
        "The asset was processed without failure.".to_string()
    } else {
        format!("All {n} assets were processed without failure.")
    }
}

/// "Compare this run with the newest run of /content/dam/docs".
pub fn reprocess_compare(folder: &str) -> String {
    format!("Compare this run with the newest run of {folder}")
}

/// A start or a cancel that failed: "Could not start /content/dam/a.dita: …".
pub fn reprocess_start_failed(message: &str) -> String {
    format!("the start was refused: {message}")
}
pub fn reprocess_stop_failed(path: &str, message: &str) -> String {
    format!("Could not stop the job of {path}: {message}")
}
