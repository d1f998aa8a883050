//! Sign-in and CSRF as AEM does them.
//!
//! - A person signs in on the login page; `POST .../j_security_check` checks the password,
//!   sets the `login-token` cookie (HttpOnly, SameSite=Lax) and redirects to `resource`.
//! - Scripts may send HTTP Basic credentials instead.
//! - Every POST of the API carries a `CSRF-Token` header whose value comes from
//!   `GET /libs/granite/csrf/token.json`; tokens live ten minutes and belong to one user.
//!
//! `CurrentUser` (401 when nobody is signed in) and `CsrfChecked` (403 without a valid
//! token) are extractors: a handler that names them is protected, in one place.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use asset_processing_api::{CsrfToken, CSRF_HEADER, LOGIN_PAGE_PATH};
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Form, Json};
use base64::Engine as _;
use serde::Deserialize;

use super::{ApiError, AppState};
use crate::clock::now_ms;
use crate::store::{sessions, Store};

pub const COOKIE: &str = "login-token";
const SESSION_MS: i64 = 12 * 60 * 60 * 1_000;
const CSRF_MS: i64 = 10 * 60 * 1_000;

/// Who may sign in: user id → password, from a small JSON file (`{"admin": "admin"}`).
#[derive(Clone, Debug)]
pub struct Users(Arc<HashMap<String, String>>);

impl Users {
    /// The demo user of a fresh AEM author.
    pub fn demo() -> Users {
        Users(Arc::new(HashMap::from([(
            "admin".to_string(),
            "admin".to_string(),
        )])))
    }

    pub fn load(file: &Path) -> Result<Users, String> {
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read the users file {}: {e}", file.display()))?;
        let map: HashMap<String, String> = serde_json::from_str(&text).map_err(|e| {
            format!(
                "the users file {} must be a JSON object of user id to password ({e})",
                file.display()
            )
        })?;
        if map.is_empty() {
            return Err(format!("the users file {} names no user", file.display()));
        }
        Ok(Users(Arc::new(map)))
    }

    pub fn check(&self, user: &str, password: &str) -> bool {
        // Compare every byte whatever the first difference, so timing says nothing.
        self.0.get(user).is_some_and(|p| {
            p.len() == password.len()
                && p.bytes()
                    .zip(password.bytes())
                    .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                    == 0
        })
    }

    pub fn ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.0.keys().cloned().collect();
        ids.sort();
        ids
    }
}

/// How often expired sessions are deleted while the server runs (also at each sign-in).
pub const SESSION_PURGE_EVERY: Duration = Duration::from_secs(15 * 60);

/// Deletes expired sessions now and then every `every`, until the task is aborted.
pub fn spawn_session_purge(store: Store, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match store
                .call(|conn| sessions::delete_expired(conn, now_ms()))
                .await
            {
                Ok(0) => {}
                Ok(n) => tracing::info!("deleted {n} expired session(s)"),
                Err(e) => tracing::warn!("cannot delete expired sessions: {e}"),
            }
        }
    })
}

/// Issued CSRF tokens: token → (user, issued at).
#[derive(Clone, Default)]
pub struct CsrfTokens(Arc<Mutex<HashMap<String, (String, i64)>>>);

impl CsrfTokens {
    fn issue(&self, user: &str) -> String {
        let now = now_ms();
        let token = uuid::Uuid::new_v4().simple().to_string();
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.retain(|_, (_, issued)| now - *issued < CSRF_MS);
        map.insert(token.clone(), (user.to_string(), now));
        token
    }

    fn valid(&self, token: &str, user: &str) -> bool {
        let map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.get(token)
            .is_some_and(|(u, issued)| u == user && now_ms() - issued < CSRF_MS)
    }
}

/// The signed-in user's id.
#[derive(Clone, Debug)]
pub struct CurrentUser(pub String);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(auth) = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        {
            if let Some((user, password)) = basic_credentials(auth) {
                if state.users.check(&user, &password) {
                    return Ok(CurrentUser(user));
                }
            }
            return Err(ApiError::Unauthorized);
        }
        let Some(token) = cookie(&parts.headers, COOKIE) else {
            return Err(ApiError::Unauthorized);
        };
        let user = state
            .store
            .call(move |conn| sessions::user(conn, &token, now_ms()))
            .await?;
        user.map(CurrentUser).ok_or(ApiError::Unauthorized)
    }
}

/// A POST whose `CSRF-Token` header is valid for the signed-in user.
pub struct CsrfChecked(pub CurrentUser);

