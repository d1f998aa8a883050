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

/// A finished run's summary: "At the end 12.5 assets/s · average 10.1 assets/s · slowest
/// minute 4.2 assets/s · 1,992 assets handled".
pub fn chart_summary_ended(end: &str, average: &str, slowest: &str, handled: &str) -> String {
    format!("At the end {end} · average {average} · slowest minute {slowest} · {handled} assets handled")
}

/// Where a finished run's curve comes from: "From the log's 57 progress lines (all 12,345
/// lines read)." / "(3,000 of 12,345 lines read so far)".
pub fn chart_from_log(
    lines: &str,
    lines_n: u64,
    read: &str,
    total: Option<&str>,
    done: bool,
) -> String {
    let what = if lines_n == 1 {
        "progress line"
    } else {
        "progress lines"
    };
    match (done, total) {
        (true, _) => format!("From the log's {lines} {what} (all {read} lines read)."),
        (false, Some(total)) => {
            format!("From the log's {lines} {what} ({read} of {total} lines read so far).")
        }
        (false, None) => format!("From the log's {lines} {what} ({read} lines read so far)."),
    }
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

pub const PAST_RUNS_TITLE: &str = "Previous runs of this folder";
pub const PAST_RUNS_LOADING: &str = "Loading the previous runs…";
pub const PAST_RUNS_NONE: &str =
    "No earlier successful run of this folder among the last 100 runs.";

/// "The previous runs could not be loaded: …".
pub fn past_runs_failed(message: &str) -> String {
    format!("The previous runs could not be loaded: {message}")
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
