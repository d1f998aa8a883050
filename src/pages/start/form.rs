//! The start form's data, apart from its view: what was typed (kept in the tab's session
//! storage so a sign-in round trip loses nothing), its check before sending (the contract's
//! rules, shared with the server), and where a server's 400 message belongs.

use asset_processing_api::{
    is_at_or_below, normalize_path, validate_start_request, FieldError, FileCategory, Filter, Job,
    ProcessingType, StartRequest,
};
use serde::{Deserialize, Serialize};

use crate::text;

/// The fields of the form, as typed. A new one is empty, of the one published type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub path: String,
    pub excluded: Vec<String>,
    /// The checked file-type categories, by wire name ("DITAMAP"); none checked: all.
    #[serde(default)]
    pub categories: Vec<String>,
    /// "Created after": a `datetime-local` value in the person's time zone ("2026-03-01T00:00").
    #[serde(default)]
    pub created_after: String,
    /// "Created before", likewise.
    #[serde(default)]
    pub created_before: String,
    pub skip_processed: bool,
    #[serde(default = "default_kind")]
    pub kind: String,
}

fn default_kind() -> String {
    ProcessingType::AssetProcessing.as_str().to_string()
}

/// The field a message is shown at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Path,
    Excluded,
    Type,
    FileTypes,
    /// The "Created after" input.
    CreatedAfter,
    /// The "Created before" input.
    CreatedBefore,
    /// Not about one field: shown above the buttons.
    Form,
}

impl Default for Draft {
    fn default() -> Draft {
        Draft {
            path: String::new(),
            excluded: Vec::new(),
            categories: Vec::new(),
            created_after: String::new(),
            created_before: String::new(),
            skip_processed: false,
            kind: default_kind(),
        }
    }
}

impl Draft {
    /// The request to send, in normal form, or the first field to fix. `local_to_ms` reads a
    /// `datetime-local` value as epoch ms in the person's time zone (the browser's `Date`),
    /// None when it is not a time.
    pub fn to_request(
        &self,
        local_to_ms: &dyn Fn(&str) -> Option<i64>,
    ) -> Result<StartRequest, (Field, String)> {
        if self.path.trim().is_empty() {
            return Err((Field::Path, text::CHOOSE_PATH.into()));
        }
        let file_types: Vec<FileCategory> = FileCategory::KNOWN
            .iter()
            .filter(|c| self.categories.iter().any(|chosen| chosen == c.as_str()))
            .cloned()
            .collect();
        let bound = |typed: &str, field: Field| -> Result<Option<i64>, (Field, String)> {
            let typed = typed.trim();
            if typed.is_empty() {
                return Ok(None);
            }
            match local_to_ms(typed) {
                Some(ms) if ms >= 0 => Ok(Some(ms)),
                Some(_) => Err((field, text::TIME_BEFORE_1970.into())),
                None => Err((field, text::TIME_NOT_A_TIME.into())),
            }
        };
        let start_time = bound(&self.created_after, Field::CreatedAfter)?;
        let end_time = bound(&self.created_before, Field::CreatedBefore)?;
        if let (Some(after), Some(before)) = (start_time, end_time) {
            if after > before {
                return Err((Field::CreatedBefore, text::CREATED_BEFORE_IS_EARLIER.into()));
            }
        }
        let request = StartRequest {
            path: self.path.trim().to_string(),
            excluded_paths: self.excluded.clone(),
            kind: ProcessingType::from_wire(&self.kind),
            filter: Some(Filter {
                file_types,
                start_time,
                end_time,
                filter_processed_assets: self.skip_processed,
            }),
        };
        validate_start_request(&request)
            .map_err(|e: FieldError| (field_of(&e.field), sentence(&e.message)))
    }

    pub fn to_storage(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_storage(text: &str) -> Option<Draft> {
        serde_json::from_str(text).ok()
    }
}

/// How a run that is already waiting or running overlaps the folder about to be started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overlap {
    /// The same folder (or asset).
    Same,
    /// A folder that contains the one typed.
    Contains,
    /// A folder inside the one typed.
    Inside,
}

impl Overlap {
    /// The words for a person ("contains this folder").
    pub fn words(self) -> &'static str {
        match self {
            Overlap::Same => crate::text::OVERLAP_SAME,
            Overlap::Contains => crate::text::OVERLAP_CONTAINS,
            Overlap::Inside => crate::text::OVERLAP_INSIDE,
        }
    }
}

/// Runs already WAITING or RUNNING that would handle some of the same assets as a job on
/// `typed`, newest first as the history lists them (pre-flight: the person is told, and may
/// start anyway). Nothing while `typed` is not a valid path.
pub fn overlapping_runs<'a>(history: &'a [Job], typed: &str) -> Vec<(&'a Job, Overlap)> {
    let Ok(path) = normalize_path(typed.trim()) else {
        return Vec::new();
    };
    history
        .iter()
        .filter(|job| job.status.is_active())
        .filter_map(|job| {
            let overlap = if job.path == path {
                Overlap::Same
            } else if is_at_or_below(&path, &job.path) {
                Overlap::Contains
            } else if is_at_or_below(&job.path, &path) {
                Overlap::Inside
            } else {
                return None;
            };
            Some((job, overlap))
        })
        .collect()
}

