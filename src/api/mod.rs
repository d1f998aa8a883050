//! The client side of the API: URL builders, one generic fetch, and the one typed error that
//! every failure is mapped to (`ClientError`, in `decode`, a pure function tested natively).

use std::sync::{Arc, Mutex};

use asset_processing_api::SYSTEM_STATUS_PATH;
use asset_processing_api::{
    endpoints, parse_json, ActionRequest, CsrfToken, ErrorBody, History, Job, JobAction, LogPage,
    StartRequest, StartResponse, API_BASE, CSRF_HEADER, CSRF_TOKEN_PATH, LOGIN_PAGE_PATH,
};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::de::DeserializeOwned;

use crate::text;
use download::{download_answer, DownloadAnswer};
use health::{health_of, Health};

pub mod asset_stream;
pub mod download;
pub mod health;

/// Every way a call can fail, as the person will be told about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientError {
    /// The server could not be reached (offline, refused, CORS, aborted).
    Network(String),
    /// 401, or a 401/403 that is not JSON (AEM's login page): the session has ended.
    SessionExpired,
    /// 403 with a JSON body (a refused CSRF token).
    Forbidden(String),
    /// 404.
    NotFound(String),
    /// 409: the job's state does not allow the action.
    Conflict(String),
    /// Any other 4xx, with the server's message (400 names the field).
    Rejected { status: u16, message: String },
    /// 5xx.
    Server { status: u16, message: String },
    /// A 2xx whose body is not the JSON the contract promises.
    BadJson(String),
}

impl ClientError {
    /// A sentence for the person: a general one, then the server's own when it sent one.
    pub fn message(&self) -> String {
        match self {
            ClientError::Network(_) => text::ERROR_NETWORK.into(),
            ClientError::SessionExpired => text::ERROR_SESSION_ENDED.into(),
            ClientError::Forbidden(m) => text::with_server_message(text::ERROR_FORBIDDEN, m),
            ClientError::NotFound(m) => text::with_server_message(text::ERROR_NOT_FOUND, m),
            ClientError::Conflict(m) => text::with_server_message(text::ERROR_CONFLICT, m),
            ClientError::Rejected { status, message } => {
                text::with_server_message(&text::error_rejected(*status), message)
            }
            ClientError::Server { status, message } => {
                text::with_server_message(&text::error_server(*status), message)
            }
            ClientError::BadJson(m) => text::error_bad_json(m),
        }
    }
}

impl std::fmt::Display for ClientError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

/// Turns a finished HTTP exchange into the expected value or the typed error. This is the
/// one place where status codes are interpreted.
pub fn decode<T: DeserializeOwned>(
    status: u16,
    content_type: &str,
    body: &str,
) -> Result<T, ClientError> {
    let is_json = content_type.to_ascii_lowercase().contains("json");
    if (200..300).contains(&status) {
        return parse_json::<T>(body).map_err(ClientError::BadJson);
    }
    // The server's own sentence when it sent the contract's error body, else a generic one.
    let server_message = if is_json {
        serde_json::from_str::<ErrorBody>(body)
            .ok()
            .map(|e| e.message)
            .filter(|m| !m.trim().is_empty())
    } else {
        None
    };
    let message = server_message.clone().unwrap_or_default();
    Err(match status {
        401 => ClientError::SessionExpired,
        403 if server_message.is_none() => ClientError::SessionExpired,
        403 => ClientError::Forbidden(message),
        404 => ClientError::NotFound(message),
        409 => ClientError::Conflict(message),
        400..=499 => ClientError::Rejected { status, message },
        _ => ClientError::Server { status, message },
    })
}

/// Where a person signs in again: AEM's login page, which brings them back to `current`
/// (the page's path, query and fragment).
pub fn sign_in_url(api_base: &str, current: &str) -> String {
    format!(
        "{}{LOGIN_PAGE_PATH}?resource={}",
        api_base.trim_end_matches('/'),
        encode_component(current)
    )
}

/// What `encodeURIComponent` leaves as it is: letters, digits and `-_.!~*'()`.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// `encodeURIComponent`, natively: UTF-8, every other byte as `%XX`.
pub fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, URI_COMPONENT).to_string()
}

