//! Validation of a start request, the same in the browser (before sending) and on the server
//! (before accepting). What only the server can know (does the path exist?) is not here.

use crate::enums::{FileCategory, ProcessingType};
use crate::paths::{is_at_or_below, normalize_path};
use crate::types::{AssetStatusRequest, Filter, StartRequest};

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

/// Checks what typed deserialisation would blur in a start request's JSON: the time bounds
/// must be whole, non-negative numbers of epoch milliseconds (a tolerant reader would round
/// 1.5 or read "12"), and file types must be strings. Run before deserialising, so the answer
/// names the field (`filter.startTime must be ...`) instead of quoting serde.
pub fn check_start_json(value: &serde_json::Value) -> Result<(), FieldError> {
    let Some(filter) = value.get("filter") else {
        return Ok(());
    };
    if filter.is_null() {
        return Ok(());
    }
    if !filter.is_object() {
        return Err(FieldError::new("filter", "must be an object"));
    }
    for (name, field) in [
        ("startTime", "filter.startTime"),
        ("endTime", "filter.endTime"),
    ] {
        match filter.get(name) {
            None | Some(serde_json::Value::Null) => {}
            Some(v) => match v.as_i64() {
                Some(ms) if ms >= 0 => {}
                Some(_) => {
                    return Err(FieldError::new(
                        field,
                        "must not be negative (epoch milliseconds)",
                    ))
                }
                None if v.is_u64() => {
                    return Err(FieldError::new(
                        field,
                        "is too large for a time in epoch milliseconds",
                    ))
                }
                None => {
                    return Err(FieldError::new(
                        field,
                        format!("must be a whole number of epoch milliseconds (got {v})"),
                    ))
                }
            },
        }
    }
    match filter.get("fileTypes") {
        None | Some(serde_json::Value::Null) => {}
        Some(serde_json::Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                if !item.is_string() {
                    return Err(FieldError::new(
                        format!("filter.fileTypes[{i}]"),
                        format!("must be a category name such as \"DITATOPIC\" (got {item})"),
                    ));
                }
            }
        }
        Some(_) => {
            return Err(FieldError::new(
                "filter.fileTypes",
                "must be a list of categories",
            ))
        }
    }
    Ok(())
}

