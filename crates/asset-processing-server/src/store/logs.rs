//! Job logs, numbered from 0. A log is a run of sealed blocks followed by an open tail:
//!
//! - `log_blocks`: every full block of [`BLOCK_LINES`] lines, zstd-compressed, keyed by
//!   (job, first line number). A block never changes once written. Lines of about 120
//!   characters take some 15 bytes each here instead of about 205 as one row per line.
//! - `log_lines`: the lines after the last full block, one row per line keyed by (job, line
//!   number), so a line is readable the moment its transaction commits (tail reads and live
//!   following see every committed line).
//!
//! The job row keeps the count (`jobs.log_lines`) and how many of them are sealed
//! (`jobs.log_sealed`, a multiple of `BLOCK_LINES`), both updated in the same transaction as
//! the lines. Sealing a block (compress, insert the block, delete its rows) happens inside
//! the append that fills it, so a line is always in exactly one of the two tables, whatever
//! the moment the process dies. A page `offset .. offset + limit` reads at most
//! `limit / BLOCK_LINES + 2` blocks found by an index seek, whatever the offset.

use rusqlite::{params, Connection, OptionalExtension};

use super::{Result, StoreError};
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
    let stamp = rfc3339(at_ms);
    let level = level.as_str();
    let mut line = String::with_capacity(stamp.len() + level.len() + message.len() + 2);
    line.push_str(&stamp);
    line.push(' ');
    line.push_str(level);
    line.push(' ');
    // One line each: a line break in a message becomes a space (both are one byte).
    line.push_str(message);
    if message.contains(['\n', '\r']) {
        line = line.replace(['\n', '\r'], " ");
    }
    line
}

/// Lines per sealed block. A 1,000-line page at any offset touches at most two blocks (one
/// at an offset that is a multiple of this); zstd decompresses one in about 0.1 ms.
pub const BLOCK_LINES: u64 = 1_000;

/// zstd's level for sealed blocks: its default, fast to write and within a few percent of
/// the higher levels on log text.
const ZSTD_LEVEL: i32 = 3;

/// Appends lines at the end of a job's log (call inside the transaction they belong to).
/// Blocks that the new lines fill are sealed in the same transaction.
pub fn append(conn: &Connection, job_id: &str, lines: &[String]) -> Result<()> {
    if lines.is_empty() {
        return Ok(());
    }
    let (len, sealed) = counts(conn, job_id)?;
    let new_len = len + lines.len() as u64;
    write_lines(conn, job_id, len, sealed, lines)?;
    conn.execute(
        "UPDATE jobs SET log_lines = ?2 WHERE id = ?1",
        params![job_id, new_len as i64],
    )?;
    Ok(())
}

/// Seals every full block of the job's open tail (a log written one row per line by an
/// earlier release, or one whose last append was interrupted before this build). Call
/// inside a write transaction.
pub fn seal_full_blocks(conn: &Connection, job_id: &str) -> Result<()> {
    let (len, sealed) = counts(conn, job_id)?;
    write_lines(conn, job_id, len, sealed, &[])
}

