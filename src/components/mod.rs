//! Small reusable views. Each reads like what it draws; logic lives in pure modules.

mod compare_picks;
mod confirm;
mod error_panel;
mod folder_path;
mod header;
mod health_dot;
mod job_actions;
mod log_download;
mod log_viewer;
mod problems;
mod progress_bar;
mod report_table;
mod reprocess;
mod run_chart;
mod status_badge;
mod time;

pub use compare_picks::{toggle_pick, CompareSelected, CompareWithPrevious};
pub use confirm::Confirm;
pub use error_panel::ErrorPanel;
pub use folder_path::FolderPath;
pub use header::Header;
pub use health_dot::HealthDot;
pub use job_actions::{use_job_actions, JobActions, JobActionsCtl, JobActionsOutlet};
pub use log_download::{ask_for_logs, plain_click, LogDownload};
pub use log_viewer::{LogFeed, LogViewer, ROW_PX};
pub use problems::{use_triage, use_triage_over, Assets, Problems, Reading, Triage};
pub use progress_bar::ProgressBar;
pub use report_table::{export_csv, ReportTable};
pub use reprocess::{
    report_failures, use_reprocess, ReprocessButton, ReprocessCtl, ReprocessOffer, ReprocessPanel,
};
pub use run_chart::{JobPastRuns, OutcomeBar, PastRuns, RunChart};
pub use status_badge::{status_tone, StatusBadge};
pub use time::{now_ms, LocalTime};