/// The known categories, for messages ("DITATOPIC, DITAMAP, ...").
fn known_categories() -> String {
    FileCategory::KNOWN
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// At most this many excluded paths in one start request: every answer about the job (its
/// status, each history entry) carries them, so thousands would make each poll megabytes.
pub const MAX_EXCLUDED_PATHS: usize = 1_000;

/// Checks a start request and returns it in normal form (absolute paths, excluded paths
/// listed once, file-type categories folded to one of each), or the first refused field.
pub fn validate_start_request(request: &StartRequest) -> Result<StartRequest, FieldError> {
    let path = normalize_path(&request.path).map_err(|e| FieldError::new("path", e))?;
    if request.excluded_paths.len() > MAX_EXCLUDED_PATHS {
        return Err(FieldError::new(
            "excludedPaths",
            format!(
                "may list at most {MAX_EXCLUDED_PATHS} paths (got {}); exclude a parent folder instead",
                request.excluded_paths.len()
            ),
        ));
    }

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
            for (i, category) in f.file_types.iter().enumerate() {
                if let FileCategory::Other(name) = category {
                    return Err(FieldError::new(
                        format!("filter.fileTypes[{i}]"),
                        format!(
                            "\"{name}\" is not a file type category (known: {})",
                            known_categories()
                        ),
                    ));
                }
                if !file_types.contains(category) {
                    file_types.push(category.clone());
                }
            }
            for (field, bound) in [
                ("filter.startTime", f.start_time),
                ("filter.endTime", f.end_time),
            ] {
                if bound.is_some_and(|ms| ms < 0) {
                    return Err(FieldError::new(
                        field,
                        "must not be negative (epoch milliseconds)",
                    ));
                }
            }
            if let (Some(start), Some(end)) = (f.start_time, f.end_time) {
                if start > end {
                    return Err(FieldError::new(
                        "filter.endTime",
                        format!("({end}) must not be before filter.startTime ({start})"),
                    ));
                }
            }
            Some(Filter {
                file_types,
                start_time: f.start_time,
                end_time: f.end_time,
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

/// At most this many paths in one per-asset status request.
pub const MAX_STATUS_PATHS: usize = 1_000;

/// Checks a per-asset status request the way a start request is checked (the same path
/// rules, excluded paths at or below one of the paths) and returns the paths and excluded
/// paths in normal form, each listed once.
pub fn validate_asset_status_request(
    request: &AssetStatusRequest,
) -> Result<(Vec<String>, Vec<String>), FieldError> {
    let mut paths: Vec<String> = Vec::new();
    let mut add = |field: String, raw: &str| -> Result<(), FieldError> {
        let normal = normalize_path(raw).map_err(|e| FieldError::new(&field, e))?;
        if !paths.contains(&normal) {
            paths.push(normal);
        }
        Ok(())
    };
    if let Some(path) = &request.path {
        add("path".into(), path)?;
    }
    for (i, raw) in request.paths.iter().enumerate() {
        add(format!("paths[{i}]"), raw)?;
    }
    if paths.is_empty() {
        return Err(FieldError::new(
            "paths",
            "is required: give \"paths\" (a list) or \"path\"",
        ));
    }
    if paths.len() > MAX_STATUS_PATHS {
        return Err(FieldError::new(
            "paths",
            format!(
                "may name at most {MAX_STATUS_PATHS} paths (got {})",
                paths.len()
            ),
        ));
    }
    let mut excluded: Vec<String> = Vec::new();
    for (i, raw) in request.excluded_paths.iter().enumerate() {
        let field = format!("excludedPaths[{i}]");
        let normal = normalize_path(raw).map_err(|e| FieldError::new(&field, e))?;
        if !paths.iter().any(|p| is_at_or_below(&normal, p)) {
            return Err(FieldError::new(
                field,
                format!("({normal}) must be at or below one of the paths"),
            ));
        }
        if !excluded.contains(&normal) {
            excluded.push(normal);
        }
    }
    Ok((paths, excluded))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_a_thousand_excluded_paths() {
        let names: Vec<String> = (0..=MAX_EXCLUDED_PATHS)
            .map(|i| format!("/content/dam/a/x{i}"))
            .collect();
        let refs: Vec<&str> = names.iter().map(|s| s.as_str()).collect();
        let e = validate_start_request(&request("/content/dam/a", &refs)).unwrap_err();
        assert_eq!(e.field, "excludedPaths");
        assert_eq!(
            e.message,
            "excludedPaths may list at most 1000 paths (got 1001); exclude a parent folder instead"
        );
        assert!(
            validate_start_request(&request("/content/dam/a", &refs[..MAX_EXCLUDED_PATHS])).is_ok()
        );
    }

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
    fn categories_are_checked_and_folded() {
        let mut r = request("/content/dam", &[]);
        r.filter = Some(Filter {
            file_types: vec![
                FileCategory::DitaMap,
                FileCategory::DitaTopic,
                FileCategory::DitaMap,
            ],
            filter_processed_assets: true,
            ..Filter::default()
        });
        let ok = validate_start_request(&r).unwrap();
        let filter = ok.filter.unwrap();
        assert_eq!(
            filter.file_types,
            vec![FileCategory::DitaMap, FileCategory::DitaTopic]
        );
        assert!(filter.filter_processed_assets);

        r.filter = Some(Filter {
            file_types: vec![FileCategory::Markdown, FileCategory::Other("dita".into())],
            ..Filter::default()
        });
        let e = validate_start_request(&r).unwrap_err();
        assert_eq!(e.field, "filter.fileTypes[1]");
        assert_eq!(e.top_field(), "filter");
        assert!(
            e.message.contains("\"dita\" is not a file type category"),
            "{}",
            e.message
        );
        assert!(e
            .message
            .contains("DITATOPIC, DITAMAP, MARKDOWN, HTML/CSS, DITAVAL, OTHERS"));
    }

    #[test]
    fn the_time_window_is_checked() {
        let mut r = request("/content/dam", &[]);
        let window = |start, end| Filter {
            start_time: start,
            end_time: end,
            ..Filter::default()
        };
        r.filter = Some(window(Some(1_000), Some(1_000)));
        assert!(
            validate_start_request(&r).is_ok(),
            "a window of one instant is allowed"
        );
        r.filter = Some(window(None, Some(5)));
        assert!(validate_start_request(&r).is_ok());

        r.filter = Some(window(Some(2_000), Some(1_000)));
        let e = validate_start_request(&r).unwrap_err();
        assert_eq!(e.field, "filter.endTime");
        assert_eq!(
            e.message,
            "filter.endTime (1000) must not be before filter.startTime (2000)"
        );

        r.filter = Some(window(Some(-1), None));
        assert_eq!(
            validate_start_request(&r).unwrap_err().field,
            "filter.startTime"
        );
    }

    #[test]
    fn the_json_check_names_the_bad_time_or_type() {
        let check = |json: &str| check_start_json(&serde_json::from_str(json).unwrap());
        assert!(check(r#"{"path":"/content/dam"}"#).is_ok());
        assert!(check(r#"{"filter":null}"#).is_ok());
        assert!(check(
            r#"{"filter":{"startTime":0,"endTime":1764932039000,"fileTypes":["DITAMAP"]}}"#
        )
        .is_ok());
        assert!(check(r#"{"filter":{"startTime":null}}"#).is_ok());

        let e = check(r#"{"filter":{"startTime":1.5}}"#).unwrap_err();
        assert_eq!(e.field, "filter.startTime");
        assert!(e.message.contains("whole number"), "{}", e.message);
        let e = check(r#"{"filter":{"endTime":"1764932039000"}}"#).unwrap_err();
        assert_eq!(e.field, "filter.endTime");
        let e = check(r#"{"filter":{"endTime":-5}}"#).unwrap_err();
        assert_eq!(
            e.message,
            "filter.endTime must not be negative (epoch milliseconds)"
        );
        let e = check(r#"{"filter":{"startTime":18446744073709551615}}"#).unwrap_err();
        assert_eq!(e.field, "filter.startTime");
        let e = check(r#"{"filter":{"fileTypes":["DITAMAP",3]}}"#).unwrap_err();
        assert_eq!(e.field, "filter.fileTypes[1]");
        let e = check(r#"{"filter":{"fileTypes":"DITAMAP"}}"#).unwrap_err();
        assert_eq!(e.field, "filter.fileTypes");
        let e = check(r#"{"filter":[]}"#).unwrap_err();
        assert_eq!(e.field, "filter");
    }

    #[test]
    fn asset_status_requests_are_checked_like_start_requests() {
        let req = |json: &str| -> AssetStatusRequest { serde_json::from_str(json).unwrap() };
        let (paths, excluded) = validate_asset_status_request(&req(
            r#"{"paths":["/content/dam/a","content/dam/b/","/content/dam/a"],"excludedPaths":["content/dam/a/old"]}"#,
        ))
        .unwrap();
        assert_eq!(paths, ["/content/dam/a", "/content/dam/b"]);
        assert_eq!(excluded, ["/content/dam/a/old"]);
        let (paths, _) =
            validate_asset_status_request(&req(r#"{"path":"/content/dam/x.dita"}"#)).unwrap();
        assert_eq!(paths, ["/content/dam/x.dita"]);

        let e = validate_asset_status_request(&req(r#"{}"#)).unwrap_err();
        assert_eq!(e.field, "paths");
        assert!(e.message.contains("give \"paths\""), "{}", e.message);
        let e = validate_asset_status_request(&req(r#"{"paths":["/content/dam/a","/etc"]}"#))
            .unwrap_err();
        assert_eq!(e.field, "paths[1]");
        let e =
            validate_asset_status_request(&req(r#"{"path":"/content/dam/a/../b"}"#)).unwrap_err();
        assert_eq!(e.field, "path");
        let e = validate_asset_status_request(&req(
            r#"{"paths":["/content/dam/a"],"excludedPaths":["/content/dam/b"]}"#,
        ))
        .unwrap_err();
        assert_eq!(e.field, "excludedPaths[0]");
        let many: Vec<String> = (0..=MAX_STATUS_PATHS)
            .map(|i| format!("/content/dam/{i}"))
            .collect();
        let e = validate_asset_status_request(&AssetStatusRequest {
            paths: many,
            ..Default::default()
        })
        .unwrap_err();
        assert!(e.message.contains("at most 1000 paths"), "{}", e.message);
    }

    #[test]
    fn the_filter_round_trips_with_its_window() {
        let json = r#"{"fileTypes":["DITAMAP","DITATOPIC"],"startTime":1758876933000,"endTime":1764932039000,"filterProcessedAssets":false}"#;
        let filter: Filter = serde_json::from_str(json).unwrap();
        assert_eq!(filter.start_time, Some(1_758_876_933_000));
        assert_eq!(serde_json::to_string(&filter).unwrap(), json);
        // Without a window the shape is the seed's: no startTime/endTime keys at all.
        let plain = serde_json::to_string(&Filter::default()).unwrap();
        assert_eq!(plain, r#"{"fileTypes":[],"filterProcessedAssets":false}"#);
    }
}
