//! Small reusable views. Each reads like what it draws; logic lives in pure modules.

mod confirm;
mod error_panel;
mod header;
mod job_actions;
mod log_viewer;
mod progress_bar;
mod status_badge;
mod time;

pub use confirm::Confirm;
pub use error_panel::ErrorPanel;
pub use header::Header;
pub use job_actions::{use_job_actions, JobActions, JobActionsCtl, JobActionsOutlet};
pub use log_viewer::{LogFeed, LogViewer, ROW_PX};
pub use progress_bar::ProgressBar;
pub use status_badge::{status_tone, StatusBadge};
pub use time::{now_ms, LocalTime};
