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

/// The bars' name: "Durations of the last 3 runs of /content/dam/docs".
pub fn past_runs_label(n: usize, path: &str) -> String {
    if n == 1 {
        format!("Duration of the last run of {path}")
    } else {
        format!("Durations of the last {n} runs of {path}")
    }
}

/// "The last run of this folder took 4 min 12 s for 1,992 assets."
pub fn past_last_run(duration: &str, handled: &str, handled_n: u64) -> String {
    let a = if handled_n == 1 { "asset" } else { "assets" };
    format!("The last run of this folder took {duration} for {handled} {a}.")
}

/// "Runs before, newest first: 4 min 12 s, 1 min 05 s".
pub fn past_all(durations: &str) -> String {
    format!("Newest first: {durations}.")
}

pub const OUTCOMES_LABEL: &str = "This run's assets by result";
pub const OUTCOME_OTHER: &str = "Other";

/// "Succeeded 1,200".
pub fn outcome_count(outcome: &str, n: &str) -> String {
    format!("{outcome} {n}")
}