impl FromRequestParts<AppState> for CsrfChecked {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        let token = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if token.is_empty() {
            return Err(ApiError::Forbidden(format!(
                "this request needs a {CSRF_HEADER} header; get a token from /libs/granite/csrf/token.json"
            )));
        }
        if !state.csrf.valid(token, &user.0) {
            return Err(ApiError::Forbidden(
                "the CSRF token is not valid (expired or for another session); get a new one from /libs/granite/csrf/token.json".into(),
            ));
        }
        Ok(CsrfChecked(user))
    }
}

fn basic_credentials(header: &str) -> Option<(String, String)> {
    let encoded = header
        .strip_prefix("Basic ")
        .or_else(|| header.strip_prefix("basic "))?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// `GET /libs/granite/csrf/token.json`.
pub async fn csrf_token(State(state): State<AppState>, user: CurrentUser) -> Response {
    let token = state.csrf.issue(&user.0);
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(CsrfToken { token }),
    )
        .into_response()
}

/// `GET /libs/granite/security/currentuser.json`: who is signed in, as Granite answers it
/// (`anonymous` when nobody is, with a 200: the servlet never asks for sign-in).
pub async fn current_user(user: Result<CurrentUser, ApiError>) -> Response {
    let id = match user {
        Ok(CurrentUser(id)) => id,
        Err(_) => asset_processing_api::ANONYMOUS_USER.to_string(),
    };
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(asset_processing_api::CurrentUserInfo {
            authorizable_id: id,
        }),
    )
        .into_response()
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    resource: Option<String>,
    j_reason: Option<String>,
}

/// Only a path on this server may be a redirect target (no `//host`, no scheme).
fn safe_resource(resource: Option<&str>) -> String {
    match resource {
        Some(r)
            if r.starts_with('/')
                && !r.starts_with("//")
                && !r.contains('\\')
                && !r.chars().any(char::is_control) =>
        {
            r.to_string()
        }
        _ => "/".to_string(),
    }
}

/// Text and attribute values of the sign-in page (the server's one escaper, a kept crate's).
fn html_escape(s: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(s)
}

