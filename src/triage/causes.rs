//! Warnings grouped by what would fix them: an unresolved reference by the file it points at
//! (one missing file explains every reference to it, from however many topics), any other
//! warning by its kind (the message without the asset it names). Gathered line by line as the
//! log is read (`Reasons::add_page`), so the groups stand for exactly the lines read.

use std::collections::{BTreeSet, HashMap};

use super::line::{asset_path, DAM_ROOT};
use crate::text;

/// Lines kept per group to open from the panel; the count covers them all.
pub const KEPT_PER_GROUP: usize = 50;

/// What a warning says is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cause {
    /// A reference to a file that does not exist: its repository path as resolved from the
    /// topic that refers to it.
    MissingFile(String),
    /// Any other warning: the message without the asset it names ("No image dimensions").
    Kind(String),
}

impl Cause {
    /// The cause of a problem line's message (`message` after the level).
    pub fn of(message: &str) -> Cause {
        match missing_file(message) {
            Some(target) => Cause::MissingFile(target),
            None => Cause::Kind(kind_of(message)),
        }
    }

    /// The short name a person reads first: the missing file's name, or the kind.
    pub fn name(&self) -> &str {
        match self {
            Cause::MissingFile(path) => path.rsplit('/').next().unwrap_or(path),
            Cause::Kind(kind) => kind,
        }
    }
}

/// A report row's cause in words, from its reason (a log message): "Missing file
/// /content/dam/x.dita", or the kind; "" when the row has no reason.
pub fn cause_words(reason: &str) -> String {
    if reason.is_empty() {
        return String::new();
    }
    match Cause::of(reason) {
        Cause::MissingFile(path) => text::cause_missing_file(&path),
        Cause::Kind(kind) => kind,
    }
}

/// The report's cell adds the cause only when it says more than the reason's own first
/// words: a missing file, resolved from the topic ("Missing file /content/dam/x.dita").
pub fn missing_file_words(reason: &str) -> Option<String> {
    missing_file(reason).map(|path| text::cause_missing_file(&path))
}

/// One cause with the warnings it stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub cause: Cause,
    /// Warning lines with this cause.
    pub count: u64,
    /// Assets whose lines these are (the topics that refer to a missing file).
    pub assets: BTreeSet<String>,
    /// The first lines (1-based) with the asset each names, up to [`KEPT_PER_GROUP`].
    pub lines: Vec<(u64, String)>,
}

/// The warnings read so far, by cause.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Causes {
    groups: HashMap<Cause, Group>,
}

