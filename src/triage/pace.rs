//! A run's pace from its log, pure and tested natively: the progress lines the reference
//! server writes every two seconds ("Progress: 1,204 of 1,992 asset(s) (60 %), …"), each with
//! its leading timestamp, as (when, assets handled by then) readings for the job view's curve
//! of a finished run. They are gathered as triage reads the log in order (`Reasons::add_page`):
//! no line is read for them that the Problems panel does not read anyway. A log without such
//! lines (or without timestamps) gives none, and the view draws no curve from it.

use crate::log_model::leading_stamp;

/// Readings kept: past this, every other one is dropped (the curve keeps its shape; the
/// last reading always stays).
pub const KEPT: usize = 400;

/// One reading: when (epoch ms) and how many assets were handled by then (also a running
/// job's curve's sample, kept in session storage).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Reading {
    pub t: i64,
    pub handled: u64,
}

/// The readings of the progress lines read so far, and how many there were.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pace {
    readings: Vec<Reading>,
    /// Progress lines read (more than the readings kept, on a long run).
    lines: u64,
}

/// The assets handled a progress message gives: "Progress: 1,204 of …" is 1,204.
fn handled_in(message: &str) -> Option<u64> {
    let rest = message.strip_prefix("Progress: ")?;
    let (count, after) = rest.split_once(' ')?;
    if !after.starts_with("of ") {
        return None;
    }
    let digits: String = count.chars().filter(|c| *c != ',').collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Adds a reading to a series in time order: one no later than the last, or with fewer
/// assets (another run's numbers), is ignored; past `KEPT` every other reading is dropped
/// (the curve keeps its shape; the last reading always stays).
pub fn add_reading(series: &mut Vec<Reading>, reading: Reading) {
    if let Some(last) = series.last() {
        if reading.t <= last.t || reading.handled < last.handled {
            return;
        }
    }
    series.push(reading);
    if series.len() > KEPT {
        let mut k = 0;
        series.retain(|_| {
            k += 1;
            k % 2 == 1
        });
        if series.last() != Some(&reading) {
            series.push(reading);
        }
    }
}

impl Pace {
    /// Reads one line of the log (one that is not a problem: most lines pass here, so a line
    /// without the progress words costs one substring search).
    pub fn add_line(&mut self, line: &str) {
        if !line.contains(" Progress: ") {
            return;
        }
        // The message follows the timestamp and the level.
        let message = line.splitn(3, ' ').nth(2).unwrap_or("");
        let Some(handled) = handled_in(message) else {
            return;
        };
        let Some(stamp) = leading_stamp(line) else {
            return;
        };
        self.lines += 1;
        let reading = Reading {
            t: stamp.ms,
            handled,
        };
        add_reading(&mut self.readings, reading);
    }

    pub fn readings(&self) -> &[Reading] {
        &self.readings
    }

    /// Progress lines read so far.
    pub fn lines(&self) -> u64 {
        self.lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(p: &mut Pace, line: &str) {
        p.add_line(line);
    }

    #[test]
    fn progress_lines_give_readings_with_their_timestamps() {
        let mut p = Pace::default();
        add(
            &mut p,
            "2026-11-29T03:35:00.000Z INFO Counting assets in /content/dam/docs",
        );
        add(
            &mut p,
            "2026-11-29T03:35:02.000Z INFO Progress: 200 of 1,992 asset(s) (10 %), about 18 s remaining",
        );
        add(
            &mut p,
            "2026-11-29T03:35:03.000Z INFO Processed /content/dam/docs/a.dita (dita, 12 bytes)",
        );
        add(
            &mut p,
            "2026-11-29T03:35:04.500Z INFO Progress: 1,204 of 1,992 asset(s) (60 %), about 2 s remaining",
        );
        // No timestamp, or not a count: no reading.
        add(&mut p, "INFO Progress: 1,300 of 1,992 asset(s)");
        add(
            &mut p,
            "2026-11-29T03:35:05.000Z INFO Progress: lots of assets",
        );
        let t0 = leading_stamp("2026-11-29T03:35:02.000Z x").unwrap().ms;
        assert_eq!(
            p.readings(),
            &[
                Reading {
                    t: t0,
                    handled: 200
                },
                Reading {
                    t: t0 + 2_500,
                    handled: 1_204
                }
            ]
        );
        assert_eq!(p.lines(), 2);
    }

    #[test]
    fn a_long_run_keeps_its_shape_in_few_readings() {
        let mut p = Pace::default();
        for k in 0..1_000u64 {
            let secs = k * 2;
            let line = format!(
                "2026-11-29T{:02}:{:02}:{:02}.000Z INFO Progress: {k} of 1,000 asset(s) (0 %), about 1 s remaining",
                secs / 3600,
                secs / 60 % 60,
                secs % 60
            );
            add(&mut p, &line);
        }
        assert!(p.readings().len() <= KEPT);
        assert_eq!(p.readings().first().unwrap().handled, 0);
        assert_eq!(p.readings().last().unwrap().handled, 999);
        assert_eq!(p.lines(), 1_000);
    }
}
