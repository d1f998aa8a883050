//! Pure arithmetic for times, durations and progress, put into words by `text`. Locale-aware
//! rendering of absolute dates happens in the browser (`components::time`); everything here
//! is native.

use asset_processing_api::{CalculationStatus, Filter, Job};

use crate::text;

/// How long the job has run: to its end, or to `now` while it runs. None before it starts.
pub fn job_duration_ms(job: &Job, now_ms: i64) -> Option<i64> {
    if job.started_at <= 0 {
        return None;
    }
    let end = if job.completed_at > 0 {
        job.completed_at
    } else {
        now_ms
    };
    Some((end - job.started_at).max(0))
}

/// How long the job has run, in words ("3 min 05 s"), or "—" before it started: the same
/// in the job's facts and its history row.
pub fn job_duration(job: &Job, now_ms: i64) -> String {
    job_duration_ms(job, now_ms)
        .map(text::duration)
        .unwrap_or_else(|| text::NOT_YET.into())
}

/// The excluded folders on one line ("/a/old, /a/tmp"), or "none".
pub fn excluded_words(paths: &[String]) -> String {
    if paths.is_empty() {
        text::NONE.to_string()
    } else {
        paths.join(", ")
    }
}

/// A time relative to now as `Intl.RelativeTimeFormat` takes it: (value, unit), negative in
/// the past ("-5 minute" reads "5 minutes ago").
pub fn relative_parts(now_ms: i64, then_ms: i64) -> (f64, &'static str) {
    let delta = (then_ms - now_ms) / 1_000;
    let s = delta.abs();
    let sign = if delta < 0 { -1.0 } else { 1.0 };
    match s {
        0..=44 => (0.0, "second"),
        45..=3_599 => (sign * ((s + 30) / 60) as f64, "minute"),
        3_600..=86_399 => (sign * ((s + 1_800) / 3_600) as f64, "hour"),
        _ => (sign * ((s + 43_200) / 86_400) as f64, "day"),
    }
}

/// What `Intl.RelativeTimeFormat` with `numeric: "auto"` says in English for the (value,
/// unit) of `relative_parts` ("now", "5 minutes ago", "yesterday", "in 2 hours"): written here
/// so that an English reader's first screen needs no `Intl` object (the page's first one loads
/// the browser's locale data, 30-40 ms of the main thread).
pub fn relative_words_en(value: f64, unit: &str) -> String {
    let n = value.abs().round() as u64;
    match (unit, value.round() as i64) {
        ("second", 0) => return "now".into(),
        ("minute", 0) => return "this minute".into(),
        ("hour", 0) => return "this hour".into(),
        ("day", 0) => return "today".into(),
        ("day", -1) => return "yesterday".into(),
        ("day", 1) => return "tomorrow".into(),
        _ => {}
    }
    let plural = if n == 1 { "" } else { "s" };
    let count = grouped_en(n);
    if value < 0.0 {
        format!("{count} {unit}{plural} ago")
    } else {
        format!("in {count} {unit}{plural}")
    }
}

/// A count as English writes it ("1,234,567"): digits grouped by three with commas.
pub use asset_processing_api::grouped as grouped_en;

/// Local date and time as "2026-12-03 18:21:20" from epoch ms and the zone's offset (local
/// minus UTC, ms): what a time's title says until the reader's locale's words are ready.
pub fn plain_local(ms: i64, offset_ms: i64) -> String {
    let iso = iso_utc(ms + offset_ms);
    format!("{} {}", &iso[..10], &iso[11..19])
}

/// `ms` since the epoch as `Date.prototype.toISOString` writes it ("2026-11-29T17:24:02.912Z"),
/// for a `<time datetime>`: no call into the browser for each of a history's times.
pub fn iso_utc(ms: i64) -> String {
    let (days, ms_of_day) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    // Howard Hinnant's days-to-civil (proleptic Gregorian calendar).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (h, m, s, milli) = (
        ms_of_day / 3_600_000,
        ms_of_day / 60_000 % 60,
        ms_of_day / 1_000 % 60,
        ms_of_day % 1_000,
    );
    format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{milli:03}Z")
}

/// Handled and total assets, and the fraction done when the total is known.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    pub handled: u64,
    /// Known once the counting phase has succeeded.
    pub total: Option<u64>,
}

impl Progress {
    pub fn of(job: &Job) -> Progress {
        let counted = job.migration_set.calculation_status == CalculationStatus::Success;
        let total = if counted {
            Some(job.migration_set.total_files)
        } else if job.is_finished() {
            // A finished job will handle nothing more: what it handled is its total, so
            // its bar is never indeterminate, whatever the counting phase says.
            Some(job.migration_set.total_files.max(job.triggered_count))
        } else {
            None
        };
        Progress {
            handled: job.triggered_count,
            total,
        }
    }

