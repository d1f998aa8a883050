//! What a run says about its progress: the counts of handled assets and their summary, the
//! estimated time left, and the progress line of the log. Pure arithmetic and words.

use std::time::Duration;

use super::asset::group;
use crate::clock::now_ms;
use crate::store::assets::Outcome;
use crate::store::logs::{format_line, Level};

/// Counts of this job's handled assets.
#[derive(Clone, Copy, Default)]
pub(super) struct Counts {
    pub processed: u64,
    pub failed: u64,
    pub skipped: u64,
}

impl Counts {
    pub fn handled(&self) -> u64 {
        self.processed + self.failed + self.skipped
    }
    pub fn add(&mut self, o: Outcome) {
        match o {
            Outcome::Processed => self.processed += 1,
            Outcome::Failed => self.failed += 1,
            Outcome::Skipped => self.skipped += 1,
        }
    }
    pub fn summary(&self) -> String {
        format!(
            "{} processed, {} failed, {} skipped",
            group(self.processed),
            group(self.failed),
            group(self.skipped)
        )
    }
}

/// Remaining seconds from the rate measured in this run.
pub(super) fn eta_seconds(
    total: u64,
    handled: u64,
    handled_at_start: u64,
    elapsed: Duration,
) -> i64 {
    let done_now = handled.saturating_sub(handled_at_start);
    let secs = elapsed.as_secs_f64();
    if done_now == 0 || secs <= 0.0 {
        return 0;
    }
    let rate = done_now as f64 / secs;
    (total.saturating_sub(handled) as f64 / rate).ceil() as i64
}

pub(super) fn progress_line(total: u64, handled: u64, eta: i64) -> String {
    let percent = (handled * 100).checked_div(total).unwrap_or(100);
    format_line(
        now_ms(),
        Level::Info,
        &format!(
            "Progress: {} of {} asset(s) ({percent} %), about {} remaining",
            group(handled),
            group(total),
            human_seconds(eta)
        ),
    )
}

fn human_seconds(s: i64) -> String {
    match s {
        i64::MIN..=59 => format!("{} s", s.max(0)),
        60..=3_599 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3_600, (s % 3_600) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eta_from_the_measured_rate() {
        assert_eq!(eta_seconds(100, 0, 0, Duration::from_secs(1)), 0);
        assert_eq!(eta_seconds(100, 50, 0, Duration::from_secs(10)), 10);
        // A resumed run measures only what it did itself.
        assert_eq!(eta_seconds(100, 60, 50, Duration::from_secs(10)), 40);
        assert_eq!(human_seconds(75), "1 min 15 s");
    }
}