impl Causes {
    /// Counts the warning at 1-based `line` with `message`, naming `asset` (if any).
    pub fn add(&mut self, line: u64, message: &str, asset: Option<&str>) {
        let cause = Cause::of(message);
        let group = self.groups.entry(cause.clone()).or_insert_with(|| Group {
            cause,
            count: 0,
            assets: BTreeSet::new(),
            lines: Vec::new(),
        });
        group.count += 1;
        if let Some(asset) = asset {
            group.assets.insert(asset.to_string());
        }
        if group.lines.len() < KEPT_PER_GROUP {
            group
                .lines
                .push((line, asset.unwrap_or_default().to_string()));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The groups, missing files first (the fix is plain: make the file or mend the
    /// reference), each part most warnings first, then by name.
    pub fn ranked(&self) -> Vec<&Group> {
        let mut all: Vec<&Group> = self.groups.values().collect();
        all.sort_by(|a, b| {
            let missing = |g: &Group| !matches!(g.cause, Cause::MissingFile(_));
            missing(a)
                .cmp(&missing(b))
                .then(b.count.cmp(&a.count))
                .then(a.cause.cmp(&b.cause))
        });
        all
    }
}

/// `Unresolved <kind> "<value>" in <topic>` (the reference server's words): the file the
/// reference points at, resolved against the topic's folder; None for any other message, or
/// a reference that names no file (same-document, or above the repository's root).
fn missing_file(message: &str) -> Option<String> {
    let rest = message.strip_prefix("Unresolved ")?;
    let open = rest.find('"')?;
    let close = open + 1 + rest[open + 1..].find("\" in ")?;
    let value = rest[open + 1..close].trim();
    let topic = asset_path(&rest[close..])?;
    let file = percent_decoded(value.split('#').next()?);
    if file.is_empty() {
        return None;
    }
    let joined = if file.starts_with('/') {
        file
    } else {
        let dir = topic.rsplit_once('/').map_or("", |(d, _)| d);
        format!("{dir}/{file}")
    };
    asset_processing_api::resolve_dots(&joined)
}

/// `%20` and the like decoded (a reference's value is a URI); text that is not valid
/// percent-encoding is kept as written.
fn percent_decoded(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| value.to_string())
}

/// A warning's kind: its message up to the asset it names (without the linking word before
/// it), or the whole message when it names none (a line about the run as a whole).
fn kind_of(message: &str) -> String {
    let cut = match asset_path(message) {
        // The path is a part of the message: where it starts, not an earlier quoted copy.
        Some(path) => path.as_ptr() as usize - message.as_ptr() as usize,
        // A line about the run as a whole stands for itself.
        None => message.find(DAM_ROOT).unwrap_or(message.len()),
    };
    let head = message[..cut].trim_end();
    let head = [" in", " for", " of", " at", " from", ":"]
        .iter()
        .find_map(|w| head.strip_suffix(w))
        .unwrap_or(head)
        .trim_end();
    if head.is_empty() {
        message.trim().to_string()
    } else {
        head.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_resolved_from_the_topic_that_refers_to_it() {
        assert_eq!(
            Cause::of(
                r#"Unresolved conref "../common/ext%20points.dita#t/e" in /content/dam/docs/ref/a b.dita"#
            ),
            Cause::MissingFile("/content/dam/docs/common/ext points.dita".into())
        );
        assert_eq!(
            Cause::of(r#"Unresolved href "/content/dam/x/y.dita" in /content/dam/docs/a.dita"#),
            Cause::MissingFile("/content/dam/x/y.dita".into())
        );
        let c = Cause::of(r#"Unresolved conref "./x.dita" in /content/dam/d/a.dita"#);
        assert_eq!(c.name(), "x.dita");
        // Above the root: not a file, so a kind of its own.
        assert_eq!(
            Cause::of(r#"Unresolved href "../../../x.dita" in /content/dam/a.dita"#),
            Cause::Kind("Unresolved href \"../../../x.dita\"".into())
        );
    }

    #[test]
    fn other_warnings_group_by_their_words_without_the_asset() {
        assert_eq!(
            Cause::of("No image dimensions for /content/dam/a.png: bad header"),
            Cause::Kind("No image dimensions".into())
        );
        assert_eq!(
            Cause::of("No image dimensions for /content/dam/b c.png: too short"),
            Cause::of("No image dimensions for /content/dam/a.png: bad header"),
        );
        assert_eq!(
            Cause::of("Malformed XML in /content/dam/b.dita: unexpected end"),
            Cause::Kind("Malformed XML".into())
        );
        assert_eq!(
            Cause::of("Cancel requested by admin"),
            Cause::Kind("Cancel requested by admin".into())
        );
        assert_eq!(
            Cause::of("Finished: 6 of 6 asset(s): 5 processed, 1 failed"),
            Cause::Kind("Finished: 6 of 6 asset(s): 5 processed, 1 failed".into())
        );
    }

    #[test]
    fn a_row_s_cause_in_words() {
        assert_eq!(
            cause_words(r#"Unresolved conref "x.dita#a/b" in /content/dam/d/t.dita"#),
            "Missing file /content/dam/d/x.dita"
        );
        assert_eq!(
            cause_words("Malformed XML in /content/dam/b.dita: bad"),
            "Malformed XML"
        );
        assert_eq!(cause_words(""), "");
    }

    #[test]
    fn groups_count_lines_and_topics_missing_files_first_most_first() {
        let mut c = Causes::default();
        let conref = |t: &str| format!(r#"Unresolved conref "gen.dita#a/b" in /content/dam/d/{t}"#);
        for (line, topic) in [(3, "a.dita"), (4, "a.dita"), (9, "b.dita"), (12, "c.dita")] {
            c.add(
                line,
                &conref(topic),
                Some(&format!("/content/dam/d/{topic}")),
            );
        }
        c.add(
            5,
            r#"Unresolved href "other.dita" in /content/dam/d/a.dita"#,
            Some("/content/dam/d/a.dita"),
        );
        for line in 20..26 {
            c.add(
                line,
                "No image dimensions for /content/dam/i.png: bad",
                Some("/content/dam/i.png"),
            );
        }
        let ranked = c.ranked();
        let names: Vec<(&str, u64, usize)> = ranked
            .iter()
            .map(|g| (g.cause.name(), g.count, g.assets.len()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("gen.dita", 4, 3),
                ("other.dita", 1, 1),
                ("No image dimensions", 6, 1)
            ]
        );
        assert_eq!(ranked[0].lines[0], (3, "/content/dam/d/a.dita".to_string()));
        assert_eq!(ranked[0].lines.len(), 4);
    }

    #[test]
    fn only_the_first_lines_of_a_group_are_kept_but_all_are_counted() {
        let mut c = Causes::default();
        for line in 1..=(KEPT_PER_GROUP as u64 + 10) {
            c.add(line, "Odd thing", None);
        }
        let g = c.ranked()[0];
        assert_eq!(
            (g.count, g.lines.len()),
            (KEPT_PER_GROUP as u64 + 10, KEPT_PER_GROUP)
        );
        assert!(g.assets.is_empty());
    }
}
