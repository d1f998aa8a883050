//! The bulk asset processing API as both sides see it: the wire types of `docs/contract.md`
//! (serde names exactly as the contract spells them) and the pure rules both the console and
//! the reference server apply (path normalisation and validation, status → allowed actions).
//!
//! Tolerance rule (contract): a real AEM Guides server may send extra fields, omit optional
//! ones, or use enum values this crate does not know. Deserialising never fails for those:
//! unknown enum values are kept verbatim in an `Other` variant so the console can show them
//! as they came.

mod actions;
mod enums;
mod paths;
mod types;
mod validate;

pub use actions::{ActionRequest, JobAction, JobFlags};
pub use enums::{AssetOutcome, CalculationStatus, EtaUnit, FileCategory, ProcessingType, Status};
pub use paths::{is_at_or_below, normalize_path, resolve_dots, PathError, DAM_ROOT};
pub use types::{
    AssetState, AssetStatusReport, AssetStatusRequest, AssetStatusStarted, CsrfToken,
    CurrentUserInfo, ErrorBody, Eta, Filter, History, Job, LogFilePaths, LogPage, MigrationSet,
    ProcessingIdBody, StartRequest, StartResponse,
};
pub use validate::{
    check_start_json, validate_asset_status_request, validate_start_request, FieldError,
    MAX_EXCLUDED_PATHS, MAX_STATUS_PATHS,
};

/// Where every endpoint of the API lives (contract: "Base").
pub const API_BASE: &str = "/bin/guides/v1/assets/process";
/// The per-asset status API (published page "API to track post processing status for a
/// folder or an asset"): POST starts a look-up, `GET ?jobId=` reads it.
pub const ASSET_STATUS_PATH: &str = "/bin/guides/v1/assets/status";
/// The system status endpoint: is the processing back end healthy? (Fields are not fixed.)
pub const SYSTEM_STATUS_PATH: &str = "/bin/guides/v1/system/status";
/// Who is signed in (Granite's standard servlet, never cached): `{"authorizableId": ...}`,
/// `anonymous` when nobody is.
pub const CURRENT_USER_PATH: &str = "/libs/granite/security/currentuser.json";
/// The id Granite's current-user servlet answers when nobody is signed in.
pub const ANONYMOUS_USER: &str = "anonymous";
/// Where the CSRF token comes from (AEM's Granite CSRF servlet).
pub const CSRF_TOKEN_PATH: &str = "/libs/granite/csrf/token.json";
/// AEM's login page; `?resource=<page>` brings the person back after signing in.
pub const LOGIN_PAGE_PATH: &str = "/libs/granite/core/content/login.html";
/// The form target of the login page.
pub const LOGIN_CHECK_PATH: &str = "/libs/granite/core/content/login.html/j_security_check";
/// The header every POST carries.
pub const CSRF_HEADER: &str = "CSRF-Token";
/// At most this many log lines per `offset`/`limit` call.
pub const MAX_LOG_PAGE: u64 = 1_000;
/// History `limit` bounds and default.
pub const HISTORY_LIMIT_DEFAULT: u32 = 10;
pub const HISTORY_LIMIT_MAX: u32 = 100;

/// The endpoints, as paths relative to the API base URL.
/// A count as English writes it, digits grouped by three with commas (1234567 →
/// "1,234,567"): the server's log lines and an English reader's console say counts so.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub mod endpoints {
    pub const START: &str = "";
    pub const STATUS: &str = "/status";
    pub const LOGS: &str = "/logs";
    pub const DOWNLOAD: &str = "/logs/download";
    pub const CANCEL: &str = "/cancel";
    pub const RESUME: &str = "/resume";
    pub const HISTORY: &str = "/history";
}

/// Parses a JSON document into a wire type with an error a person can read
/// ("invalid JSON: trailing comma at line 5, column 1"), never a panic.
pub fn parse_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| {
        use serde_json::error::Category;
        let what = match e.classify() {
            Category::Syntax | Category::Eof => "invalid JSON",
            Category::Data => "unexpected JSON content",
            Category::Io => "could not read JSON",
        };
        // serde_json's own message ends with "at line L column C"; keep it, it is precise.
        format!("{what}: {e}")
    })
}
