//! The JSON bodies of the API. Field names follow the contract exactly (camelCase).
//!
//! Serialising always writes every field (the reference server answers with exactly the
//! seed's shapes). Deserialising tolerates missing fields other than a job's id, extra fields
//! and numbers of the wrong kind (a float where an integer is expected), as a console talking
//! to a real AEM must.

use serde::{Deserialize, Deserializer, Serialize};

use crate::enums::{
    AssetOutcome, CalculationStatus, EtaUnit, FileCategory, ProcessingType, Status,
};

/// Body of `POST /bin/guides/v1/assets/process`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct StartRequest {
    pub path: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub excluded_paths: Vec<String>,
    #[serde(rename = "type")]
    pub kind: ProcessingType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
}

/// Which assets under the path are processed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Filter {
    /// Only assets of these categories; empty means every asset.
    #[serde(default, deserialize_with = "null_as_default")]
    pub file_types: Vec<FileCategory>,
    /// Only assets created at or after this time (epoch ms).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_optional_i64"
    )]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub start_time: Option<i64>,
    /// Only assets created at or before this time (epoch ms).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_optional_i64"
    )]
    #[cfg_attr(feature = "openapi", schema(minimum = 0))]
    pub end_time: Option<i64>,
    /// Skip assets unchanged since their last successful processing.
    #[serde(default, deserialize_with = "null_as_default")]
    pub filter_processed_assets: bool,
}

impl Filter {
    /// True when the filter selects every asset (no category, no time bound, nothing skipped).
    pub fn is_everything(&self) -> bool {
        self.file_types.is_empty()
            && self.start_time.is_none()
            && self.end_time.is_none()
            && !self.filter_processed_assets
    }
}

/// Answer to a start request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct StartResponse {
    pub processing_id: String,
}

/// JSON body accepted by cancel and resume (the query parameter is the primary form).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProcessingIdBody {
    pub processing_id: String,
}

/// The counting phase: how many assets the job will handle.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MigrationSet {
    #[serde(default, deserialize_with = "lenient_u64")]
    pub total_files: u64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub calculation_status: CalculationStatus,
}

/// Remaining time while a job runs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Eta {
    #[serde(default, deserialize_with = "lenient_u64")]
    pub value: u64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub unit: EtaUnit,
}

impl Eta {
    /// The remaining time in seconds, when the unit is known.
    pub fn as_seconds(&self) -> Option<u64> {
        self.unit.seconds().map(|s| s.saturating_mul(self.value))
    }
}

/// A job: the status response and each history entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Job {
    pub processing_id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub path: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub excluded_paths: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub status: Status,
    /// Assets handled so far (processed, skipped or failed).
    #[serde(default, deserialize_with = "lenient_u64")]
    pub triggered_count: u64,
    /// Epoch milliseconds; 0 means not yet.
    #[serde(default, deserialize_with = "lenient_i64")]
    pub started_at: i64,
    /// Epoch milliseconds; 0 means not yet.
    #[serde(default, deserialize_with = "lenient_i64")]
    pub completed_at: i64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub has_logs: bool,
    #[serde(default, deserialize_with = "null_as_default")]
    pub created_by: String,
    #[serde(rename = "type", default, deserialize_with = "null_as_default")]
    pub kind: ProcessingType,
    #[serde(default, deserialize_with = "null_as_default")]
    pub migration_set: MigrationSet,
    #[serde(default, deserialize_with = "null_as_default")]
    pub eta: Eta,
    #[serde(default, deserialize_with = "null_as_default")]
    pub comments: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub filter: Filter,
    #[serde(default, deserialize_with = "null_as_default")]
    pub restartable: bool,
    #[serde(default, deserialize_with = "null_as_default")]
    pub resumable: bool,
    #[serde(default, deserialize_with = "null_as_default")]
    pub cancellable: bool,
}

impl Job {
    /// The request that made this job: what a restart sends again.
    pub fn restart_request(&self) -> StartRequest {
        StartRequest {
            path: self.path.clone(),
            excluded_paths: self.excluded_paths.clone(),
            kind: self.kind.clone(),
            filter: Some(self.filter.clone()),
        }
    }