/// What the server answered to an action.
#[derive(Clone, Debug, PartialEq)]
pub enum Acted {
    /// Cancel or resume was accepted: the job as it is now (a cancelled RUNNING job may still
    /// be RUNNING: the worker stops at its next commit). Read from the answer when it carries
    /// the job, else from the job's status right after.
    Updated(Box<Job>),
    /// Restart: the new job's id.
    Started(String),
}

/// The job an accepted cancel or resume answered with, when its body is that job. The
/// published pages give no answer body: a real AEM may answer an empty 200, `{}` or a
/// message, and all of those are "accepted" (the caller then reads the job's status).
pub fn answered_job(id: &str, body: &str) -> Option<Job> {
    parse_json::<Job>(body)
        .ok()
        .filter(|job| job.processing_id == id)
}

/// The body of a cancel or resume: the id as the AEM Guides workflow page sends it
/// (`{"processingId": "..."}`); the query carries it too, as the API pages list it.
pub fn action_body(id: &str) -> String {
    serde_json::json!({ "processingId": id }).to_string()
}

/// The query naming one job.
fn id_query(id: &str) -> String {
    format!("processingId={}", encode_component(id))
}

/// A child of a folder in Sling's JSON rendering.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FolderEntry {
    pub name: String,
    pub is_folder: bool,
}

/// The children of a node rendered by `GET <path>.1.json`: folders first, then assets, each
/// by name. Properties (`jcr:primaryType`, `jcr:content`…) are not children.
pub fn parse_listing(json: &serde_json::Value) -> Vec<FolderEntry> {
    let Some(object) = json.as_object() else {
        return Vec::new();
    };
    let mut entries: Vec<FolderEntry> = object
        .iter()
        .filter(|(name, value)| !name.contains(':') && value.is_object())
        .map(|(name, value)| {
            let kind = value
                .get("jcr:primaryType")
                .and_then(|t| t.as_str())
                .unwrap_or("");
            FolderEntry {
                name: name.clone(),
                is_folder: matches!(kind, "sling:Folder" | "sling:OrderedFolder" | "nt:folder"),
            }
        })
        .collect();
    entries.sort_unstable_by(|a, b| {
        b.is_folder
            .cmp(&a.is_folder)
            .then_with(|| crate::fold::lower(&a.name).cmp(&crate::fold::lower(&b.name)))
            .then_with(|| a.name.cmp(&b.name))
    });
    entries
}

/// A repository path as a URL path (each segment percent-encoded).
pub fn encode_path(path: &str) -> String {
    path.split('/')
        .map(encode_component)
        .collect::<Vec<_>>()
        .join("/")
}

/// How long a CSRF token is used before a fresh one is fetched (AEM's last about 10 min).
const CSRF_MAX_AGE_MS: f64 = 4.0 * 60.0 * 1_000.0;

/// Talks to one API base. Cheap to clone; provided as context by `App`.
#[derive(Clone, Debug)]
pub struct ApiClient {
    base: Arc<str>,
    /// The CSRF token and when it was fetched.
    csrf: Arc<Mutex<Option<(String, f64)>>>,
    /// Who is signed in, once Granite answered (`Some(None)`: nobody). Signing in as someone
    /// else loads the page again, so one answer lasts the client's life.
    me: Arc<Mutex<Option<Option<String>>>>,
}

impl ApiClient {
    /// `base` is "" for same origin, or an origin such as "https://author.example.com".
    pub fn new(base: &str) -> Self {
        ApiClient {
            base: Arc::from(base.trim_end_matches('/')),
            csrf: Arc::default(),
            me: Arc::default(),
        }
    }

    /// The origin the API is called on ("" for the page's own).
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Full URL of an API endpoint (`endpoints::*`) with a query already encoded.
    pub fn endpoint_url(&self, endpoint: &str, query: &str) -> String {
        let mut url = format!("{}{}{}", self.base, API_BASE, endpoint);
        if !query.is_empty() {
            url.push('?');
            url.push_str(query);
        }
        url
    }