    /// 0.0 ..= 1.0; None while the total is unknown (an indeterminate bar).
    pub fn fraction(&self) -> Option<f64> {
        match self.total {
            Some(0) => Some(1.0),
            Some(t) => Some((self.handled as f64 / t as f64).clamp(0.0, 1.0)),
            None => None,
        }
    }

    /// "12 of 40 (30 %)", or "12 so far" while counting: next to a bar and in a history row.
    /// `number` renders a count in the reader's locale.
    pub fn words(&self, number: impl Fn(u64) -> String) -> String {
        let counts = text::progress(self.handled, self.total, number);
        match self.percent() {
            Some(p) => counts + &text::percent_after(p),
            None => counts,
        }
    }

    /// Whole percent, rounded down so 100 % means done.
    pub fn percent(&self) -> Option<u32> {
        self.fraction().map(|f| (f * 100.0).floor() as u32)
    }
}

/// A job's filter in words: "DITA maps, DITA topics; created 1 Mar 2026 – 30 Jun 2026;
/// skips assets already processed", or "all file types". `date` renders a time for a person
/// (the browser's `Intl` in the console).
pub fn filter_words(filter: &Filter, date: &dyn Fn(i64) -> String) -> String {
    let mut parts: Vec<String> = Vec::new();
    if filter.file_types.is_empty() {
        parts.push(text::ALL_FILE_TYPES.into());
    } else {
        let names: Vec<&str> = filter.file_types.iter().map(text::category_label).collect();
        parts.push(names.join(", "));
    }
    match (filter.start_time, filter.end_time) {
        (Some(from), Some(until)) => parts.push(format!(
            "{} {} – {}",
            text::CREATED_WORD,
            date(from),
            date(until)
        )),
        (Some(from), None) => parts.push(format!("{} {}", text::CREATED_FROM, date(from))),
        (None, Some(until)) => parts.push(format!("{} {}", text::CREATED_UNTIL, date(until))),
        (None, None) => {}
    }
    if filter.filter_processed_assets {
        parts.push(text::SKIPS_PROCESSED.into());
    }
    parts.join("; ")
}

/// The first block of an id ("693d61a8…"), as people quote them; the whole id is on the
/// job's own page.
pub fn short_id(id: &str) -> String {
    match id.char_indices().nth(8) {
        Some((i, _)) => format!("{}…", &id[..i]),
        None => id.to_string(),
    }
}