/// The field a wire name (`excludedPaths[2]`, `filter.fileTypes[0]`, `filter.endTime`)
/// belongs to.
pub fn field_of(wire: &str) -> Field {
    let name = wire.split([' ', '(']).next().unwrap_or("");
    if name.starts_with("filter.startTime") {
        return Field::CreatedAfter;
    }
    if name.starts_with("filter.endTime") {
        return Field::CreatedBefore;
    }
    match name.split(['[', '.']).next().unwrap_or("") {
        "path" => Field::Path,
        "excludedPaths" => Field::Excluded,
        "type" => Field::Type,
        "filter" => Field::FileTypes,
        _ => Field::Form,
    }
}

/// A server's 400 message names the field first ("path /content/dam/x does not exist").
pub fn field_of_message(message: &str) -> Field {
    field_of(message)
}

/// Capitalised, with a full stop: how messages read in the form.
pub fn sentence(message: &str) -> String {
    let mut s = message.trim().to_string();
    if let Some(first) = s.get(..1) {
        s = crate::fold::upper(first) + &s[1..];
    }
    if !s.ends_with('.') {
        s.push('.');
    }
    s
}

/// A path typed in the excluded list, checked against the chosen path and the others.
pub fn check_excluded(path: &str, excluded: &[String], candidate: &str) -> Result<String, String> {
    let mut all = excluded.to_vec();
    all.push(candidate.to_string());
    let request = StartRequest {
        path: path.to_string(),
        excluded_paths: all,
        kind: ProcessingType::AssetProcessing,
        filter: None,
    };
    match validate_start_request(&request) {
        Ok(r) => Ok(r.excluded_paths.last().cloned().unwrap_or_default()),
        Err(e) if e.field == "path" => Err("Choose the folder to process first.".into()),
        Err(e) => Err(sentence(&e.message)),
    }
}