    /// The ZIP of a job's log (for an `<a download>`).
    pub fn download_url(&self, id: &str) -> String {
        self.endpoint_url(endpoints::DOWNLOAD, &id_query(id))
    }

    /// The last `limit` runs, newest first.
    pub async fn history(&self, limit: u32) -> Result<History, ClientError> {
        self.get_json(&self.history_url(limit)).await
    }

    fn history_url(&self, limit: u32) -> String {
        self.endpoint_url(endpoints::HISTORY, &format!("limit={limit}"))
    }

    /// Sends the history's request before the app is in (`first_screen`): the app's first
    /// `history(limit)` takes this answer instead of asking again. Returns the promise of the
    /// answer, for the first screen to read a copy of it; None if the browser refused to send.
    pub fn send_history_early(&self, limit: u32) -> Option<js_sys::Promise> {
        let url = self.history_url(limit);
        let headers = web_sys::Headers::new().ok()?;
        headers.append("Accept", "application/json").ok()?;
        let init = web_sys::RequestInit::new();
        init.set_headers(&headers);
        let promise = web_sys::window()?.fetch_with_str_and_init(&url, &init);
        EARLY.with(|e| *e.borrow_mut() = Some((url, promise.clone())));
        Some(promise)
    }

    pub async fn status(&self, id: &str) -> Result<Job, ClientError> {
        self.get_json(&self.endpoint_url(endpoints::STATUS, &id_query(id)))
            .await
    }

    pub async fn log_tail(&self, id: &str, lines: u64) -> Result<LogPage, ClientError> {
        let q = format!("{}&tail={lines}", id_query(id));
        self.get_json(&self.endpoint_url(endpoints::LOGS, &q)).await
    }

    pub async fn log_range(
        &self,
        id: &str,
        offset: u64,
        limit: u64,
    ) -> Result<LogPage, ClientError> {
        let q = format!("{}&offset={offset}&limit={limit}", id_query(id));
        self.get_json(&self.endpoint_url(endpoints::LOGS, &q)).await
    }

    /// Starts a per-asset status look-up (`POST /bin/guides/v1/assets/status`).
    pub async fn asset_status_start(
        &self,
        request: &asset_processing_api::AssetStatusRequest,
    ) -> Result<asset_processing_api::AssetStatusStarted, ClientError> {
        let body =
            serde_json::to_string(request).map_err(|e| ClientError::BadJson(e.to_string()))?;
        let url = format!("{}{}", self.base, asset_processing_api::ASSET_STATUS_PATH);
        self.post(&url, Some(body)).await
    }

    /// Who is signed in (Granite's `currentuser.json`): None for nobody, or when the server
    /// cannot say (an error is not shown: the history then offers no "me").
    /// Asked once: a later visit to the history takes the first answer (a failure is not kept).
    pub async fn current_user(&self) -> Option<String> {
        if let Some(known) = self.me.lock().unwrap_or_else(|p| p.into_inner()).clone() {
            return known;
        }
        let url = format!("{}{}", self.base, asset_processing_api::CURRENT_USER_PATH);
        let info: asset_processing_api::CurrentUserInfo = self.get_json(&url).await.ok()?;
        let person = info.person().map(str::to_string);
        *self.me.lock().unwrap_or_else(|p| p.into_inner()) = Some(person.clone());
        person
    }

