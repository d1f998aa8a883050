//! The history's controls and columns.

use super::{APP_TITLE, NOT_YET};

pub const SHOW: &str = "Show";
pub const RUNS: &str = "runs";
pub const FILTER_STATUS: &str = "Status";
pub const FILTER_TEXT: &str = "Search path, ID or user";
pub const ALL_STATUSES: &str = "All";
pub const ACTIVE_STATUSES: &str = "Waiting or in progress";
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
        Some(t) => format!("Job status: {status}. {handled} of {t} assets handled."),
        None => format!("Job status: {status}."),
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

pub const HISTORY_TITLE: &str = "Recent runs";
pub const HISTORY_LOADING: &str = "Loading the recent runs…";
pub const HISTORY_EMPTY_TITLE: &str = "No processing runs yet";
pub const HISTORY_EMPTY_BODY: &str =
    "Start a job to process every asset under a folder; its progress and logs will show here.";
pub const COL_STATUS: &str = "Status";
pub const COL_ID: &str = "ID";
pub const COL_TYPE: &str = "Feature type";
pub const COL_FOLDER: &str = "Folder";
pub const COL_STARTED_BY: &str = "Started by";
pub const COL_STARTED: &str = "Started";
pub const COL_DURATION: &str = "Duration";
/// Above the table when every run shown has the same feature type.
pub fn every_run_is(kind: &str) -> String {
    format!("Feature type: {kind}")
}
/// The quiet second line of a run's folder: "2 excluded folders".
pub fn excluded_count(n: usize) -> String {
    match n {
        1 => "1 excluded folder".into(),
        n => format!("{n} excluded folders"),
    }
}
/// A running run's failures so far, under its status: "3 failed so far".
pub fn failed_so_far(n: u64) -> String {
    format!("{n} failed so far")
}
/// The title of a run's duration: when it ended ("Ended 3 Dec 2026, 12:04:33").
pub fn ended_at(when: &str) -> String {
    format!("Ended {when}")
}