/// A path cut after each `/` ("/content/", "dam/", "My Guides/", "en"): a line may break
/// only between the pieces, never inside a name.
pub fn path_pieces(path: &str) -> Vec<&str> {
    let mut pieces: Vec<&str> = path.split_inclusive('/').collect();
    // The leading `/` stays with the first name.
    if pieces.len() > 1 && pieces[0] == "/" {
        let first = &path[..1 + pieces[1].len()];
        pieces.splice(0..2, [first]);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use asset_processing_api::{MigrationSet, Status};

    fn job(started: i64, completed: i64) -> Job {
        let mut j: Job = serde_json::from_str(r#"{"processingId":"x"}"#).unwrap();
        j.started_at = started;
        j.completed_at = completed;
        j.status = Status::Running;
        j
    }

    #[test]
    fn job_durations() {
        assert_eq!(job_duration_ms(&job(0, 0), 10_000), None);
        assert_eq!(job_duration_ms(&job(1_000, 0), 10_000), Some(9_000));
        assert_eq!(job_duration_ms(&job(1_000, 4_000), 10_000), Some(3_000));
        assert_eq!(job_duration(&job(0, 0), 10_000), "—");
        assert_eq!(job_duration(&job(1_000, 0), 43_000), "42 s");
    }

    #[test]
    fn facts_in_words() {
        assert_eq!(excluded_words(&[]), "none");
        assert_eq!(
            excluded_words(&["/content/dam/a/old".into(), "/content/dam/a/tmp".into()]),
            "/content/dam/a/old, /content/dam/a/tmp"
        );
        let plain = |n: u64| n.to_string();
        let p = Progress {
            handled: 12,
            total: Some(40),
        };
        assert_eq!(p.words(plain), "12 of 40 (30 %)");
        let counting = Progress {
            handled: 12,
            total: None,
        };
        assert_eq!(counting.words(plain), "12 so far");
    }

    #[test]
    fn iso_times_as_the_browser_writes_them() {
        assert_eq!(iso_utc(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_utc(1_795_972_442_912), "2026-11-29T17:14:02.912Z");
        assert_eq!(iso_utc(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso_utc(4_107_542_399_999), "2100-02-28T23:59:59.999Z");
        assert_eq!(iso_utc(-1), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn english_relative_words_are_what_intl_says() {
        // Each expected text is what Chromium's `new Intl.RelativeTimeFormat("en",
        // {numeric: "auto"}).format(value, unit)` returns.
        for (value, unit, words) in [
            (0.0, "second", "now"),
            (-1.0, "minute", "1 minute ago"),
            (-5.0, "minute", "5 minutes ago"),
            (10.0, "minute", "in 10 minutes"),
            (-1.0, "hour", "1 hour ago"),
            (-3.0, "hour", "3 hours ago"),
            (-1.0, "day", "yesterday"),
            (1.0, "day", "tomorrow"),
            (-2.0, "day", "2 days ago"),
            (-1_200.0, "day", "1,200 days ago"),
        ] {
            assert_eq!(relative_words_en(value, unit), words, "{value} {unit}");
        }
    }

    #[test]
    fn english_counts_and_plain_local_times() {
        for (n, s) in [
            (0, "0"),
            (999, "999"),
            (1_000, "1,000"),
            (1_992, "1,992"),
            (12_345_678, "12,345,678"),
        ] {
            assert_eq!(grouped_en(n), s);
        }
        // 2026-12-03T18:21:20Z, one hour east of UTC.
        assert_eq!(
            plain_local(1_796_322_080_000, 3_600_000),
            "2026-12-03 19:21:20"
        );
    }

    #[test]
    fn relative_parts_for_intl() {
        let now = 1_000_000_000;
        assert_eq!(relative_parts(now, now - 10_000), (0.0, "second"));
        assert_eq!(relative_parts(now, now - 5 * 60_000), (-5.0, "minute"));
        assert_eq!(relative_parts(now, now - 3 * 3_600_000), (-3.0, "hour"));
        assert_eq!(relative_parts(now, now - 2 * 86_400_000), (-2.0, "day"));
        assert_eq!(relative_parts(now, now + 10 * 60_000), (10.0, "minute"));
    }

    #[test]
    fn filters_in_words() {
        use asset_processing_api::FileCategory;
        let date = |ms: i64| format!("<{ms}>");
        assert_eq!(filter_words(&Filter::default(), &date), "all file types");
        let f = Filter {
            file_types: vec![FileCategory::DitaMap, FileCategory::DitaTopic],
            start_time: Some(1),
            end_time: Some(2),
            filter_processed_assets: true,
        };
        assert_eq!(
            filter_words(&f, &date),
            "DITA maps, DITA topics; created <1> – <2>; skips assets already processed"
        );
        let f = Filter {
            file_types: vec![FileCategory::HtmlCss, FileCategory::Other("dita".into())],
            end_time: Some(9),
            ..Filter::default()
        };
        assert_eq!(
            filter_words(&f, &date),
            "HTML and CSS, dita; created until <9>"
        );
        let f = Filter {
            start_time: Some(3),
            ..Filter::default()
        };
        assert_eq!(filter_words(&f, &date), "all file types; created from <3>");
    }

    #[test]
    fn progress_is_unknown_until_counted() {
        let mut j = job(1, 0);
        j.triggered_count = 5;
        j.migration_set = MigrationSet {
            total_files: 40,
            calculation_status: asset_processing_api::CalculationStatus::Running,
        };
        assert_eq!(Progress::of(&j).fraction(), None);
        // Finished: never indeterminate, whatever the counting phase says.
        for status in [Status::Success, Status::Failed, Status::Cancelled] {
            j.status = status;
            assert_eq!(Progress::of(&j).total, Some(40), "{:?}", j.status);
        }
        j.status = Status::Running;
        j.migration_set.calculation_status = asset_processing_api::CalculationStatus::Success;
        assert_eq!(Progress::of(&j).percent(), Some(12));
        j.migration_set.total_files = 0;
        assert_eq!(Progress::of(&j).percent(), Some(100));
    }

    #[test]
    fn a_short_id_is_the_first_block() {
        assert_eq!(short_id("693d61a8-68c4-4dcd"), "693d61a8…");
        assert_eq!(short_id("p1"), "p1");
    }

    #[test]
    fn a_path_breaks_only_after_a_slash() {
        assert_eq!(
            path_pieces("/content/dam/My Guides/en"),
            ["/content/", "dam/", "My Guides/", "en"]
        );
        assert_eq!(path_pieces("/content/dam/a/").concat(), "/content/dam/a/");
    }
}