    /// Reads a per-asset status look-up (`GET /bin/guides/v1/assets/status?jobId=`) as its answer arrives (`asset_stream`): the body's
    /// chunks are parsed as they come, never held whole, and `progress` hears the assets
    /// parsed so far (about every 10,000).
    pub async fn asset_status_streamed(
        &self,
        job_id: &str,
        progress: &dyn Fn(usize),
    ) -> Result<asset_processing_api::AssetStatusReport, ClientError> {
        use wasm_bindgen::JsCast;
        let url = format!(
            "{}{}?jobId={}",
            self.base,
            asset_processing_api::ASSET_STATUS_PATH,
            encode_component(job_id)
        );
        let response = gloo_net::http::Request::get(&url)
            .header("Accept", "application/json")
            .send()
            .await
            .map_err(|e| ClientError::Network(e.to_string()))?;
        let body = match response.body() {
            Some(body) if response.ok() => body,
            // An error (decoded in the one place), or no body to stream.
            _ => return finish(response).await,
        };
        let network = |e: wasm_bindgen::JsValue| {
            ClientError::Network(e.as_string().unwrap_or_else(|| format!("{e:?}")))
        };
        let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
        let mut stream = asset_stream::AssetStream::new();
        let mut bytes = Vec::new();
        let mut told = 0;
        loop {
            let result = wasm_bindgen_futures::JsFuture::from(reader.read())
                .await
                .map_err(network)?;
            let result: web_sys::ReadableStreamReadResult = result.unchecked_into();
            if result.get_done().unwrap_or(true) {
                break;
            }
            let chunk: js_sys::Uint8Array = result.get_value().unchecked_into();
            bytes.resize(chunk.length() as usize, 0);
            chunk.copy_to(&mut bytes);
            stream.push(&bytes).map_err(ClientError::BadJson)?;
            if stream.parsed() >= told + 10_000 {
                told = stream.parsed();
                progress(told);
            }
        }
        stream.finish().map_err(ClientError::BadJson)
    }

