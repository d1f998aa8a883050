//! The start form's data, apart from its view: what was typed (kept in the tab's session
//! storage so a sign-in round trip loses nothing), its check before sending (the contract's
//! rules, shared with the server), and where a server's 400 message belongs.

use asset_processing_api::{
    validate_start_request, FieldError, Filter, ProcessingType, StartRequest,
};
use serde::{Deserialize, Serialize};

/// The fields of the form, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub path: String,
    pub excluded: Vec<String>,
    /// Comma- or space-separated extensions, as typed ("dita, ditamap").
    pub file_types: String,
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
    /// Not about one field: shown above the buttons.
    Form,
}

impl Draft {
    pub fn new() -> Draft {
        Draft {
            kind: default_kind(),
            ..Draft::default()
        }
    }

    /// The request to send, in normal form, or the first field to fix.
    pub fn to_request(&self) -> Result<StartRequest, (Field, String)> {
        if self.path.trim().is_empty() {
            return Err((
                Field::Path,
                "Choose the folder (or asset) to process.".into(),
            ));
        }
        let file_types: Vec<String> = self
            .file_types
            .split([',', ' ', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let request = StartRequest {
            path: self.path.trim().to_string(),
            excluded_paths: self.excluded.clone(),
            kind: ProcessingType::from_wire(&self.kind),
            filter: Some(Filter {
                file_types,
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

/// The field a wire name (`excludedPaths[2]`, `filter.fileTypes[0]`) belongs to.
pub fn field_of(wire: &str) -> Field {
    match wire.split(['[', '.', ' ']).next().unwrap_or("") {
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
        s = first.to_uppercase() + &s[1..];
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

    #[test]
    fn empty_path_is_the_first_thing_to_fix() {
        assert_eq!(Draft::new().to_request().unwrap_err().0, Field::Path);
    }

    #[test]
    fn builds_a_normal_request() {
        let d = Draft {
            path: "/content/dam/docs/".into(),
            excluded: vec!["content/dam/docs/old".into()],
            file_types: ".DITA, ditamap png".into(),
            skip_processed: true,
            kind: "ASSET_PROCESSING".into(),
        };
        let r = d.to_request().unwrap();
        assert_eq!(r.path, "/content/dam/docs");
        assert_eq!(r.excluded_paths, vec!["/content/dam/docs/old"]);
        let f = r.filter.unwrap();
        assert_eq!(f.file_types, vec!["dita", "ditamap", "png"]);
        assert!(f.filter_processed_assets);
    }

    #[test]
    fn problems_land_at_their_field() {
        let mut d = Draft::new();
        d.path = "/etc".into();
        assert_eq!(
            d.to_request().unwrap_err(),
            (
                Field::Path,
                "Path must be /content/dam or a path below it.".into()
            )
        );
        d.path = "/content/dam/a".into();
        d.excluded = vec!["/content/dam/b".into()];
        assert_eq!(d.to_request().unwrap_err().0, Field::Excluded);
        d.excluded.clear();
        d.file_types = "*.png".into();
        assert_eq!(d.to_request().unwrap_err().0, Field::FileTypes);
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
            ..Draft::new()
        };
        assert_eq!(Draft::from_storage(&d.to_storage()), Some(d));
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
