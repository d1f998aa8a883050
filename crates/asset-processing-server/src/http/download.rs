//! The log download: a ZIP holding the job's log file, streamed as it is written.
//!
//! The log is read inside one SQLite read transaction, so a job that is still running yields
//! a consistent prefix: exactly the lines that existed when the download began. Lines are
//! compressed page by page and sent as they are ready; memory stays small for any log size.
//!
//! The archive is written by the `zip` crate in streaming mode (sizes and CRC in a data
//! descriptor after the data, the standard way when the size is not known up front). A log
//! over 4 GiB gets ZIP64 sizes in its descriptor and central directory; the hand-written
//! writer this replaces cut them to 32 bits and produced a corrupt archive without an error.

use std::io::Write;

use asset_processing_api::Job;
use axum::body::Body;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use tokio_stream::wrappers::ReceiverStream;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::{ApiError, AppState};
use crate::clock::now_ms;
use crate::store::logs;

/// Lines read and compressed per step.
const PAGE: u64 = 5_000;

/// Bytes gathered before a piece of the archive goes to the client.
const CHUNK: usize = 64 * 1024;

pub fn zip_response(state: &AppState, job: &Job) -> Result<Response, ApiError> {
    let conn = state.store.connect()?;
    let id = job.processing_id.clone();
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    tokio::task::spawn_blocking(move || {
        let out = ChannelWriter {
            tx: tx.clone(),
            buffer: Vec::with_capacity(CHUNK),
        };
        if let Err(e) = write_job_log(conn, &id, out) {
            tracing::error!("log download of {id} failed: {e}");
            let _ = tx.blocking_send(Err(std::io::Error::other(e)));
        }
    });
    let filename = format!("{}-logs.zip", sanitize(&job.processing_id));
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/zip"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        Body::from_stream(ReceiverStream::new(rx)),
    )
        .into_response())
}

/// Ids are UUIDs here, but a file name must never carry quotes or path separators.
fn sanitize(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

type Sender = tokio::sync::mpsc::Sender<Result<Vec<u8>, std::io::Error>>;

/// The response body as a `Write`: bytes gather into pieces of `CHUNK` that go to the client
/// as soon as they are full. The channel is bounded, so a slow client slows the reading.
struct ChannelWriter {
    tx: Sender,
    buffer: Vec<u8>,
}

impl ChannelWriter {
    fn send_buffer(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let piece = std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK));
        // An error here means the client went away: the writer stops reading the log.
        self.tx.blocking_send(Ok(piece)).map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "the client closed the connection",
            )
        })
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(buf);
        if self.buffer.len() >= CHUNK {
            self.send_buffer()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send_buffer()
    }
}

/// The job's log from the database, one consistent snapshot, as a ZIP into `out`.
fn write_job_log(mut conn: rusqlite::Connection, id: &str, out: impl Write) -> Result<(), String> {
    let read = conn.transaction().map_err(|e| e.to_string())?;
    let len = logs::len(&read, id)
        .map_err(|e| e.to_string())?
        .unwrap_or(0);
    let size = logs::text_bytes(&read, id).map_err(|e| e.to_string())?;
    let mut at = 0;
    let pages = std::iter::from_fn(|| {
        if at >= len {
            return None;
        }
        let lines = match logs::range(&read, id, at, PAGE.min(len - at)) {
            Ok(lines) if lines.is_empty() => return None,
            Ok(lines) => lines,
            Err(e) => return Some(Err(e.to_string())),
        };
        at += lines.len() as u64;
        let mut text = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
        for l in &lines {
            text.extend_from_slice(l.as_bytes());
            text.push(b'\n');
        }
        Some(Ok(text))
    });
    let name = format!("{}.log", sanitize(id));
    write_zip(
        out,
        &name,
        CompressionMethod::Deflated,
        now_ms(),
        size,
        pages,
    )?
    .flush()
    .map_err(|e| e.to_string())
}

/// Past this many bytes of text the entry is written as ZIP64. A streamed entry must say so
/// before its data (the `zip` crate refuses to go past 4 GiB otherwise), and deflate may grow
/// incompressible text a little, hence the margin below 4 GiB.
const ZIP64_FROM: u64 = 0xF000_0000;

/// A ZIP of one file, `name`, whose content is the concatenation of `pieces` (`size` bytes in
/// all), streamed into `out` (which needs no `Seek`). Returns `out` once the archive is
/// complete.
fn write_zip<W: Write>(
    out: W,
    name: &str,
    method: CompressionMethod,
    modified_ms: i64,
    size: u64,
    pieces: impl Iterator<Item = Result<Vec<u8>, String>>,
) -> Result<W, String> {
    let mut zip = ZipWriter::new_stream(out);
    let options = SimpleFileOptions::default()
        .compression_method(method)
        .last_modified_time(zip_time(modified_ms))
        .unix_permissions(0o644)
        .large_file(size >= ZIP64_FROM);
    zip.start_file(name, options).map_err(|e| e.to_string())?;
    for piece in pieces {
        zip.write_all(&piece?).map_err(|e| e.to_string())?;
    }
    let stream = zip.finish().map_err(|e| e.to_string())?;
    Ok(stream.into_inner())
}

