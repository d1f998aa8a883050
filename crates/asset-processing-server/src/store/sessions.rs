//! Sign-in sessions: the value of the `login-token` cookie and who it belongs to. Stored in
//! the database so a signed-in person stays signed in across a server restart, as on AEM.

use rusqlite::{params, Connection, OptionalExtension};

use super::Result;

pub fn create(conn: &Connection, token: &str, user_id: &str, expires_at: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO sessions (token, user_id, expires_at) VALUES (?1, ?2, ?3)",
        params![token, user_id, expires_at],
    )?;
    Ok(())
}

/// The user of a session that has not expired.
pub fn user(conn: &Connection, token: &str, now: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT user_id FROM sessions WHERE token = ?1 AND expires_at > ?2",
            params![token, now],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn delete(conn: &Connection, token: &str) -> Result<()> {
    conn.execute("DELETE FROM sessions WHERE token = ?1", [token])?;
    Ok(())
}

pub fn delete_expired(conn: &Connection, now: i64) -> Result<usize> {
    Ok(conn.execute("DELETE FROM sessions WHERE expires_at <= ?1", [now])?)
}
