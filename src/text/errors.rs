//! Why a call failed, as `ClientError::message` says it.

pub const ERROR_NETWORK: &str =
    "The server could not be reached. Check your connection; the console retries when you ask it to.";
pub const ERROR_SESSION_ENDED: &str =
    "Your session has ended. Sign in again; what you typed stays here.";
pub const ERROR_FORBIDDEN: &str = "The server refused this request";
pub const ERROR_NOT_FOUND: &str = "Not found";
pub const ERROR_CONFLICT: &str = "The job's state does not allow this now";

/// "The server rejected the request (400)"; a 429 is a start refused because too many of
/// the person's runs are waiting, which the server's own sentence then explains.
pub fn error_rejected(status: u16) -> String {
    match status {
        429 => ERROR_TOO_MANY_WAITING.into(),
        _ => format!("The server rejected the request ({status})"),
    }
}
pub const ERROR_TOO_MANY_WAITING: &str = "Not started";

/// "The server failed (503). Try again in a moment".
pub fn error_server(status: u16) -> String {
    format!("The server failed ({status}). Try again in a moment")
}

/// A 2xx whose body could not be read.
pub fn error_bad_json(detail: &str) -> String {
    format!("The server's answer could not be read ({detail}).")
}

/// A general sentence, then the server's own when it sent one: "Not found: no job x".
pub fn with_server_message(general: &str, server: &str) -> String {
    if server.trim().is_empty() {
        general.to_string()
    } else {
        format!("{general}: {server}")
    }
}

/// "850 ms" → "< 1 s", "42 s", "3 min 05 s", "2 h 07 min".
pub fn duration(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < 1_000 {
        return "< 1 s".into();
    }
    let s = ms / 1_000;
    match s {
        0..=59 => format!("{s} s"),
        60..=3_599 => format!("{} min {:02} s", s / 60, s % 60),
        _ => format!("{} h {:02} min", s / 3_600, (s % 3_600) / 60),
    }
}

/// The percent after a count: " (45 %)".
pub fn percent_after(percent: u32) -> String {
    format!(" ({percent} %)")
}

/// "12 of 40 assets" and friends.
/// `number` renders a count in the reader's locale (see `browser::number`).
pub fn progress(handled: u64, total: Option<u64>, number: impl Fn(u64) -> String) -> String {
    match total {
        Some(total) => format!("{} of {}", number(handled), number(total)),
        None => format!("{} so far", number(handled)),
    }
}