/// The ZIP's MS-DOS time stamp (UTC; years before 1980 or after 2107 are clamped).
fn zip_time(ms: i64) -> zip::DateTime {
    let at = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1_000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    zip::DateTime::from_date_and_time(
        at.year().clamp(1980, 2107) as u16,
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
    )
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Seek, SeekFrom};

    use super::*;

    /// One block of realistic log text, repeated to make a log of any size.
    fn block() -> Vec<u8> {
        let line = "2026-11-29T03:35:00.123Z INFO Processed /content/dam/docs/topic-0001.dita (application/dita+xml, 1,024 bytes)\n";
        line.repeat((1 << 20) / line.len()).into_bytes()
    }

    /// What the writer produced, kept sparse: a write of exactly the repeated block is
    /// remembered as "the block", every other write as its bytes. Reading it back yields the
    /// archive byte for byte without holding gigabytes in memory or on disk.
    #[derive(Default)]
    struct Sparse {
        block: Vec<u8>,
        parts: Vec<Part>,
        len: u64,
        at: u64,
    }

    enum Part {
        Block,
        Bytes(Vec<u8>),
    }

    impl Sparse {
        fn part_len(&self, p: &Part) -> u64 {
            match p {
                Part::Block => self.block.len() as u64,
                Part::Bytes(b) => b.len() as u64,
            }
        }
    }

    impl Write for Sparse {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if buf == &self.block[..] {
                self.parts.push(Part::Block);
            } else if let Some(Part::Bytes(last)) = self.parts.last_mut() {
                last.extend_from_slice(buf);
            } else {
                self.parts.push(Part::Bytes(buf.to_vec()));
            }
            self.len += buf.len() as u64;
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Read for Sparse {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            // Find the part holding `at` (parts are few but long; a linear walk is fine for
            // the reader's few seeks, and reads continue from where the last one ended).
            let mut start = 0u64;
            for p in &self.parts {
                let n = self.part_len(p);
                if self.at < start + n {
                    let skip = (self.at - start) as usize;
                    let bytes: &[u8] = match p {
                        Part::Block => &self.block,
                        Part::Bytes(b) => b,
                    };
                    let take = (bytes.len() - skip).min(buf.len());
                    buf[..take].copy_from_slice(&bytes[skip..skip + take]);
                    self.at += take as u64;
                    return Ok(take);
                }
                start += n;
            }
            Ok(0)
        }
    }

    impl Seek for Sparse {
        fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
            let to = match pos {
                SeekFrom::Start(n) => n as i128,
                SeekFrom::End(d) => self.len as i128 + d as i128,
                SeekFrom::Current(d) => self.at as i128 + d as i128,
            };
            if to < 0 {
                return Err(std::io::Error::other("seek before the start"));
            }
            self.at = to as u64;
            Ok(self.at)
        }
    }

    #[test]
    fn a_log_over_4_gib_makes_a_valid_zip64_archive() {
        let block = block();
        // 4 GiB and a bit: past every 32-bit size field of a plain ZIP.
        let blocks = ((4u64 << 30) / block.len() as u64) + 8;
        let total = blocks * block.len() as u64;
        assert!(total > u64::from(u32::MAX));
        let sink = Sparse {
            block: block.clone(),
            ..Sparse::default()
        };
        // Stored: the test is about the archive's structure, and storing 4 GiB takes
        // seconds where compressing it would take minutes in a debug build.
        let pieces = (0..blocks).map(|_| Ok(block.clone()));
        let mut archive =
            write_zip(sink, "big.log", CompressionMethod::Stored, 0, total, pieces).unwrap();
        assert!(archive.len > total, "the data is in the archive");
        archive.at = 0;

        let mut zip = zip::ZipArchive::new(archive).unwrap();
        assert_eq!(zip.len(), 1);
        let mut file = zip.by_index(0).unwrap();
        assert_eq!(file.name().unwrap(), "big.log");
        assert_eq!(file.size(), total, "the full 64-bit size is recorded");
        // Read every byte back (the zip crate checks the CRC at the end) and compare.
        let mut buf = vec![0u8; block.len()];
        let mut read = 0u64;
        loop {
            let mut filled = 0;
            while filled < buf.len() {
                let n = file.read(&mut buf[filled..]).unwrap();
                if n == 0 {
                    break;
                }
                filled += n;
            }
            if filled == 0 {
                break;
            }
            assert_eq!(&buf[..filled], &block[..filled], "content at byte {read}");
            read += filled as u64;
        }
        assert_eq!(read, total);
    }

    #[test]
    fn a_small_log_is_deflated_and_reads_back() {
        let text = b"line one\nline two\n".repeat(1_000);
        let pieces = text.chunks(777).map(|c| Ok(c.to_vec()));
        let bytes = write_zip(
            Vec::new(),
            "j.log",
            CompressionMethod::Deflated,
            1_764_387_300_000,
            text.len() as u64,
            pieces,
        )
        .unwrap();
        assert!(bytes.len() < text.len() / 10, "compressed");
        let zip64_end = 0x0606_4b50u32.to_le_bytes();
        assert!(
            !bytes.windows(4).any(|w| w == zip64_end),
            "a small log is a plain ZIP, readable everywhere"
        );
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut file = zip.by_name("j.log").unwrap();
        assert_eq!(file.compression(), CompressionMethod::Deflated);
        let modified = file.last_modified().unwrap();
        assert_eq!(
            (modified.year(), modified.month(), modified.day()),
            (2025, 11, 29)
        );
        let mut back = Vec::new();
        file.read_to_end(&mut back).unwrap();
        assert_eq!(back, text);
    }
}