    /// The per-asset status of `request`: POST, then GET until the look-up is SUCCESS or
    /// FAILED, the answer parsed as it arrives (`progress` hears how many assets are read).
    /// `Ok(None)`: the server has no per-asset status (an AEM answering 404, 405 or 501).
    pub async fn look_up_asset_status_with(
        &self,
        request: &asset_processing_api::AssetStatusRequest,
        progress: &dyn Fn(usize),
    ) -> Result<Option<Vec<asset_processing_api::AssetState>>, ClientError> {
        let job_id = match self.asset_status_start(request).await {
            Ok(started) => started.job_id,
            Err(ClientError::NotFound(_))
            | Err(ClientError::Rejected { status: 405, .. })
            | Err(ClientError::Server { status: 501, .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        let mut wait = 100;
        loop {
            let report = self.asset_status_streamed(&job_id, progress).await?;
            match report.status {
                asset_processing_api::Status::Success => return Ok(Some(report.assets)),
                asset_processing_api::Status::Failed => {
                    // The look-up itself failed on the server.
                    return Err(ClientError::Server {
                        status: 500,
                        message: text::ASSET_LOOKUP_FAILED.into(),
                    });
                }
                _ => {}
            }
            crate::browser::sleep_ms(wait).await;
            wait = (wait * 2).min(250);
        }
    }

    /// The per-asset status of `request`: POST, then GET until the look-up is SUCCESS or
    /// FAILED. `Ok(None)`: the server has no per-asset status (an AEM answering 404, 405 or
    /// 501).
    pub async fn look_up_asset_status(
        &self,
        request: &asset_processing_api::AssetStatusRequest,
    ) -> Result<Option<Vec<asset_processing_api::AssetState>>, ClientError> {
        self.look_up_asset_status_with(request, &|_| {}).await
    }

    /// The children of a repository folder (Sling's `.1.json` rendering).
    pub async fn folder(&self, path: &str) -> Result<Vec<FolderEntry>, ClientError> {
        let value: serde_json::Value = self
            .get_json(&format!("{}{}.1.json", self.base, encode_path(path)))
            .await?;
        Ok(parse_listing(&value))
    }

    pub async fn start(&self, request: &StartRequest) -> Result<StartResponse, ClientError> {
        let body =
            serde_json::to_string(request).map_err(|e| ClientError::BadJson(e.to_string()))?;
        self.post(&self.endpoint_url(endpoints::START, ""), Some(body))
            .await
    }

    /// Does `action` to `job`: the one request the action makes (see `JobAction::request`).
    pub async fn act(&self, action: JobAction, job: &Job) -> Result<Acted, ClientError> {
        match action.request(job) {
            ActionRequest::Post {
                endpoint,
                processing_id,
            } => {
                // The id both ways (the workflow page's JSON body and the API pages' query);
                // any 2xx is accepted whatever its body, then the status says where it is.
                let url = self.endpoint_url(endpoint, &id_query(&processing_id));
                let answer = self
                    .post_text(&url, Some(action_body(&processing_id)))
                    .await?;
                if !(200..300).contains(&answer.status) {
                    return Err(answer.error());
                }
                let now = match answered_job(&processing_id, &answer.body) {
                    Some(job) => job,
                    // The status could not be read just now: the job as it was, which the
                    // next poll replaces (a cancel still shows "Cancelling…" meanwhile).
                    None => self
                        .status(&processing_id)
                        .await
                        .unwrap_or_else(|_| job.clone()),
                };
                Ok(Acted::Updated(Box::new(now)))
            }
            ActionRequest::Start(request) => self
                .start(&request)
                .await
                .map(|started| Acted::Started(started.processing_id)),
        }
    }

    /// The back end's health for the header's dot (`GET /bin/guides/v1/system/status`):
    /// never an error, an AEM without the endpoint simply hides the dot.
    pub async fn system_health(&self) -> Health {
        let url = format!("{}{SYSTEM_STATUS_PATH}", self.base);
        match gloo_net::http::Request::get(&url)
            .header("Accept", "application/json")
            .send()
            .await
        {
            Err(_) => Health::Unreachable,
            Ok(response) => {
                let status = response.status();
                let body = response.text().await.unwrap_or_default();
                health_of(status, &body)
            }
        }
    }

    /// What the log download at `url` answers: a ZIP (the request is then stopped after its
    /// headers, for the browser to download it itself) or JSON naming log files.
    pub async fn download_answer(&self, url: &str) -> Result<DownloadAnswer, ClientError> {
        let controller = web_sys::AbortController::new().ok();
        let response = gloo_net::http::Request::get(url)
            .header("Accept", "application/zip, application/json")
            .abort_signal(controller.as_ref().map(|c| c.signal()).as_ref())
            .send()
            .await
            .map_err(|e| ClientError::Network(e.to_string()))?;
        let status = response.status();
        let content_type = response.headers().get("content-type").unwrap_or_default();
        if (200..300).contains(&status) && !content_type.to_ascii_lowercase().contains("json") {
            if let Some(c) = controller {
                c.abort();
            }
            return Ok(DownloadAnswer::Archive);
        }
        // The bytes, made text here: `text()` would have the browser decode them to UTF-16
        // and wasm-bindgen encode them back to UTF-8 (for a history of 100 runs, about half
        // of reading the answer, measured under a phone's CPU).
        let bytes = response
            .binary()
            .await
            .map_err(|e| ClientError::Network(e.to_string()))?;
        let body = String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        if (200..300).contains(&status) {
            return Ok(download_answer(&self.base, &content_type, &body));
        }
        Err(decode::<serde_json::Value>(status, &content_type, &body)
            .err()
            .unwrap_or(ClientError::Server {
                status,
                message: String::new(),
            }))
    }

    async fn get_json<T: DeserializeOwned>(&self, url: &str) -> Result<T, ClientError> {
        if let Some(early) = take_early(url) {
            let response = wasm_bindgen_futures::JsFuture::from(early)
                .await
                .map_err(|e| ClientError::Network(format!("{e:?}")))?;
            let response: web_sys::Response = wasm_bindgen::JsCast::unchecked_into(response);
            return finish(gloo_net::http::Response::from(response)).await;
        }
        let response = gloo_net::http::Request::get(url)
            .header("Accept", "application/json")
            .send()
            .await
            .map_err(|e| ClientError::Network(e.to_string()))?;
        finish(response).await
    }

    /// A valid CSRF token: the one held if fresh, else a new one.
    async fn csrf_token(&self, fresh: bool) -> Result<String, ClientError> {
        let now = js_sys::Date::now();
        if !fresh {
            if let Some((token, at)) = self.csrf.lock().unwrap_or_else(|p| p.into_inner()).clone() {
                if now - at < CSRF_MAX_AGE_MS {
                    return Ok(token);
                }
            }
        }
        let token: CsrfToken = self
            .get_json(&format!("{}{CSRF_TOKEN_PATH}", self.base))
            .await?;
        *self.csrf.lock().unwrap_or_else(|p| p.into_inner()) = Some((token.token.clone(), now));
        Ok(token.token)
    }

    /// A POST with the CSRF token, decoded as `T`.
    async fn post<T: DeserializeOwned>(
        &self,
        url: &str,
        body: Option<String>,
    ) -> Result<T, ClientError> {
        let answer = self.post_text(url, body).await?;
        decode(answer.status, &answer.content_type, &answer.body)
    }

    /// A POST with the CSRF token, its answer as it came; a 403 that refuses the token
    /// fetches a new one and tries once more.
    async fn post_text(&self, url: &str, body: Option<String>) -> Result<Answer, ClientError> {
        let mut fresh = false;
        loop {
            let token = self.csrf_token(fresh).await?;
            let request = gloo_net::http::Request::post(url)
                .header("Accept", "application/json")
                .header(CSRF_HEADER, &token);
            let request = match &body {
                Some(b) => request
                    .header("Content-Type", "application/json")
                    .body(b.clone())
                    .map_err(|e| ClientError::Network(e.to_string()))?,
                None => request
                    .build()
                    .map_err(|e| ClientError::Network(e.to_string()))?,
            };
            let response = request
                .send()
                .await
                .map_err(|e| ClientError::Network(e.to_string()))?;
            let answer = Answer::read(response).await?;
            if answer.status == 403 && !fresh && matches!(answer.error(), ClientError::Forbidden(_))
            {
                fresh = true;
                continue;
            }
            return Ok(answer);
        }
    }
}

thread_local! {
    /// The history's request sent before the app was in (`send_history_early`), by URL, until
    /// the app's first request of that URL takes it.
    static EARLY: std::cell::RefCell<Option<(String, js_sys::Promise)>> =
        const { std::cell::RefCell::new(None) };
}

/// The history in an early answer (`ApiClient::send_history_early`), read from a copy of it
/// (its own body stays for the app's first `history`), if it came and is a success: anything
/// else is the app's to say, from the same answer.
pub async fn early_history(answer: js_sys::Promise) -> Option<History> {
    let response: web_sys::Response = wasm_bindgen::JsCast::unchecked_into(
        wasm_bindgen_futures::JsFuture::from(answer).await.ok()?,
    );
    if response.status() != 200 {
        return None;
    }
    finish(gloo_net::http::Response::from(response.clone().ok()?))
        .await
        .ok()
}

/// The early request of `url`, once.
fn take_early(url: &str) -> Option<js_sys::Promise> {
    EARLY.with(|e| {
        let mut early = e.borrow_mut();
        match early.take() {
            Some((u, promise)) if u == url => Some(promise),
            other => {
                *early = other;
                None
            }
        }
    })
}

/// An HTTP answer as it came: status, content type and body.
struct Answer {
    status: u16,
    content_type: String,
    body: String,
}

impl Answer {
    async fn read(response: gloo_net::http::Response) -> Result<Answer, ClientError> {
        let status = response.status();
        let content_type = response.headers().get("content-type").unwrap_or_default();
        // The bytes, made text here: `text()` would have the browser decode them to UTF-16
        // and wasm-bindgen encode them back to UTF-8 (for a history of 100 runs, about half
        // of reading the answer, measured under a phone's CPU).
        let bytes = response
            .binary()
            .await
            .map_err(|e| ClientError::Network(e.to_string()))?;
        let body = String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Ok(Answer {
            status,
            content_type,
            body,
        })
    }

    /// The typed error of an answer that is not a success (see `decode`).
    fn error(&self) -> ClientError {
        decode::<serde_json::Value>(self.status, &self.content_type, &self.body)
            .err()
            .unwrap_or(ClientError::BadJson(String::new()))
    }
}

async fn finish<T: DeserializeOwned>(response: gloo_net::http::Response) -> Result<T, ClientError> {
    let answer = Answer::read(response).await?;
    decode(answer.status, &answer.content_type, &answer.body)
}

#[cfg(test)]
mod tests;
