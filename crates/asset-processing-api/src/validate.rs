//! Validation of a start request, the same in the browser (before sending) and on the server
//! (before accepting). What only the server can know (does the path exist?) is not here.

use crate::enums::ProcessingType;
use crate::paths::{is_at_or_below, normalize_path};
use crate::types::{Filter, StartRequest};

/// A refused field: which one (the wire name, with an index for list items) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// `path`, `excludedPaths[2]`, `type`, `filter.fileTypes[0]`.
    pub field: String,
    /// Complete sentence naming the field, e.g. "path must be /content/dam or a path below it".
    pub message: String,
}

impl FieldError {
    fn new(field: impl Into<String>, why: impl std::fmt::Display) -> Self {
        let field = field.into();
        let message = format!("{field} {why}");
        FieldError { field, message }
    }

    /// The top-level field (`excludedPaths` for `excludedPaths[2]`), to place the message.
    pub fn top_field(&self) -> &str {
        self.field.split(['[', '.']).next().unwrap_or(&self.field)
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FieldError {}

/// A file type as the filter stores it: lower case, without a leading dot.
pub fn normalize_file_type(input: &str) -> Result<String, &'static str> {
    let t = input.trim().trim_start_matches('.').to_ascii_lowercase();
    if t.is_empty() {
        return Err("must not be empty");
    }
    if !t
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err("may contain only letters, digits, '-' and '_' (an extension such as dita)");
    }
    Ok(t)
}

/// Checks a start request and returns it in normal form (absolute paths, file types lower
/// case without dots, duplicates refused), or the first refused field.
pub fn validate_start_request(request: &StartRequest) -> Result<StartRequest, FieldError> {
    let path = normalize_path(&request.path).map_err(|e| FieldError::new("path", e))?;

    let mut excluded: Vec<String> = Vec::with_capacity(request.excluded_paths.len());
    for (i, raw) in request.excluded_paths.iter().enumerate() {
        let field = format!("excludedPaths[{i}]");
        let normal = normalize_path(raw).map_err(|e| FieldError::new(&field, e))?;
        if !is_at_or_below(&normal, &path) {
            return Err(FieldError::new(
                field,
                format!("({normal}) must be at or below path ({path})"),
            ));
        }
        if excluded.contains(&normal) {
            return Err(FieldError::new(
                field,
                format!("({normal}) is listed twice"),
            ));
        }
        excluded.push(normal);
    }

    if let ProcessingType::Other(kind) = &request.kind {
        let known: Vec<&str> = ProcessingType::KNOWN.iter().map(|k| k.as_str()).collect();
        return Err(FieldError::new(
            "type",
            format!(
                "\"{kind}\" is not a known processing type (known: {})",
                known.join(", ")
            ),
        ));
    }

    let filter = match &request.filter {
        None => None,
        Some(f) => {
            let mut file_types = Vec::with_capacity(f.file_types.len());
            for (i, raw) in f.file_types.iter().enumerate() {
                let t = normalize_file_type(raw)
                    .map_err(|why| FieldError::new(format!("filter.fileTypes[{i}]"), why))?;
                if !file_types.contains(&t) {
                    file_types.push(t);
                }
            }
            Some(Filter {
                file_types,
                filter_processed_assets: f.filter_processed_assets,
            })
        }
    };

    Ok(StartRequest {
        path,
        excluded_paths: excluded,
        kind: request.kind.clone(),
        filter,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str, excluded: &[&str]) -> StartRequest {
        StartRequest {
            path: path.into(),
            excluded_paths: excluded.iter().map(|s| s.to_string()).collect(),
            kind: ProcessingType::AssetProcessing,
            filter: None,
        }
    }

    #[test]
    fn normalises_the_seed_example() {
        let ok = validate_start_request(&request(
            "/content/dam/status-fetch1",
            &["content/dam/status-fetch1/excluded-folder"],
        ))
        .unwrap();
        assert_eq!(
            ok.excluded_paths,
            vec!["/content/dam/status-fetch1/excluded-folder"]
        );
    }

    #[test]
    fn names_the_field() {
        let e = validate_start_request(&request("/etc", &[])).unwrap_err();
        assert_eq!(e.field, "path");
        assert_eq!(e.message, "path must be /content/dam or a path below it");

        let e =
            validate_start_request(&request("/content/dam/a", &["/content/dam/b"])).unwrap_err();
        assert_eq!(e.field, "excludedPaths[0]");
        assert_eq!(e.top_field(), "excludedPaths");
        assert!(
            e.message.contains("must be at or below path"),
            "{}",
            e.message
        );

        let e = validate_start_request(&request(
            "/content/dam/a",
            &["/content/dam/a/x", "content/dam/a/x/"],
        ))
        .unwrap_err();
        assert_eq!(e.field, "excludedPaths[1]");
        assert!(e.message.contains("listed twice"));
    }

    #[test]
    fn refuses_unknown_type() {
        let mut r = request("/content/dam", &[]);
        r.kind = ProcessingType::Other("REINDEX".into());
        let e = validate_start_request(&r).unwrap_err();
        assert_eq!(e.field, "type");
        assert!(e.message.contains("ASSET_PROCESSING"));
    }

    #[test]
    fn file_types_are_normalised_and_checked() {
        let mut r = request("/content/dam", &[]);
        r.filter = Some(Filter {
            file_types: vec![".DITA".into(), "ditamap".into(), "dita".into()],
            filter_processed_assets: true,
        });
        let ok = validate_start_request(&r).unwrap();
        assert_eq!(ok.filter.unwrap().file_types, vec!["dita", "ditamap"]);

        r.filter = Some(Filter {
            file_types: vec!["*.png".into()],
            ..Filter::default()
        });
        assert_eq!(
            validate_start_request(&r).unwrap_err().field,
            "filter.fileTypes[0]"
        );
    }
}
