//! One log line as triage reads it: `<timestamp> <LEVEL> <message>`, where an ERROR or WARN
//! message names the asset's repository path (`... in /content/dam/a b/c.dita: why`).

use crate::log_model::{level_of, Level};

/// Where every asset path starts (the contract's repository root).
pub(super) const DAM_ROOT: &str = "/content/dam/";

/// An ERROR or WARN line: its level, its message (after the level) and the asset it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem<'a> {
    pub level: Level,
    pub message: &'a str,
    /// The repository path the line names, if any (a run-level line names none).
    pub path: Option<&'a str>,
}

/// The problem a line reports, or None for INFO and other lines.
pub fn problem_in(line: &str) -> Option<Problem<'_>> {
    let level = level_of(line);
    if level == Level::Other {
        return None;
    }
    // `level_of` found the level as the second space-separated word.
    let message = line.splitn(3, ' ').nth(2).unwrap_or("").trim();
    Some(Problem {
        level,
        message,
        path: asset_path(message),
    })
}

/// The asset a message names: the first path under `/content/dam/` that is not quoted (a
/// quoted one is the reference's value, e.g. `Unresolved conref "/content/dam/x.dita" in
/// /content/dam/y.dita`). Paths may hold spaces, so the path runs to the end of the message,
/// or to the first ": " (the reason that follows), a quote, or a trailing stop.
pub(super) fn asset_path(message: &str) -> Option<&str> {
    let mut from = 0;
    while let Some(found) = message[from..].find(DAM_ROOT) {
        let start = from + found;
        let quoted = message[..start].ends_with(['"', '\'']);
        if !quoted {
            let tail = &message[start..];
            let end = [": ", "\"", " ("]
                .iter()
                .filter_map(|stop| tail.find(stop))
                .min()
                .unwrap_or(tail.len());
            let path = tail[..end]
                .trim_end()
                .trim_end_matches(['.', ',', ';', ':']);
            if path.len() > DAM_ROOT.len() {
                return Some(path);
            }
        }
        from = start + DAM_ROOT.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_line_names_the_malformed_topic_with_its_reason() {
        let p = problem_in("2026-11-29T13:09:07.569Z ERROR Malformed XML in /content/dam/guides/Bifröst Gateway/de/topics/t 13.dita: unexpected end of input at 4:2").unwrap();
        assert_eq!(p.level, Level::Error);
        assert_eq!(
            p.path,
            Some("/content/dam/guides/Bifröst Gateway/de/topics/t 13.dita")
        );
        assert!(p.message.starts_with("Malformed XML in /content/dam/"));
    }

    #[test]
    fn warn_line_names_the_asset_not_the_quoted_reference() {
        let p = problem_in(
            r#"2026-11-29T13:09:07.569Z WARN Unresolved href "a.dita" in /content/dam/y z.dita"#,
        )
        .unwrap();
        assert_eq!(
            (p.level, p.path),
            (Level::Warn, Some("/content/dam/y z.dita"))
        );
        let p = problem_in(
            r#"t WARN Unresolved conref "/content/dam/x.dita#a/b" in /content/dam/y.dita"#,
        )
        .unwrap();
        assert_eq!(p.path, Some("/content/dam/y.dita"));
    }

    #[test]
    fn run_level_and_info_lines() {
        let p = problem_in("t ERROR Failed: the server stopped").unwrap();
        assert_eq!(
            (p.level, p.path, p.message),
            (Level::Error, None, "Failed: the server stopped")
        );
        assert_eq!(problem_in("t INFO Processed /content/dam/a.dita"), None);
        assert_eq!(problem_in(""), None);
        assert_eq!(
            problem_in("t WARN Skipped /content/dam/"),
            Some(Problem {
                level: Level::Warn,
                message: "Skipped /content/dam/",
                path: None
            })
        );
    }

    #[test]
    fn trailing_stops_are_not_part_of_the_path() {
        assert_eq!(
            problem_in("t WARN No image dimensions for /content/dam/a.png: bad")
                .unwrap()
                .path,
            Some("/content/dam/a.png")
        );
        assert_eq!(
            problem_in("t ERROR Failed /content/dam/a.png (permission denied)")
                .unwrap()
                .path,
            Some("/content/dam/a.png")
        );
        assert_eq!(
            problem_in("t WARNING Odd /content/dam/a.png.")
                .unwrap()
                .path,
            Some("/content/dam/a.png")
        );
    }
}
