//! Navigation and a job's actions (cancel, resume, restart), their confirmations.

use asset_processing_api::JobAction;

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