    /// Whether the job has ended and will not change by itself (polling can stop, its bar is
    /// full). A status the contract names decides alone. A word it does not name (a real AEM
    /// may say "COMPLETED WITH ERRORS", or its screen's "Completed") is decided by what the
    /// job says of itself: it has a `completedAt`, or no flag allows a cancel. A console that
    /// waited for a word it knows would poll such a job for ever.
    pub fn is_finished(&self) -> bool {
        match &self.status {
            Status::Other(_) => self.completed_at > 0 || !self.cancellable,
            known => known.is_final(),
        }
    }
}

/// A page of a job's log.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LogPage {
    #[serde(default, deserialize_with = "null_as_default")]
    pub lines: Vec<String>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub limit: u64,
    /// Index of the first line of `lines`. With `tail`, `offset + lines.len()` is the
    /// log's current length.
    #[serde(default, deserialize_with = "lenient_u64")]
    pub offset: u64,
    /// More lines exist after this page now.
    #[serde(default, deserialize_with = "null_as_default")]
    pub has_more: bool,
}

impl LogPage {
    /// The index one past the last line of this page.
    pub fn end(&self) -> u64 {
        self.offset + self.lines.len() as u64
    }
}

/// The seed's description of the download answer lists log file paths. The contract settles
/// that the download itself is a ZIP; this type only reads the seed's example.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LogFilePaths {
    #[serde(default)]
    pub log_file_paths: Vec<String>,
}

/// `GET .../history`: newest first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct History {
    #[serde(default, deserialize_with = "null_as_default")]
    pub execution_history: Vec<Job>,
}

/// The body of every error answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub status: u16,
    pub message: String,
}

/// `GET /libs/granite/csrf/token.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CsrfToken {
    pub token: String,
}

/// `GET /libs/granite/security/currentuser.json` (Granite's own answer carries more fields;
/// only the id is read).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CurrentUserInfo {
    #[serde(default, deserialize_with = "null_as_default")]
    pub authorizable_id: String,
}

impl CurrentUserInfo {
    /// The signed-in person's id; None for nobody (`anonymous`) or an empty answer.
    pub fn person(&self) -> Option<&str> {
        let id = self.authorizable_id.trim();
        (!id.is_empty() && id != crate::ANONYMOUS_USER).then_some(id)
    }
}

/// Body of `POST /bin/guides/v1/assets/status`: the folders or assets to report on (`paths`,
/// or a single `path`), less `excludedPaths`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AssetStatusRequest {
    #[serde(default, deserialize_with = "null_as_default")]
    pub paths: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub excluded_paths: Vec<String>,
}

/// Answer to the look-up's POST: its id, to poll with `GET ...?jobId=`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AssetStatusStarted {
    pub job_id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub status: Status,
}

/// `GET /bin/guides/v1/assets/status?jobId=`: the look-up's state and, once it is SUCCESS,
/// every asset it covered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AssetStatusReport {
    #[serde(default, deserialize_with = "null_as_default")]
    pub job_id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub status: Status,
    #[serde(default, deserialize_with = "null_as_default")]
    pub assets: Vec<AssetState>,
}

/// One asset in a per-asset status report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssetState {
    #[serde(default, deserialize_with = "null_as_default")]
    pub path: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub uuid: String,
    /// The latest outcome, whichever job produced it.
    #[serde(default, deserialize_with = "null_as_default")]
    pub status: AssetOutcome,
    #[serde(default, deserialize_with = "null_as_default")]
    pub exists: bool,
}

/// `null` reads as the type's default, as a missing field does.
fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Any JSON number (or a numeric string) as a count: floats are rounded, negatives become 0.
fn lenient_u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Ok(lenient_number(d)?.map_or(0, |n| if n <= 0.0 { 0 } else { n.round() as u64 }))
}

/// An optional timestamp: absent or `null` is `None`, any number (or numeric string) is read.
fn lenient_optional_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(lenient_number(d)?.map(|n| n.round() as i64))
}

/// Any JSON number (or a numeric string) as a timestamp.
fn lenient_i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(lenient_number(d)?.map_or(0, |n| n.round() as i64))
}

fn lenient_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    use serde::de::Error;
    let value = Option::<serde_json::Value>::deserialize(d)?;
    match value {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Number(n)) => Ok(n.as_f64()),
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(serde_json::Value::String(s)) => s
            .trim()
            .parse::<f64>()
            .map(Some)
            .map_err(|_| D::Error::custom(format!("expected a number, found \"{s}\""))),
        Some(other) => Err(D::Error::custom(format!(
            "expected a number, found {other}"
        ))),
    }
}