/// The jobs whose open tail holds at least one full block (none, once sealed at start-up).
pub fn jobs_with_full_tails(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT id FROM jobs WHERE log_lines - log_sealed >= ?1")?;
    let ids = stmt
        .query_map([BLOCK_LINES as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ids)
}

/// (lines, sealed lines) of the job's log.
fn counts(conn: &Connection, job_id: &str) -> Result<(u64, u64)> {
    let (len, sealed): (i64, i64) = conn.query_row(
        "SELECT log_lines, log_sealed FROM jobs WHERE id = ?1",
        [job_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((len.max(0) as u64, sealed.max(0) as u64))
}

/// Writes `lines` after line `len - 1` of a log whose first `sealed` lines are in blocks:
/// the full blocks they complete are sealed (taking the open tail's rows with them), the
/// rest go in as rows. Updates `log_sealed`, not `log_lines`.
fn write_lines(
    conn: &Connection,
    job_id: &str,
    len: u64,
    sealed: u64,
    lines: &[String],
) -> Result<()> {
    let new_len = len + lines.len() as u64;
    let new_sealed = new_len / BLOCK_LINES * BLOCK_LINES;
    let mut insert_row =
        conn.prepare_cached("INSERT INTO log_lines (job_id, line_no, text) VALUES (?1, ?2, ?3)")?;
    if new_sealed <= sealed {
        for (i, line) in lines.iter().enumerate() {
            insert_row.execute(params![job_id, (len + i as u64) as i64, line])?;
        }
        return Ok(());
    }
    // The open tail's rows, then the new lines: lines `sealed .. new_len`.
    let tail = rows(conn, job_id, sealed, len)?;
    if tail.len() as u64 != len - sealed {
        return Err(StoreError(format!(
            "the log of job {job_id} misses lines between {sealed} and {len}"
        )));
    }
    let pending: Vec<&str> = tail
        .iter()
        .map(String::as_str)
        .chain(lines.iter().map(String::as_str))
        .collect();
    let mut insert_block = conn.prepare_cached(
        "INSERT INTO log_blocks (job_id, first_line, line_count, text_bytes, data) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let full = (new_sealed - sealed) as usize;
    for (k, block) in pending[..full].chunks(BLOCK_LINES as usize).enumerate() {
        let first = sealed + k as u64 * BLOCK_LINES;
        let text_bytes: usize = block.iter().map(|l| l.len() + 1).sum();
        insert_block.execute(params![
            job_id,
            first as i64,
            block.len() as i64,
            text_bytes as i64,
            pack(block)?
        ])?;
    }
    conn.execute(
        "DELETE FROM log_lines WHERE job_id = ?1 AND line_no >= ?2 AND line_no < ?3",
        params![job_id, sealed as i64, len as i64],
    )?;
    for (i, line) in pending[full..].iter().enumerate() {
        insert_row.execute(params![job_id, (new_sealed + i as u64) as i64, line])?;
    }
    conn.execute(
        "UPDATE jobs SET log_sealed = ?2 WHERE id = ?1",
        params![job_id, new_sealed as i64],
    )?;
    Ok(())
}

/// The open tail's rows `from .. to`, in order.
fn rows(conn: &Connection, job_id: &str, from: u64, to: u64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT text FROM log_lines WHERE job_id = ?1 AND line_no >= ?2 AND line_no < ?3 ORDER BY line_no",
    )?;
    let lines = stmt
        .query_map(params![job_id, from as i64, to as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(lines)
}

/// A block's bytes: the line count and each line's length (u32, little-endian), then the
/// lines' text, all compressed. Lengths rather than line breaks: a line is kept exactly as
/// it was given, whatever it holds.
fn pack(lines: &[&str]) -> Result<Vec<u8>> {
    let text: usize = lines.iter().map(|l| l.len()).sum();
    let mut raw = Vec::with_capacity(4 + 4 * lines.len() + text);
    raw.extend_from_slice(&(lines.len() as u32).to_le_bytes());
    for line in lines {
        raw.extend_from_slice(&(line.len() as u32).to_le_bytes());
    }
    for line in lines {
        raw.extend_from_slice(line.as_bytes());
    }
    zstd::bulk::compress(&raw, ZSTD_LEVEL)
        .map_err(|e| StoreError(format!("cannot compress a log block: {e}")))
}

/// The lines of a block written by [`pack`].
fn unpack(data: &[u8], text_bytes: usize) -> Result<Vec<String>> {
    let corrupt = || StoreError("a log block is corrupt".to_string());
    // `text_bytes` counts a line break per line, at least as many bytes as the lengths.
    let raw = zstd::bulk::decompress(data, 4 + 4 * BLOCK_LINES as usize + text_bytes)
        .map_err(|e| StoreError(format!("cannot decompress a log block: {e}")))?;
    let word = |at: usize| -> Option<usize> {
        Some(u32::from_le_bytes(raw.get(at..at + 4)?.try_into().ok()?) as usize)
    };
    let count = word(0).ok_or_else(corrupt)?;
    let mut at = 4 + 4 * count;
    let mut lines = Vec::with_capacity(count);
    for i in 0..count {
        let n = word(4 + 4 * i).ok_or_else(corrupt)?;
        let bytes = raw.get(at..at + n).ok_or_else(corrupt)?;
        lines.push(String::from_utf8(bytes.to_vec()).map_err(|_| corrupt())?);
        at += n;
    }
    Ok(lines)
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
        "SELECT COALESCE((SELECT SUM(text_bytes) FROM log_blocks WHERE job_id = ?1), 0) \
              + COALESCE((SELECT SUM(length(CAST(text AS BLOB)) + 1) FROM log_lines WHERE job_id = ?1), 0)",
        [job_id],
        |r| r.get(0),
    )?;
    Ok(bytes.max(0) as u64)
}

/// Lines `offset .. offset + limit` (fewer at the end of the log).
///
/// One statement reads both the blocks and the open tail, so it sees one snapshot: a block
/// sealed by a writer meanwhile can neither hide its lines nor show them twice.
pub fn range(conn: &Connection, job_id: &str, offset: u64, limit: u64) -> Result<Vec<String>> {
    let offset = offset.min(i64::MAX as u64);
    let end = offset.saturating_add(limit).min(i64::MAX as u64);
    if end <= offset {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached(
        "SELECT first_line, text_bytes, data FROM log_blocks \
             WHERE job_id = ?1 AND first_line >= ?2 AND first_line < ?4 \
         UNION ALL \
         SELECT line_no, -1, CAST(text AS BLOB) FROM log_lines \
             WHERE job_id = ?1 AND line_no >= ?3 AND line_no < ?4 \
         ORDER BY 1",
    )?;
    let first_block = offset / BLOCK_LINES * BLOCK_LINES;
    let mut found = stmt.query(params![
        job_id,
        first_block as i64,
        offset as i64,
        end as i64
    ])?;
    let mut lines = Vec::with_capacity((end - offset).min(10_000) as usize);
    while let Some(row) = found.next()? {
        let first = row.get::<_, i64>(0)?.max(0) as u64;
        let text_bytes: i64 = row.get(1)?;
        let data = row.get_ref(2)?.as_blob().map_err(rusqlite::Error::from)?;
        if text_bytes < 0 {
            // A row of the open tail.
            let line = String::from_utf8(data.to_vec())
                .map_err(|_| StoreError("a log line is not UTF-8".to_string()))?;
            lines.push(line);
            continue;
        }
        let block = unpack(data, text_bytes as usize)?;
        let skip = offset.saturating_sub(first) as usize;
        let take = (end - first).min(block.len() as u64) as usize;
        lines.extend(block.into_iter().take(take).skip(skip));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::temp_store_with_job;

    #[test]
    fn a_line_is_dated_levelled_and_one_line() {
        assert_eq!(
            format_line(0, Level::Info, "Processed /content/dam/a.dita"),
            "1970-01-01T00:00:00.000Z INFO Processed /content/dam/a.dita"
        );
        assert_eq!(
            format_line(1_500, Level::Error, "Malformed XML:\r\nline 2\nline 3 – é"),
            "1970-01-01T00:00:01.500Z ERROR Malformed XML:  line 2 line 3 – é"
        );
    }

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

    /// A line of the demo's kind (what a processing run writes), about 120 characters.
    fn demo_line(i: u64) -> String {
        let message = match i % 50 {
            7 => format!("Unresolved href \"missing-{i}.dita\" in /content/dam/docs/topic-{i:07}.dita"),
            _ => format!("Processed /content/dam/docs/book-{:02}/topic-{i:07}.dita (application/dita+xml, {} bytes)", i % 13, 900 + i % 400),
        };
        format_line(
            1_764_000_000_000 + i as i64 * 7,
            if i % 50 == 7 {
                Level::Warn
            } else {
                Level::Info
            },
            &message,
        )
    }

    #[test]
    fn blocks_are_sealed_as_they_fill_and_every_line_reads_back() {
        let (_dir, store) = temp_store_with_job("j");
        let mut conn = store.connect().unwrap();
        let all: Vec<String> = (0..3_456).map(demo_line).collect();
        // Appends of every size: one line, less than a block, several blocks at once.
        let mut written = 0;
        for n in [1, 998, 1, 1, 2_000, 455] {
            let tx = crate::store::write_tx(&mut conn).unwrap();
            append(&tx, "j", &all[written..written + n]).unwrap();
            tx.commit().unwrap();
            written += n;
            let (len, sealed) = counts(&conn, "j").unwrap();
            assert_eq!(
                (len, sealed),
                (written as u64, written as u64 / BLOCK_LINES * BLOCK_LINES)
            );
            let rows: i64 = conn
                .query_row(
                    "SELECT COUNT(*) FROM log_lines WHERE job_id = 'j'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(
                rows as u64,
                len - sealed,
                "a line is a row only in the open tail"
            );
        }
        assert_eq!(written, all.len());
        assert_eq!(range(&conn, "j", 0, 10_000).unwrap(), all);
        // Pages at every kind of offset: in a block, across blocks, across the last block
        // and the tail, in the tail, past the end.
        for (offset, limit) in [
            (0, 1_000),
            (999, 2),
            (1_500, 1_000),
            (2_999, 5),
            (2_500, 1_000),
            (3_100, 1_000),
            (3_455, 9),
            (3_456, 1),
        ] {
            let end = (offset + limit).min(all.len());
            assert_eq!(
                range(&conn, "j", offset as u64, limit as u64).unwrap(),
                all[offset..end],
                "{offset} {limit}"
            );
        }
        let bytes: usize = all.iter().map(|l| l.len() + 1).sum();
        assert_eq!(text_bytes(&conn, "j").unwrap(), bytes as u64);
    }

    #[test]
    fn a_line_is_kept_exactly_whatever_it_holds() {
        let (_dir, store) = temp_store_with_job("j");
        let conn = store.connect().unwrap();
        let mut lines: Vec<String> = (0..BLOCK_LINES).map(|i| format!("line {i}")).collect();
        lines[3] = String::new();
        lines[4] = "two\nparts and ünïcode".into();
        append(&conn, "j", &lines).unwrap();
        assert_eq!(counts(&conn, "j").unwrap(), (BLOCK_LINES, BLOCK_LINES));
        assert_eq!(range(&conn, "j", 0, BLOCK_LINES).unwrap(), lines);
    }

    #[test]
    fn rows_of_an_earlier_release_are_sealed_and_read_the_same() {
        let (_dir, store) = temp_store_with_job("j");
        let mut conn = store.connect().unwrap();
        // As a version 3 database holds a log: every line a row, nothing sealed.
        let all: Vec<String> = (0..2_500).map(demo_line).collect();
        for (i, line) in all.iter().enumerate() {
            conn.execute(
                "INSERT INTO log_lines (job_id, line_no, text) VALUES ('j', ?1, ?2)",
                params![i as i64, line],
            )
            .unwrap();
        }
        conn.execute("UPDATE jobs SET log_lines = 2500 WHERE id = 'j'", [])
            .unwrap();
        assert_eq!(range(&conn, "j", 1_200, 1_000).unwrap(), all[1_200..2_200]);
        assert_eq!(jobs_with_full_tails(&conn).unwrap(), vec!["j"]);
        let tx = crate::store::write_tx(&mut conn).unwrap();
        seal_full_blocks(&tx, "j").unwrap();
        tx.commit().unwrap();
        assert_eq!(counts(&conn, "j").unwrap(), (2_500, 2_000));
        assert!(jobs_with_full_tails(&conn).unwrap().is_empty());
        assert_eq!(range(&conn, "j", 0, 5_000).unwrap(), all);
        append(&conn, "j", &["next".to_string()]).unwrap();
        assert_eq!(
            range(&conn, "j", 2_499, 5).unwrap(),
            vec![all[2_499].clone(), "next".into()]
        );
    }

    /// The guarantee of issue 25: at most 100 bytes of database per line of the demo's kind,
    /// measured on the file itself.
    #[test]
    fn a_log_line_of_the_demos_kind_costs_under_100_bytes_on_disk() {
        let (dir, store) = temp_store_with_job("j");
        let mut conn = store.connect().unwrap();
        let file = dir.path().join("db.sqlite");
        let page_bytes = |conn: &Connection| -> i64 {
            conn.query_row(
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
                [],
                |r| r.get(0),
            )
            .unwrap()
        };
        let empty = page_bytes(&conn);
        const LINES: u64 = 50_000;
        for batch in 0..LINES / 500 {
            let lines: Vec<String> = (batch * 500..(batch + 1) * 500).map(demo_line).collect();
            let tx = crate::store::write_tx(&mut conn).unwrap();
            append(&tx, "j", &lines).unwrap();
            tx.commit().unwrap();
        }
        conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")
            .unwrap();
        let used = page_bytes(&conn) - empty;
        let per_line = used as f64 / LINES as f64;
        let text: u64 = text_bytes(&conn, "j").unwrap();
        assert!(
            text as f64 / LINES as f64 > 100.0,
            "the lines are of the demo's size"
        );
        assert!(per_line <= 100.0, "{per_line:.1} bytes per line");
        assert_eq!(
            std::fs::metadata(&file).unwrap().len() as i64,
            page_bytes(&conn)
        );
        eprintln!(
            "{per_line:.1} database bytes per log line of {:.0} bytes",
            text as f64 / LINES as f64
        );
    }

    #[test]
    fn a_line_is_one_line() {
        let line = format_line(0, Level::Warn, "a\nb\r\nc");
        assert_eq!(line, "1970-01-01T00:00:00.000Z WARN a b  c");
    }
}
