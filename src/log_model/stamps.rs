//! The timestamp a log line starts with, and the ways the viewer shows it: as written (UTC),
//! in the reader's local time, as time since the run started, or not at all.
//!
//! The reference server writes every line as `2026-11-29T03:35:00.123Z LEVEL message`
//! (`store::logs::format_line`), and AEM's logs start the same way. Only that one form is
//! read, strictly (four-digit year, `T`, `Z`, up to nine fraction digits); anything else is
//! left as written. The calendar arithmetic is the days-from-civil algorithm (proleptic
//! Gregorian, as RFC 3339 uses), tested against the server's own formatter's values; the
//! console carries no date crate for one fixed form.

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

/// The timestamp `line` starts with, if it starts with one.
pub fn leading_stamp(line: &str) -> Option<Stamp> {
    let b = line.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let s = b.get(r)?;
        s.iter()
            .all(u8::is_ascii_digit)
            .then(|| s.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let sep = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(sep(4, b'-') && sep(7, b'-') && sep(10, b'T') && sep(13, b':') && sep(16, b':')) {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    let mut at = 19;
    let mut ms = 0;
    if sep(at, b'.') {
        let digits = b[at + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if !(1..=9).contains(&digits) {
            return None;
        }
        // Milliseconds: the first three digits, padded.
        let first3 = &b[at + 1..at + 1 + digits.min(3)];
        ms = first3
            .iter()
            .fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
        ms *= 10i64.pow(3 - digits.min(3) as u32);
        at += 1 + digits;
    }
    if !sep(at, b'Z') {
        return None;
    }
    at += 1;
    match b.get(at) {
        None => {}
        Some(b' ') => at += 1,
        Some(_) => return None,
    }
    let days = days_from_civil(y, mo, d);
    Some(Stamp {
        ms: ((days * 24 + h) * 60 + mi) * 60_000 + s * 1_000 + ms,
        len: at,
    })
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
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
            assert_eq!(days_from_civil(y, m, d), days, "round trip of day {days}");
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
