//! The timestamp a log line starts with, and the ways the viewer shows it: as written (UTC),
//! in the reader's local time, as time since the run started, or not at all.
//!
//! The reference server writes every line as `2026-11-29T03:35:00.123Z LEVEL message`
//! (`store::logs::format_line`), and AEM's logs start the same way. Only that one form is
//! read, strictly (four-digit year, `T`, `Z`, up to nine fraction digits); anything else is
//! left as written. Reading it is the `time` crate's (parsing only: 2.3 KB gzip in the job
//! chunk, docs/performance.md), tested against the server's own formatter's values; showing a
//! local time is the civil-from-days algorithm (proleptic Gregorian, as RFC 3339 uses).

/// How lines' timestamps are shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimeMode {
    #[default]
    AsWritten,
    Local,
    SinceStart,
    Hidden,
}

impl TimeMode {
    pub const ALL: [TimeMode; 4] = [
        TimeMode::AsWritten,
        TimeMode::Local,
        TimeMode::SinceStart,
        TimeMode::Hidden,
    ];

    /// Its option's value (and what local storage remembers).
    pub fn key(self) -> &'static str {
        match self {
            TimeMode::AsWritten => "utc",
            TimeMode::Local => "local",
            TimeMode::SinceStart => "since-start",
            TimeMode::Hidden => "hidden",
        }
    }

    pub fn from_key(key: &str) -> Option<TimeMode> {
        Self::ALL.into_iter().find(|m| m.key() == key)
    }
}

/// A line's leading timestamp: when, and how many bytes of the line it takes (with the space
/// after it, when there is one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub ms: i64,
    pub len: usize,
}

/// The timestamp `line` starts with, if it starts with one: the `time` crate's RFC 3339
/// parser (dates checked against the calendar), held to the one form above.
pub fn leading_stamp(line: &str) -> Option<Stamp> {
    use time::format_description::well_known::Rfc3339;
    let end = line.find(' ').unwrap_or(line.len());
    let token = &line.as_bytes()[..end];
    // RFC 3339 as `time` reads it also takes any separator, `z`, offsets, a leap second
    // (23:59:60) and any number of fraction digits: none of which the one form has.
    let fraction = token
        .get(20..token.len().saturating_sub(1))
        .unwrap_or_default();
    if token.get(10) != Some(&b'T')
        || token.last() != Some(&b'Z')
        || token.get(17..19) == Some(b"60")
        || fraction.len() > 9
    {
        return None;
    }
    let at = time::OffsetDateTime::parse(&line[..end], &Rfc3339).ok()?;
    Some(Stamp {
        // Whole seconds floor (before 1970 too), so the milliseconds only add.
        ms: at.unix_timestamp() * 1_000 + i64::from(at.millisecond()),
        len: if end < line.len() { end + 1 } else { end },
    })
}

/// The date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// A wall-clock time, `2026-11-29 04:35:00.123`, of `ms` since the epoch shifted by
/// `offset_ms` (the reader's zone: local minus UTC).
pub fn wall_time(ms: i64, offset_ms: i64) -> String {
    let t = ms + offset_ms;
    let (days, in_day) = (t.div_euclid(86_400_000), t.rem_euclid(86_400_000));
    let (y, m, d) = civil_from_days(days);
    let (h, mi) = (in_day / 3_600_000, in_day / 60_000 % 60);
    let (s, milli) = (in_day / 1_000 % 60, in_day % 1_000);
    format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02}.{milli:03}")
}

/// Time since the start: `+0:00:01.234`, `+26:03:00.000`; before the start `−0:00:02.000`.
pub fn elapsed(ms: i64) -> String {
    let sign = if ms < 0 { '−' } else { '+' };
    let a = ms.unsigned_abs();
    let (h, m, s, milli) = (a / 3_600_000, a / 60_000 % 60, a / 1_000 % 60, a % 1_000);
    format!("{sign}{h}:{m:02}:{s:02}.{milli:03}")
}

