//! The back end's health as the header's dot shows it, from whatever the system status
//! endpoint answers. The published pages do not fix its fields, so this reads only signals
//! that any reasonable answer carries (the HTTP status, and a few well-known words), and
//! never fails: a console must not depend on the exact shape (contract: "System status").
//!
//! The AEM Guides pages publish two fields, read first: `databaseConnectionCheck`
//! (`passed`/`failed`; `failed` means "stop using the system and contact Adobe support") and
//! `isDatabase` (whether a database is in use at all: `false` is not a fault).

/// What the header shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Health {
    /// Not shown at all: the server has no such endpoint (404/405/501) or the answer says
    /// nothing either way (not signed in: the pages already say so).
    Hidden,
    /// A quiet dot.
    Healthy,
    /// A clear warning, with the reason in words.
    Unhealthy(String),
    /// The published `databaseConnectionCheck` reads `failed`: the warning, with the published
    /// advice (stop using the system, contact Adobe support).
    DatabaseFailed,
    /// The endpoint did not answer (network, 5xx without a body that says why).
    Unreachable,
}

/// Reads an answer of `GET /bin/guides/v1/system/status`.
pub fn health_of(status: u16, body: &str) -> Health {
    match status {
        404 | 405 | 501 => return Health::Hidden,
        401 | 403 => return Health::Hidden,
        _ => {}
    }
    let value: Option<serde_json::Value> = serde_json::from_str(body).ok();
    let published_check = value
        .as_ref()
        .and_then(|v| v.get("databaseConnectionCheck"))
        .and_then(|v| v.as_str());
    if published_check.is_some_and(|c| c.trim().eq_ignore_ascii_case("failed")) {
        return Health::DatabaseFailed;
    }
    if let Some(reason) = value.as_ref().and_then(unhealthy_reason) {
        return Health::Unhealthy(reason);
    }
    match status {
        200..=299 => Health::Healthy,
        500..=599 => Health::Unreachable,
        _ => Health::Hidden,
    }
}

/// Words that say "unhealthy" in common health answers: `status`/`state` of DOWN, ERROR,
/// UNHEALTHY, FAILED or RED; `healthy: false`; a database (or any member) with
/// `connected: false`. Searched two levels deep.
fn unhealthy_reason(value: &serde_json::Value) -> Option<String> {
    const BAD: [&str; 7] = [
        "DOWN",
        "ERROR",
        "UNHEALTHY",
        "FAILED",
        "FAILURE",
        "RED",
        "CRITICAL",
    ];
    let object = value.as_object()?;
    for key in ["status", "state", "health"] {
        if let Some(word) = object.get(key).and_then(|v| v.as_str()) {
            if BAD.contains(&word.trim().to_ascii_uppercase().as_str()) {
                return Some(format!("{key}: {word}"));
            }
        }
    }
    for key in ["healthy", "ok", "up"] {
        if object.get(key).and_then(|v| v.as_bool()) == Some(false) {
            return Some(format!("{key}: false"));
        }
    }
    for (name, member) in object {
        if let Some(inner) = member.as_object() {
            if inner.get("connected").and_then(|v| v.as_bool()) == Some(false) {
                return Some(format!("{name}: not connected"));
            }
            if let Some(reason) = unhealthy_reason(member) {
                return Some(format!("{name} {reason}"));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_reference_servers_answers() {
        let up = r#"{"status":"UP","database":{"connected":true,"sizeBytes":4096},"queue":{"waiting":0,"running":1},"workers":{"busy":1,"total":2}}"#;
        assert_eq!(health_of(200, up), Health::Healthy);
        let down = r#"{"status":"DOWN","database":{"connected":false,"sizeBytes":0},"queue":{"waiting":0,"running":0},"workers":{"busy":0,"total":2}}"#;
        assert_eq!(
            health_of(503, down),
            Health::Unhealthy("status: DOWN".into())
        );
    }

    #[test]
    fn reads_the_published_fields() {
        let passed = r#"{"isDatabase":true,"databaseConnectionCheck":"passed"}"#;
        assert_eq!(health_of(200, passed), Health::Healthy);
        let failed = r#"{"isDatabase":true,"databaseConnectionCheck":"failed"}"#;
        assert_eq!(health_of(200, failed), Health::DatabaseFailed);
        assert_eq!(health_of(503, failed), Health::DatabaseFailed);
        assert_eq!(
            health_of(200, r#"{"databaseConnectionCheck":"FAILED"}"#),
            Health::DatabaseFailed
        );
        // No database in use is not a fault, and a missing check says nothing either way.
        assert_eq!(health_of(200, r#"{"isDatabase":false}"#), Health::Healthy);
        assert_eq!(
            health_of(
                200,
                r#"{"isDatabase":false,"databaseConnectionCheck":"passed"}"#
            ),
            Health::Healthy
        );
        assert_eq!(health_of(200, r#"{"isDatabase":true}"#), Health::Healthy);
    }

    #[test]
    fn reads_the_reference_servers_answer_with_the_published_fields() {
        let up = r#"{"status":"UP","isDatabase":true,"databaseConnectionCheck":"passed","database":{"connected":true,"writable":true,"sizeBytes":4096},"queue":{"waiting":0,"running":0},"workers":{"busy":0,"total":2}}"#;
        assert_eq!(health_of(200, up), Health::Healthy);
        // A database that answers but cannot write (a full disk): the published warning.
        let full = r#"{"status":"DOWN","isDatabase":true,"databaseConnectionCheck":"failed","database":{"connected":true,"writable":false,"sizeBytes":4096},"queue":{"waiting":0,"running":0},"workers":{"busy":0,"total":2}}"#;
        assert_eq!(health_of(503, full), Health::DatabaseFailed);
    }

    #[test]
    fn tolerates_other_shapes() {
        assert_eq!(health_of(200, "{}"), Health::Healthy);
        assert_eq!(health_of(200, "not json"), Health::Healthy);
        assert_eq!(
            health_of(200, r#"{"dbUsage":"12%","dbConnection":"ok"}"#),
            Health::Healthy
        );
        assert_eq!(
            health_of(200, r#"{"db":{"connected":false}}"#),
            Health::Unhealthy("db: not connected".into())
        );
        assert_eq!(
            health_of(200, r#"{"healthy":false}"#),
            Health::Unhealthy("healthy: false".into())
        );
        assert_eq!(
            health_of(200, r#"{"database":{"state":"error"}}"#),
            Health::Unhealthy("database state: error".into())
        );
    }

    #[test]
    fn absent_endpoints_hide_the_dot_and_failures_warn() {
        assert_eq!(
            health_of(404, r#"{"status":404,"message":"no"}"#),
            Health::Hidden
        );
        assert_eq!(health_of(401, ""), Health::Hidden);
        assert_eq!(health_of(500, "<html>"), Health::Unreachable);
        assert_eq!(health_of(502, ""), Health::Unreachable);
    }
}
