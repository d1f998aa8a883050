//! Small reusable views. Each reads like what it draws; logic lives in pure modules.

mod error_panel;
mod header;
mod status_badge;
mod time;

pub use error_panel::ErrorPanel;
pub use header::Header;
pub use status_badge::{status_tone, StatusBadge};
pub use time::{now_ms, LocalTime};