/// How `line` reads under `mode`: the time to show in place of its timestamp (none when
/// hidden) and the rest of the line. `None` when the line is shown as written: the mode is
/// `AsWritten`, the line has no timestamp, or "since start" has no start to count from.
pub fn restamp(
    line: &str,
    mode: TimeMode,
    start_ms: Option<i64>,
    offset_ms: impl Fn(i64) -> i64,
) -> Option<(Option<String>, &str)> {
    let stamp = leading_stamp(line)?;
    let rest = &line[stamp.len..];
    let shown = match mode {
        TimeMode::AsWritten => return None,
        TimeMode::Hidden => None,
        TimeMode::Local => Some(wall_time(stamp.ms, offset_ms(stamp.ms))),
        TimeMode::SinceStart => Some(elapsed(stamp.ms - start_ms?)),
    };
    Some((shown, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_servers_timestamps() {
        // The values of the server's own formatter's tests (clock::rfc3339).
        let at = |s: &str| leading_stamp(s).map(|t| t.ms);
        assert_eq!(at("1970-01-01T00:00:00.000Z"), Some(0));
        assert_eq!(
            at("2025-10-24T07:36:02.776Z INFO x"),
            Some(1_761_291_362_776)
        );
        assert_eq!(at("2000-02-29T00:00:00.000Z"), Some(951_782_400_000));
        assert_eq!(at("1969-12-31T23:59:59.999Z"), Some(-1));
        assert_eq!(
            at("2026-11-29T03:35:00Z x"),
            Some(1_795_923_300_000),
            "no fraction"
        );
        assert_eq!(at("2026-11-29T03:35:00.5Z"), Some(1_795_923_300_500));
        assert_eq!(
            at("2026-11-29T03:35:00.123456789Z"),
            Some(1_795_923_300_123)
        );
        let s = leading_stamp("2026-11-29T03:35:00.123Z ERROR boom").unwrap();
        assert_eq!(s.len, 25, "the timestamp and its space");
        for junk in [
            "",
            "INFO x",
            "2026-11-29 03:35:00.123Z x",
            "2026-11-29T03:35:00.123 x",
            "2026-13-01T00:00:00Z",
            "2026-02-29T00:00:00Z",
            "2026-11-29T24:00:00Z",
            "2026-11-29T03:35:00.Z",
            "2026-11-29T03:35:00.1234567890Z",
            "2026-11-29T03:35:00ZINFO",
            "+2026-11-29T03:35:00Z",
            "2026-11-29T03:35:00+01:00 x",
            "２026-11-29T03:35:00Z",
            // What RFC 3339 as the `time` crate reads it would take, and the one form has not.
            "2026-11-29t03:35:00Z",
            "2026-11-29_03:35:00Z",
            "2026-11-29T03:35:00z",
            "2026-12-31T23:59:60Z",
            "2026-11-29T03:35:00+00:00Z",
        ] {
            assert_eq!(leading_stamp(junk), None, "{junk:?}");
        }
    }

    #[test]
    fn shows_local_time_and_time_since_the_start() {
        assert_eq!(wall_time(1_761_291_362_776, 0), "2025-10-24 07:36:02.776");
        // Two hours east of UTC, across midnight and a year's end.
        assert_eq!(
            wall_time(1_767_222_000_000, 2 * 3_600_000),
            "2026-01-01 01:00:00.000"
        );
        assert_eq!(wall_time(-1, 0), "1969-12-31 23:59:59.999");
        assert_eq!(
            wall_time(951_782_400_000, -60_000),
            "2000-02-28 23:59:00.000"
        );
        assert_eq!(elapsed(1_234), "+0:00:01.234");
        assert_eq!(elapsed(26 * 3_600_000 + 180_000), "+26:03:00.000");
        assert_eq!(elapsed(-2_000), "−0:00:02.000");
        for days in [-800_000i64, -1, 0, 1, 10_957, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            let date = time::Date::from_julian_day(2_440_588 + days as i32).unwrap();
            let want = (
                i64::from(date.year()),
                date.month() as i64,
                i64::from(date.day()),
            );
            assert_eq!((y, m, d), want, "day {days}");
        }
    }

    #[test]
    fn restamps_a_line_by_mode() {
        let line = "2026-11-29T03:35:01.500Z WARN odd";
        let start = Some(1_795_923_300_000);
        let east = |_| 3_600_000;
        assert_eq!(restamp(line, TimeMode::AsWritten, start, east), None);
        assert_eq!(
            restamp(line, TimeMode::Hidden, start, east),
            Some((None, "WARN odd"))
        );
        assert_eq!(
            restamp(line, TimeMode::Local, start, east),
            Some((Some("2026-11-29 04:35:01.500".to_string()), "WARN odd"))
        );
        assert_eq!(
            restamp(line, TimeMode::SinceStart, start, east),
            Some((Some("+0:00:01.500".to_string()), "WARN odd"))
        );
        assert_eq!(
            restamp(line, TimeMode::SinceStart, None, east),
            None,
            "no start known"
        );
        assert_eq!(restamp("no stamp", TimeMode::Hidden, start, east), None);
        for m in TimeMode::ALL {
            assert_eq!(TimeMode::from_key(m.key()), Some(m));
        }
        assert_eq!(TimeMode::from_key("junk"), None);
    }
}
