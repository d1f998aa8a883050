//! The pictures of a run.

pub const CHART_LABEL: &str = "Assets handled over time";

/// "12.5 assets/s".
pub fn chart_rate(rate: &str) -> String {
    format!("{rate} assets/s")
}

/// The picture's text summary: "Now 12.5 assets/s · average 10.1 assets/s · slowest minute
/// 4.2 assets/s · 1,200 assets handled".
pub fn chart_summary(now: &str, average: &str, slowest: &str, handled: &str) -> String {
    format!("Now {now} · average {average} · slowest minute {slowest} · {handled} assets handled")
}

/// The height of the picture: "Up to 2,000 assets".
pub fn chart_top(top: &str) -> String {
    format!("Up to {top} assets:")
}
