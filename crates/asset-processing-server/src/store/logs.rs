//! Job logs: one row per line keyed by (job, line number), so reading lines `offset ..
//! offset + limit` is an index seek whatever the offset, and a line never changes once
//! written. The job row keeps the count (`jobs.log_lines`), updated in the same transaction
//! as the lines, which is how `tail` knows where the end is.

use rusqlite::{params, Connection, OptionalExtension};

use super::Result;
use crate::clock::rfc3339;

/// The level of a log line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "INFO",
            Level::Warn => "WARN",
            Level::Error => "ERROR",
        }
    }
}

/// `2026-11-29T03:35:00.123Z INFO message`. Line breaks in the message are flattened so
/// one event is always one line.
pub fn format_line(at_ms: i64, level: Level, message: &str) -> String {
    let flat: String = message
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    format!("{} {} {}", rfc3339(at_ms), level.as_str(), flat)
}

/// Appends lines at the end of a job's log (call inside the transaction they belong to).
pub fn append(conn: &Connection, job_id: &str, lines: &[String]) -> Result<()> {
    if lines.is_empty() {
        return Ok(());
    }
    let start: i64 = conn.query_row("SELECT log_lines FROM jobs WHERE id = ?1", [job_id], |r| {
        r.get(0)
    })?;
    let mut insert =
        conn.prepare_cached("INSERT INTO log_lines (job_id, line_no, text) VALUES (?1, ?2, ?3)")?;
    for (i, line) in lines.iter().enumerate() {
        insert.execute(params![job_id, start + i as i64, line])?;
    }
    conn.execute(
        "UPDATE jobs SET log_lines = ?2 WHERE id = ?1",
        params![job_id, start + lines.len() as i64],
    )?;
    Ok(())
}

/// The number of lines of a job's log; None for an unknown job.
pub fn len(conn: &Connection, job_id: &str) -> Result<Option<u64>> {
    Ok(conn
        .query_row("SELECT log_lines FROM jobs WHERE id = ?1", [job_id], |r| {
            r.get::<_, i64>(0)
        })
        .optional()?
        .map(|n| n.max(0) as u64))
}

/// The size in bytes of a job's log as a text file (each line and its line break).
pub fn text_bytes(conn: &Connection, job_id: &str) -> Result<u64> {
    let bytes: i64 = conn.query_row(
        "SELECT COALESCE(SUM(length(CAST(text AS BLOB)) + 1), 0) FROM log_lines WHERE job_id = ?1",
        [job_id],
        |r| r.get(0),
    )?;
    Ok(bytes.max(0) as u64)
}

/// Lines `offset .. offset + limit` (fewer at the end of the log).
pub fn range(conn: &Connection, job_id: &str, offset: u64, limit: u64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT text FROM log_lines WHERE job_id = ?1 AND line_no >= ?2 AND line_no < ?3 ORDER BY line_no",
    )?;
    let end = offset.saturating_add(limit).min(i64::MAX as u64);
    let lines = stmt
        .query_map(
            params![job_id, offset.min(i64::MAX as u64) as i64, end as i64],
            |r| r.get(0),
        )?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::temp_store_with_job;

    #[test]
    fn lines_are_numbered_from_zero_and_read_by_range() {
        let (_dir, store) = temp_store_with_job("j");
        let conn = store.connect().unwrap();
        assert_eq!(len(&conn, "j").unwrap(), Some(0));
        let lines: Vec<String> = (0..25).map(|i| format!("line {i}")).collect();
        append(&conn, "j", &lines[..10]).unwrap();
        append(&conn, "j", &lines[10..]).unwrap();
        assert_eq!(len(&conn, "j").unwrap(), Some(25));
        assert_eq!(
            range(&conn, "j", 9, 3).unwrap(),
            vec!["line 9", "line 10", "line 11"]
        );
        assert_eq!(range(&conn, "j", 24, 100).unwrap(), vec!["line 24"]);
        assert!(range(&conn, "j", 25, 100).unwrap().is_empty());
        assert!(range(&conn, "j", u64::MAX, u64::MAX).unwrap().is_empty());
        assert_eq!(len(&conn, "nope").unwrap(), None);
        let bytes: usize = lines.iter().map(|l| l.len() + 1).sum();
        assert_eq!(text_bytes(&conn, "j").unwrap(), bytes as u64);
        assert_eq!(text_bytes(&conn, "nope").unwrap(), 0);
    }

    #[test]
    fn a_line_is_one_line() {
        let line = format_line(0, Level::Warn, "a\nb\r\nc");
        assert_eq!(line, "1970-01-01T00:00:00.000Z WARN a b  c");
    }
}
