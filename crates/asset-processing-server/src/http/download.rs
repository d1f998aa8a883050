//! The log download: a ZIP holding the job's log file, streamed as it is written.
//!
//! The log is read inside one SQLite read transaction, so a job that is still running yields
//! a consistent prefix: exactly the lines that existed when the download began. Lines are
//! compressed page by page and sent as they are ready; memory stays small for any log size.
//! The ZIP uses a data descriptor (sizes and CRC after the data), the standard way to stream.

use std::io::Write;

use asset_processing_api::Job;
use axum::body::Body;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use flate2::write::DeflateEncoder;
use flate2::Compression;
use tokio_stream::wrappers::ReceiverStream;

use super::{ApiError, AppState};
use crate::clock::{civil_from_days, now_ms};
use crate::store::logs;

/// Lines read and compressed per step.
const PAGE: u64 = 5_000;

pub fn zip_response(state: &AppState, job: &Job) -> Result<Response, ApiError> {
    let conn = state.store.connect()?;
    let id = job.processing_id.clone();
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    tokio::task::spawn_blocking(move || {
        if let Err(e) = write_zip(conn, &id, &tx) {
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

fn send(tx: &Sender, bytes: Vec<u8>) -> Result<(), String> {
    // The client went away: stop reading.
    tx.blocking_send(Ok(bytes))
        .map_err(|_| "the client closed the connection".to_string())
}

fn write_zip(mut conn: rusqlite::Connection, id: &str, tx: &Sender) -> Result<(), String> {
    let name = format!("{}.log", sanitize(id));
    let (time, date) = dos_time(now_ms());
    let read = conn.transaction().map_err(|e| e.to_string())?;
    let len = logs::len(&read, id)
        .map_err(|e| e.to_string())?
        .unwrap_or(0);

    let mut offset_out: u64 = 0;
    let header = local_header(&name, time, date);
    offset_out += header.len() as u64;
    send(tx, header)?;

    let mut crc = crc32fast::Hasher::new();
    let mut raw_size: u64 = 0;
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::default());
    let mut compressed: u64 = 0;
    let mut at = 0;
    while at < len {
        let lines = logs::range(&read, id, at, PAGE.min(len - at)).map_err(|e| e.to_string())?;
        if lines.is_empty() {
            break;
        }
        at += lines.len() as u64;
        let mut text = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
        for l in &lines {
            text.push_str(l);
            text.push('\n');
        }
        crc.update(text.as_bytes());
        raw_size += text.len() as u64;
        encoder
            .write_all(text.as_bytes())
            .map_err(|e| e.to_string())?;
        let chunk = std::mem::take(encoder.get_mut());
        if !chunk.is_empty() {
            compressed += chunk.len() as u64;
            send(tx, chunk)?;
        }
    }
    drop(read);
    let tail = encoder.finish().map_err(|e| e.to_string())?;
    compressed += tail.len() as u64;
    if !tail.is_empty() {
        send(tx, tail)?;
    }
    offset_out += compressed;
    let crc = crc.finalize();
    let mut end = Vec::new();
    // Data descriptor.
    end.extend_from_slice(&0x0807_4b50u32.to_le_bytes());
    end.extend_from_slice(&crc.to_le_bytes());
    end.extend_from_slice(&(compressed as u32).to_le_bytes());
    end.extend_from_slice(&(raw_size as u32).to_le_bytes());
    offset_out += end.len() as u64;
    // Central directory.
    let cd_start = offset_out;
    let mut cd = Vec::new();
    cd.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    cd.extend_from_slice(&20u16.to_le_bytes()); // made by
    cd.extend_from_slice(&20u16.to_le_bytes()); // needed
    cd.extend_from_slice(&FLAGS.to_le_bytes());
    cd.extend_from_slice(&8u16.to_le_bytes()); // deflate
    cd.extend_from_slice(&time.to_le_bytes());
    cd.extend_from_slice(&date.to_le_bytes());
    cd.extend_from_slice(&crc.to_le_bytes());
    cd.extend_from_slice(&(compressed as u32).to_le_bytes());
    cd.extend_from_slice(&(raw_size as u32).to_le_bytes());
    cd.extend_from_slice(&(name.len() as u16).to_le_bytes());
    cd.extend_from_slice(&[0u8; 2 + 2 + 2 + 2]); // extra, comment, disk, internal attributes
    cd.extend_from_slice(&0u32.to_le_bytes()); // external attributes
    cd.extend_from_slice(&0u32.to_le_bytes()); // local header at 0
    cd.extend_from_slice(name.as_bytes());
    let cd_len = cd.len() as u32;
    end.extend_from_slice(&cd);
    // End of central directory.
    end.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    end.extend_from_slice(&[0u8; 4]); // disk numbers
    end.extend_from_slice(&1u16.to_le_bytes());
    end.extend_from_slice(&1u16.to_le_bytes());
    end.extend_from_slice(&cd_len.to_le_bytes());
    end.extend_from_slice(&(cd_start as u32).to_le_bytes());
    end.extend_from_slice(&0u16.to_le_bytes());
    send(tx, end)
}

/// Data descriptor follows the data (bit 3); the name is UTF-8 (bit 11).
const FLAGS: u16 = 0x0008 | 0x0800;

fn local_header(name: &str, time: u16, date: u16) -> Vec<u8> {
    let mut h = Vec::with_capacity(30 + name.len());
    h.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    h.extend_from_slice(&20u16.to_le_bytes());
    h.extend_from_slice(&FLAGS.to_le_bytes());
    h.extend_from_slice(&8u16.to_le_bytes());
    h.extend_from_slice(&time.to_le_bytes());
    h.extend_from_slice(&date.to_le_bytes());
    h.extend_from_slice(&[0u8; 12]); // crc and sizes: in the data descriptor
    h.extend_from_slice(&(name.len() as u16).to_le_bytes());
    h.extend_from_slice(&0u16.to_le_bytes());
    h.extend_from_slice(name.as_bytes());
    h
}

/// MS-DOS time and date fields (UTC).
fn dos_time(ms: i64) -> (u16, u16) {
    let secs = ms.div_euclid(1_000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    let time = ((rem / 3_600) << 11) | (((rem % 3_600) / 60) << 5) | ((rem % 60) / 2);
    let date = ((y.clamp(1980, 2107) - 1980) << 9) | (i64::from(m) << 5) | i64::from(d);
    (time as u16, date as u16)
}