/// The folder whose children complete what is typed: "/content/dam/gu" → ("/content/dam", "gu").
pub fn completion_base(typed: &str) -> Option<(String, String)> {
    let typed = typed.trim();
    let absolute = if typed.starts_with('/') {
        typed.to_string()
    } else {
        format!("/{typed}")
    };
    let (parent, prefix) = absolute.rsplit_once('/')?;
    let parent = if parent.is_empty() {
        "/".to_string()
    } else {
        parent.to_string()
    };
    asset_processing_api::normalize_path(&parent)
        .ok()
        .map(|p| (p, prefix.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in for the browser's `Date`: reads "YYYY-MM-DDTHH:MM" as UTC.
    fn utc(typed: &str) -> Option<i64> {
        let (date, time) = typed.split_once('T')?;
        let mut d = date.split('-').map(|p| p.parse::<i64>());
        let (y, m, day) = (d.next()?.ok()?, d.next()?.ok()?, d.next()?.ok()?);
        let (h, min) = time.split_once(':')?;
        let (h, min) = (h.parse::<i64>().ok()?, min.parse::<i64>().ok()?);
        // Days from civil (Howard Hinnant's algorithm).
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        Some(((days * 24 + h) * 60 + min) * 60_000)
    }

    #[test]
    fn empty_path_is_the_first_thing_to_fix() {
        assert_eq!(
            Draft::default().to_request(&utc).unwrap_err().0,
            Field::Path
        );
    }

    #[test]
    fn builds_a_normal_request() {
        let d = Draft {
            path: "/content/dam/docs/".into(),
            excluded: vec!["content/dam/docs/old".into()],
            categories: vec!["DITATOPIC".into(), "DITAMAP".into()],
            created_after: "2026-03-01T00:00".into(),
            created_before: "2026-06-30T23:59".into(),
            skip_processed: true,
            kind: "ASSET_PROCESSING".into(),
        };
        let r = d.to_request(&utc).unwrap();
        assert_eq!(r.path, "/content/dam/docs");
        assert_eq!(r.excluded_paths, vec!["/content/dam/docs/old"]);
        let f = r.filter.unwrap();
        // In the contract's order, whatever order they were ticked in.
        assert_eq!(
            f.file_types,
            vec![FileCategory::DitaTopic, FileCategory::DitaMap]
        );
        assert_eq!(f.start_time, Some(1_772_323_200_000));
        assert_eq!(f.end_time, Some(1_782_863_940_000));
        assert!(f.filter_processed_assets);

        let none = Draft {
            path: "/content/dam".into(),
            ..Draft::default()
        };
        let f = none.to_request(&utc).unwrap().filter.unwrap();
        assert!(f.file_types.is_empty(), "none ticked means every type");
        assert_eq!((f.start_time, f.end_time), (None, None));
    }

    #[test]
    fn runs_on_the_same_assets_are_found_before_starting() {
        let job = |id: &str, path: &str, status: &str| -> Job {
            serde_json::from_str(&format!(
                r#"{{"processingId":"{id}","path":"{path}","status":"{status}"}}"#
            ))
            .unwrap()
        };
        let history = vec![
            job("a", "/content/dam/guides", "RUNNING"),
            job("b", "/content/dam/guides/aurora", "WAITING"),
            job("c", "/content/dam/guides/aurora/en", "RUNNING"),
            job("d", "/content/dam/guides/aurora", "SUCCESS"),
            job("e", "/content/dam/other", "RUNNING"),
            job("f", "/content/dam/guides/aurora-two", "RUNNING"),
        ];
        let found: Vec<(&str, Overlap)> = overlapping_runs(&history, "content/dam/guides/aurora/")
            .into_iter()
            .map(|(j, o)| (j.processing_id.as_str(), o))
            .collect();
        assert_eq!(
            found,
            [
                ("a", Overlap::Contains),
                ("b", Overlap::Same),
                ("c", Overlap::Inside)
            ]
        );
        assert!(overlapping_runs(&history, "/etc").is_empty());
        assert!(overlapping_runs(&history, "").is_empty());
    }

    #[test]
    fn the_time_window_is_checked_at_its_field() {
        let mut d = Draft {
            path: "/content/dam".into(),
            created_after: "2026-07-01T00:00".into(),
            created_before: "2026-03-01T00:00".into(),
            ..Draft::default()
        };
        assert_eq!(
            d.to_request(&utc).unwrap_err(),
            (Field::CreatedBefore, text::CREATED_BEFORE_IS_EARLIER.into())
        );
        d.created_before = "not a time".into();
        assert_eq!(d.to_request(&utc).unwrap_err().0, Field::CreatedBefore);
        d.created_before.clear();
        d.created_after = "1969-12-31T00:00".into();
        assert_eq!(
            d.to_request(&utc).unwrap_err(),
            (Field::CreatedAfter, text::TIME_BEFORE_1970.into())
        );
        assert_eq!(
            field_of_message("filter.endTime (1) must not be before filter.startTime (2)"),
            Field::CreatedBefore
        );
        assert_eq!(
            field_of_message("filter.startTime must not be negative"),
            Field::CreatedAfter
        );
        assert_eq!(
            field_of_message("filter.fileTypes[0] \"x\" is not a file type category"),
            Field::FileTypes
        );
    }

    #[test]
    fn problems_land_at_their_field() {
        let mut d = Draft {
            path: "/etc".into(),
            ..Draft::default()
        };
        assert_eq!(
            d.to_request(&utc).unwrap_err(),
            (
                Field::Path,
                "Path must be /content/dam or a path below it.".into()
            )
        );
        d.path = "/content/dam/a".into();
        d.excluded = vec!["/content/dam/b".into()];
        assert_eq!(d.to_request(&utc).unwrap_err().0, Field::Excluded);
        d.excluded.clear();
        assert_eq!(
            field_of_message("path /content/dam/x does not exist in the repository"),
            Field::Path
        );
        assert_eq!(
            field_of_message("excludedPaths[1] (/x) is listed twice"),
            Field::Excluded
        );
        assert_eq!(
            field_of_message("type \"X\" is not a known processing type"),
            Field::Type
        );
        assert_eq!(
            field_of_message("the request body is not valid"),
            Field::Form
        );
    }

    #[test]
    fn excluded_paths_are_checked_one_by_one() {
        let have = vec!["/content/dam/a/old".to_string()];
        assert_eq!(
            check_excluded("/content/dam/a", &have, "content/dam/a/tmp/").unwrap(),
            "/content/dam/a/tmp"
        );
        assert!(
            check_excluded("/content/dam/a", &have, "/content/dam/a/old")
                .unwrap_err()
                .contains("listed twice")
        );
        assert!(check_excluded("/content/dam/a", &have, "/content/dam/b")
            .unwrap_err()
            .contains("at or below"));
        assert!(check_excluded("", &have, "/content/dam/b")
            .unwrap_err()
            .contains("first"));
    }

    #[test]
    fn drafts_survive_storage_and_completion_bases() {
        let d = Draft {
            path: "/content/dam/x".into(),
            skip_processed: true,
            categories: vec!["MARKDOWN".into()],
            created_after: "2026-03-01T08:30".into(),
            ..Draft::default()
        };
        assert_eq!(Draft::from_storage(&d.to_storage()), Some(d));
        // A draft kept by the previous release (file types as typed text) still opens.
        let old = r#"{"path":"/content/dam/y","excluded":[],"file_types":"dita","skip_processed":false,"kind":"ASSET_PROCESSING"}"#;
        assert_eq!(Draft::from_storage(old).unwrap().path, "/content/dam/y");
        assert_eq!(Draft::from_storage("garbage"), None);
        assert_eq!(
            completion_base("/content/dam/gu"),
            Some(("/content/dam".into(), "gu".into()))
        );
        assert_eq!(
            completion_base("/content/dam/guides/"),
            Some(("/content/dam/guides".into(), "".into()))
        );
        assert_eq!(completion_base("/con"), None);
    }
}
