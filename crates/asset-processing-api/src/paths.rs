//! Repository paths: the one normal form both sides compare and store.
//!
//! Normal form: absolute, `/`-separated, no trailing slash, no empty, `.` or `..` segments,
//! at or below `/content/dam`. The seed writes excluded paths without their leading slash
//! (`content/dam/x`); that is accepted and normalised.

/// The root of the asset repository.
pub const DAM_ROOT: &str = "/content/dam";

/// Why a path was refused. `Display` is a sentence for a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathError {
    Empty,
    /// `a//b`
    EmptySegment,
    /// `.` or `..`, also percent-encoded.
    DotSegment,
    /// NUL, control characters or a backslash.
    ForbiddenCharacter,
    /// Not at or below `/content/dam`.
    OutsideDam,
}

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PathError::Empty => "is empty",
            PathError::EmptySegment => "has an empty segment (\"//\")",
            PathError::DotSegment => "must not contain \".\" or \"..\" segments",
            PathError::ForbiddenCharacter => {
                "contains a character that is not allowed (a backslash or a control character)"
            }
            PathError::OutsideDam => "must be /content/dam or a path below it",
        })
    }
}

impl std::error::Error for PathError {}

/// Resolves `.` and `..` in an absolute path (a reference from one asset to another, as
/// written in the asset); None when it climbs above the root. It checks nothing else.
pub fn resolve_dots(path: &str) -> Option<String> {
    // Built in place, one allocation: a run resolves every reference of every document.
    let mut out = String::with_capacity(path.len() + 1);
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                let parent = out.rfind('/')?;
                out.truncate(parent);
            }
            s => {
                out.push('/');
                out.push_str(s);
            }
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// Brings a path typed by a person or sent by a client to the normal form, or says why not.
pub fn normalize_path(input: &str) -> Result<String, PathError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(PathError::Empty);
    }
    if trimmed.chars().any(|c| c == '\\' || c.is_control()) {
        return Err(PathError::ForbiddenCharacter);
    }
    let body = trimmed.strip_prefix('/').unwrap_or(trimmed);
    // One trailing slash is a habit ("/content/dam/docs/"), not an empty segment.
    let body = body.strip_suffix('/').unwrap_or(body);
    if body.is_empty() {
        return Err(PathError::OutsideDam);
    }
    let mut normal = String::with_capacity(body.len() + 1);
    for segment in body.split('/') {
        if segment.is_empty() {
            return Err(PathError::EmptySegment);
        }
        if is_dot_segment(segment) {
            return Err(PathError::DotSegment);
        }
        normal.push('/');
        normal.push_str(segment);
    }
    if !is_at_or_below(&normal, DAM_ROOT) {
        return Err(PathError::OutsideDam);
    }
    Ok(normal)
}

/// `.` and `..`, including their percent-encoded spellings (`%2e%2E`, `.%2e`).
fn is_dot_segment(segment: &str) -> bool {
    // A dot is 1 or 3 characters, so a dot segment is at most 6 long and starts with one:
    // most segments are ruled out without the copies below (every path of a job's assets,
    // and every reference in them, comes through here).
    if segment.len() > 6 || !(segment.starts_with('.') || segment.starts_with('%')) {
        return false;
    }
    let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
    decoded == "." || decoded == ".."
}

/// True when `path` is `ancestor` or lies below it (whole segments: `/a/bc` is not below
/// `/a/b`). Both must be in normal form.
pub fn is_at_or_below(path: &str, ancestor: &str) -> bool {
    path == ancestor
        || (path.len() > ancestor.len()
            && path.starts_with(ancestor)
            && path.as_bytes()[ancestor.len()] == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_segments_resolve_and_never_climb_above_the_root() {
        let cases = [
            ("/content/dam/a/b/../c.dita", Some("/content/dam/a/c.dita")),
            ("/content/dam/a/b/../../c", Some("/content/dam/c")),
            ("/content/dam/./a//b/./c/", Some("/content/dam/a/b/c")),
            ("content/dam/x", Some("/content/dam/x")),
            ("/a/..", Some("/")),
            ("/", Some("/")),
            ("", Some("/")),
            ("/../x", None),
            ("/a/../../x", None),
            ("/a/b/../../..", None),
        ];
        for (path, resolved) in cases {
            assert_eq!(resolve_dots(path).as_deref(), resolved, "{path:?}");
        }
    }

    #[test]
    fn accepts_and_normalises() {
        assert_eq!(normalize_path("/content/dam").unwrap(), "/content/dam");
        assert_eq!(
            normalize_path("/content/dam/docs/").unwrap(),
            "/content/dam/docs"
        );
        assert_eq!(
            normalize_path(" content/dam/a b/ü ").unwrap(),
            "/content/dam/a b/ü"
        );
    }

    #[test]
    fn refuses_what_the_contract_refuses() {
        assert_eq!(normalize_path(""), Err(PathError::Empty));
        assert_eq!(normalize_path("   "), Err(PathError::Empty));
        assert_eq!(normalize_path("/"), Err(PathError::OutsideDam));
        assert_eq!(normalize_path("/content"), Err(PathError::OutsideDam));
        assert_eq!(
            normalize_path("/content/damage"),
            Err(PathError::OutsideDam)
        );
        assert_eq!(normalize_path("/etc/passwd"), Err(PathError::OutsideDam));
        assert_eq!(
            normalize_path("/content/dam//x"),
            Err(PathError::EmptySegment)
        );
        assert_eq!(
            normalize_path("/content/dam/../../etc"),
            Err(PathError::DotSegment)
        );
        assert_eq!(
            normalize_path("/content/dam/./x"),
            Err(PathError::DotSegment)
        );
        assert_eq!(
            normalize_path("/content/dam/%2e%2E/x"),
            Err(PathError::DotSegment)
        );
        assert_eq!(
            normalize_path("/content/dam/.%2e"),
            Err(PathError::DotSegment)
        );
        assert_eq!(
            normalize_path("/content/dam\\x"),
            Err(PathError::ForbiddenCharacter)
        );
        assert_eq!(
            normalize_path("/content/dam/a\0b"),
            Err(PathError::ForbiddenCharacter)
        );
    }

    #[test]
    fn dotted_names_are_not_dot_segments() {
        assert!(normalize_path("/content/dam/.hidden").is_ok());
        assert!(normalize_path("/content/dam/a..b").is_ok());
        assert!(normalize_path("/content/dam/...").is_ok());
    }

    #[test]
    fn below_means_whole_segments() {
        assert!(is_at_or_below("/content/dam/a", "/content/dam/a"));
        assert!(is_at_or_below("/content/dam/a/b", "/content/dam/a"));
        assert!(!is_at_or_below("/content/dam/ab", "/content/dam/a"));
        assert!(!is_at_or_below("/content/dam", "/content/dam/a"));
    }

    #[test]
    fn errors_read_as_sentences() {
        assert_eq!(
            PathError::OutsideDam.to_string(),
            "must be /content/dam or a path below it"
        );
    }
}