/// The sign-in page's styles: its only inline code, allowed by hash in its policy.
const LOGIN_STYLE: &str = "
 body { font-family: system-ui, sans-serif; background: #f5f5f5; color: #2c2c2c; display: grid; place-items: center; min-height: 100vh; margin: 0; }
 form { background: #fff; border: 1px solid #e1e1e1; border-radius: 4px; padding: 24px 32px; width: min(340px, 90vw); }
 h1 { font-size: 20px; margin: 0 0 16px; }
 label { display: block; margin: 12px 0 4px; font-size: 14px; }
 input { width: 100%; box-sizing: border-box; padding: 6px 8px; font: inherit; border: 1px solid #8e8e8e; border-radius: 4px; }
 button { margin-top: 20px; width: 100%; padding: 8px; font: inherit; font-weight: 700; color: #fff; background: #0265dc; border: 0; border-radius: 16px; cursor: pointer; }
 .error { color: #b40000; }
 :focus-visible { outline: 2px solid #1473e6; outline-offset: 2px; }
";

/// `GET /libs/granite/core/content/login.html`: AEM's sign-in page, plainly.
pub async fn login_page(Query(q): Query<LoginQuery>) -> Response {
    let resource = safe_resource(q.resource.as_deref());
    let resource = html_escape(&resource);
    let error = if q.j_reason.as_deref() == Some("invalid_login") {
        r#"<p class="error" role="alert">The user name or password is not correct.</p>"#
    } else {
        ""
    };
    let page = format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in</title><link rel="icon" href="data:,">
<style>{LOGIN_STYLE}</style></head>
<body><main><form method="post" action="{LOGIN_PAGE_PATH}/j_security_check">
<h1>Sign in</h1>{error}
<label for="j_username">User name</label><input id="j_username" name="j_username" autocomplete="username" required autofocus>
<label for="j_password">Password</label><input id="j_password" name="j_password" type="password" autocomplete="current-password" required>
<input type="hidden" name="resource" value="{resource}">
<button type="submit">Sign in</button>
</form></main></body></html>"#
    );
    let policy = super::headers::inline_style_policy(&[LOGIN_STYLE]);
    (
        [
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_str(&policy)
                    .unwrap_or_else(|_| HeaderValue::from_static(super::headers::DEFAULT_POLICY)),
            ),
        ],
        Html(page),
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    j_username: String,
    #[serde(default)]
    j_password: String,
    resource: Option<String>,
}

/// `POST .../j_security_check`: sets the `login-token` cookie and goes back to `resource`.
pub async fn security_check(
    State(state): State<AppState>,
    Form(form): Form<LoginForm>,
) -> Result<Response, ApiError> {
    let target = safe_resource(form.resource.as_deref());
    if !state.users.check(&form.j_username, &form.j_password) {
        let back = format!(
            "{LOGIN_PAGE_PATH}?resource={}&j_reason=invalid_login",
            percent_encode_query(&target)
        );
        return Ok(Redirect::to(&back).into_response());
    }
    let token =
        uuid::Uuid::new_v4().simple().to_string() + &uuid::Uuid::new_v4().simple().to_string();
    let user = form.j_username.clone();
    let stored = token.clone();
    state
        .store
        .call(move |conn| {
            // Sign-in is also when old sessions go: the table never grows without bound,
            // even on a server that never runs long enough for the timer.
            let now = now_ms();
            sessions::delete_expired(conn, now)?;
            sessions::create(conn, &stored, &user, now + SESSION_MS)
        })
        .await?;
    let cookie = format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
        SESSION_MS / 1_000
    );
    let mut response = Redirect::to(&target).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(|e| ApiError::Internal(e.to_string()))?,
    );
    Ok(response)
}

/// `GET /system/sling/logout`: ends the session.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Result<Response, ApiError> {
    if let Some(token) = cookie(&headers, COOKIE) {
        state
            .store
            .call(move |conn| sessions::delete(conn, &token))
            .await?;
    }
    let target = format!(
        "{LOGIN_PAGE_PATH}?resource={}",
        percent_encode_query(&safe_resource(q.resource.as_deref()))
    );
    let mut response = Redirect::to(&target).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("login-token=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    );
    Ok(response)
}

/// What stays as it is in a query value here: RFC 3986's unreserved characters and `/`
/// (a path reads better unencoded, and `/` means nothing special in a query value).
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

pub(super) fn percent_encode_query(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, QUERY_VALUE).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_basic_and_cookies() {
        assert_eq!(
            basic_credentials("Basic YWRtaW46YWRtaW4="),
            Some(("admin".into(), "admin".into()))
        );
        assert_eq!(basic_credentials("Bearer x"), None);
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; login-token=abc; b=2"),
        );
        assert_eq!(cookie(&h, COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
    }

    #[test]
    fn query_values_and_page_text_are_encoded() {
        assert_eq!(
            percent_encode_query("/jobs/a b?x=1&y=ü#h"),
            "/jobs/a%20b%3Fx%3D1%26y%3D%C3%BC%23h"
        );
        assert_eq!(percent_encode_query("-_.~/Az09"), "-_.~/Az09");
        assert_eq!(
            html_escape(r#""><script>'&"#),
            "&quot;&gt;&lt;script&gt;&apos;&amp;"
        );
    }

    #[test]
    fn redirects_stay_on_this_server() {
        assert_eq!(safe_resource(Some("/jobs/1?x=2")), "/jobs/1?x=2");
        assert_eq!(safe_resource(Some("//evil.example")), "/");
        assert_eq!(safe_resource(Some("https://evil.example")), "/");
        assert_eq!(safe_resource(None), "/");
    }

    #[tokio::test]
    async fn the_timer_deletes_expired_sessions_and_keeps_live_ones() {
        let (_dir, store) = crate::store::test_support::temp_store();
        let now = now_ms();
        store
            .call(move |conn| {
                sessions::create(conn, "old", "admin", now - 1)?;
                sessions::create(conn, "live", "admin", now + SESSION_MS)
            })
            .await
            .unwrap();
        let count = |store: Store| async move {
            store
                .call(|conn| {
                    Ok(conn
                        .query_row("SELECT COUNT(*) FROM sessions", [], |r| r.get::<_, i64>(0))?)
                })
                .await
        };
        assert_eq!(count(store.clone()).await.unwrap(), 2);
        let purge = spawn_session_purge(store.clone(), Duration::from_millis(10));
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while count(store.clone()).await.unwrap() != 1 {
            assert!(
                std::time::Instant::now() < deadline,
                "the expired session stayed"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        purge.abort();
        let live = store
            .call(move |conn| sessions::user(conn, "live", now))
            .await
            .unwrap();
        assert_eq!(live.as_deref(), Some("admin"));
    }

    #[test]
    fn passwords_are_checked_exactly() {
        let users = Users::demo();
        assert!(users.check("admin", "admin"));
        assert!(!users.check("admin", "admin "));
        assert!(!users.check("nobody", "admin"));
    }
}
