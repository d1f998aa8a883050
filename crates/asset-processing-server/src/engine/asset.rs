//! Handling one asset: media type, size, SHA-256; for DITA and XML, title, id and every
//! reference (each one that does not resolve is reported); for images, pixel dimensions.
//! Pure file work: no database, no HTTP.

use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use quick_xml::events::Event;
use sha2::{Digest, Sha256};

use crate::repository::{extension, percent_decode, DirCache, Repository};
use crate::store::assets::{AssetResult, Outcome, Reference};
use crate::store::logs::Level;

/// Assets larger than this are hashed in a stream and not parsed.
const READ_WHOLE_LIMIT: u64 = 64 * 1024 * 1024;

/// What handling one asset produced: its outcome, its result row and its log events.
pub struct Handled {
    pub outcome: Outcome,
    pub result: AssetResult,
    pub events: Vec<(Level, String)>,
}

/// Whether referenced repository paths exist, remembered for one run: a set of topics
/// points at the same few shared files and images again and again.
#[derive(Default)]
pub struct RefCache {
    /// foldhash, not std's SipHash: a run looks up every reference of every document here
    /// (131,000 in the bench's 20,000 assets).
    refs: HashMap<String, bool, foldhash::fast::RandomState>,
    /// Real paths of the folders seen (see `Repository::resolve_with`).
    dirs: DirCache,
}

impl RefCache {
    pub fn new() -> RefCache {
        RefCache::default()
    }
}

/// The assets a first run has just listed by walking its folder: a reference to one of them
/// resolves without another look at the disk (the list is what the walk found a moment ago,
/// links followed and checked; anything else is looked up).
pub type Listed<'a> = std::collections::HashSet<&'a str, foldhash::fast::RandomState>;

/// The file on disk (checked to be inside the repository) and the facts needed before
/// deciding to process it (for `filterProcessedAssets`).
pub fn stat(
    repo: &Repository,
    repo_path: &str,
    cache: &mut RefCache,
) -> Result<(PathBuf, u64, i64), String> {
    let (path, meta) = repo
        .resolve_with(repo_path, &mut cache.dirs)
        .map_err(|e| e.to_string())?;
    let modified_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0);
    Ok((path, meta.len(), modified_ns))
}

pub fn media_type(ext: &str) -> &'static str {
    match ext {
        "dita" | "ditamap" => "application/dita+xml",
        "xml" => "application/xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "tif" | "tiff" => "image/tiff",
        "bmp" => "image/bmp",
        "txt" => "text/plain",
        "html" | "htm" => "text/html",
        "pdf" => "application/pdf",
        "json" => "application/json",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

fn is_xml(ext: &str) -> bool {
    matches!(ext, "dita" | "ditamap" | "xml")
}

fn is_image(ext: &str) -> bool {
    matches!(
        ext,
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "tif" | "tiff" | "bmp"
    )
}

/// Processes one asset. Never panics on bad content: a file that cannot be read or parsed
/// is a failed asset with an ERROR event, and the job goes on.
pub fn process(
    repo: &Repository,
    repo_path: &str,
    path: &Path,
    size: u64,
    modified_ns: i64,
    known: &mut RefCache,
    listed: Option<&Listed<'_>>,
) -> Handled {
    let ext = extension(repo_path);
    let mut result = AssetResult {
        path: repo_path.to_string(),
        media_type: media_type(&ext).to_string(),
        size,
        modified_ns,
        ..AssetResult::default()
    };
    if size > READ_WHOLE_LIMIT {
        return match hash_stream(path) {
            Ok(h) => {
                result.sha256 = h;
                let message = format!(
                    "Processed {repo_path} ({}, {} bytes; too large to parse)",
                    result.media_type,
                    group(size)
                );
                processed(result, vec![(Level::Info, message)])
            }
            Err(e) => failed(
                result,
                format!("Failed {repo_path}: could not read it ({e})"),
            ),
        };
    }
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return failed(
                result,
                format!("Failed {repo_path}: could not read it ({e})"),
            )
        }
    };
    result.size = bytes.len() as u64;
    result.sha256 = hex(&Sha256::digest(&bytes));

    let mut events = Vec::new();
    let detail = if is_xml(&ext) {
        match read_xml(
            repo,
            repo_path,
            &bytes,
            &mut result,
            &mut events,
            known,
            listed,
        ) {
            Ok(detail) => detail,
            Err(e) => return failed(result, format!("Malformed XML in {repo_path}: {e}")),
        }
    } else if is_image(&ext) {
        read_image(repo_path, &bytes, &mut result, &mut events)
    } else {
        String::new()
    };
    let unresolved = result
        .refs
        .iter()
        .filter(|r| r.resolved == Some(false))
        .count();
    if unresolved > 0 {
        result.message = format!("{unresolved} unresolved reference(s)");
    }
    let message = format!(
        "Processed {repo_path} ({}, {} bytes{detail})",
        result.media_type,
        group(result.size)
    );
    events.insert(0, (Level::Info, message));
    processed(result, events)
}

fn processed(result: AssetResult, events: Vec<(Level, String)>) -> Handled {
    Handled {
        outcome: Outcome::Processed,
        result,
        events,
    }
}

fn failed(mut result: AssetResult, message: String) -> Handled {
    result.message = message.clone();
    Handled {
        outcome: Outcome::Failed,
        result,
        events: vec![(Level::Error, message)],
    }
}

/// A DITA or XML asset's title, id and references (each checked; a WARN event for each that
/// does not resolve), into `result`. The detail its "Processed" line gets, or why it is not
/// well-formed.
fn read_xml(
    repo: &Repository,
    repo_path: &str,
    bytes: &[u8],
    result: &mut AssetResult,
    events: &mut Vec<(Level, String)>,
    known: &mut RefCache,
    listed: Option<&Listed<'_>>,
) -> Result<String, String> {
    let doc = parse_xml(bytes)?;
    result.refs.reserve(doc.refs.len());
    for r in doc.refs {
        let resolved = resolve_reference(repo, repo_path, &r, known, listed);
        if resolved == Some(false) {
            events.push((
                Level::Warn,
                format!("Unresolved {} \"{}\" in {repo_path}", r.kind, r.value),
            ));
        }
        result.refs.push(Reference { resolved, ..r });
    }
    let detail = match &doc.title {
        Some(t) => format!(", title \"{t}\""),
        None => String::new(),
    };
    result.title = doc.title;
    result.dita_id = doc.id;
    Ok(detail)
}

/// An image's pixel dimensions, into `result`; a WARN event when they cannot be read (the
/// asset is still processed). The detail its "Processed" line gets.
fn read_image(
    repo_path: &str,
    bytes: &[u8],
    result: &mut AssetResult,
    events: &mut Vec<(Level, String)>,
) -> String {
    match imagesize::blob_size(bytes) {
        Ok(dim) => {
            result.width = Some(dim.width as u32);
            result.height = Some(dim.height as u32);
            format!(", {} × {} px", dim.width, dim.height)
        }
        Err(e) => {
            events.push((
                Level::Warn,
                format!("No image dimensions for {repo_path}: {e}"),
            ));
            String::new()
        }
    }
}

fn hash_stream(path: &std::path::Path) -> std::io::Result<String> {
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// 1234567 → "1,234,567".
pub use asset_processing_api::grouped as group;

/// What a DITA or XML document says about itself.
#[derive(Debug, Default, PartialEq)]
pub struct XmlDoc {
    pub id: Option<String>,
    pub title: Option<String>,
    pub refs: Vec<Reference>,
}

/// Parses a whole document: the root's `id`, the first `<title>`'s text, and every `href`,
/// `conref`, `conkeyref` and `keyref` (on any element, `mapref` and `topicref` included).
pub fn parse_xml(bytes: &[u8]) -> Result<XmlDoc, String> {
    // Events are read in place from the bytes (no copy of each into a buffer).
    let mut reader = quick_xml::Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut doc = XmlDoc::default();
    // The open elements' names, one after the other in one buffer (where each ends in
    // `ends`): no allocation per element.
    let mut names: Vec<u8> = Vec::new();
    let mut ends: Vec<usize> = Vec::new();
    let mut title: Option<String> = None;
    let mut in_title = 0usize; // depth of the first <title> while inside it
    let mut title_done = false;
    // This element's references: attributes come in any order, `scope` among them.
    let mut found = Vec::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("{e} (at byte {})", reader.error_position()))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_empty = matches!(event, Event::Empty(_));
                let mut external = false;
                for attr in e.attributes() {
                    let attr = attr.map_err(|e| format!("bad attribute: {e}"))?;
                    let key = attr.key.as_ref();
                    // Every value is checked; only the ones kept are copied.
                    let value = attr
                        .unescape_value()
                        .map_err(|e| format!("bad attribute value: {e}"))?;
                    match key {
                        b"id" if ends.is_empty() => doc.id = Some(value.into_owned()),
                        b"scope" if value == "external" => external = true,
                        b"href" | b"conref" | b"conkeyref" | b"keyref" => found.push(Reference {
                            kind: String::from_utf8_lossy(key).into(),
                            value: value.into_owned(),
                            resolved: None,
                        }),
                        _ => {}
                    }
                }
                for mut r in found.drain(..) {
                    if external {
                        r.kind = format!("{} (external)", r.kind);
                    }
                    doc.refs.push(r);
                }
                if !is_empty {
                    let name = e.name();
                    if name.as_ref() == b"title" && !title_done && in_title == 0 {
                        in_title = ends.len() + 1;
                        title = Some(String::new());
                    }
                    names.extend_from_slice(name.as_ref());
                    ends.push(names.len());
                }
            }
            Event::End(_) => {
                if in_title == ends.len() && in_title > 0 {
                    in_title = 0;
                    title_done = true;
                }
                ends.pop();
                names.truncate(ends.last().copied().unwrap_or(0));
            }
            Event::Text(ref t) if in_title > 0 => {
                if let Some(s) = title.as_mut() {
                    s.push_str(&t.decode().map_err(|e| e.to_string())?);
                }
            }
            Event::CData(ref t) if in_title > 0 => {
                if let Some(s) = title.as_mut() {
                    s.push_str(&String::from_utf8_lossy(t));
                }
            }
            Event::GeneralRef(ref r) if in_title > 0 => {
                let text = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c.to_string(),
                    None => match r.decode().map_err(|e| e.to_string())?.as_ref() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => format!("&{other};"),
                    },
                };
                if let Some(s) = title.as_mut() {
                    s.push_str(&text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(&end) = ends.last() {
        let start = ends.len().checked_sub(2).map_or(0, |i| ends[i]);
        return Err(format!(
            "the document ends while <{}> is still open ({} element(s) not closed)",
            String::from_utf8_lossy(&names[start..end]),
            ends.len()
        ));
    }
    if doc.id.is_none()
        && title.is_none()
        && doc.refs.is_empty()
        && bytes.iter().all(|b| b.is_ascii_whitespace())
    {
        return Err("the document is empty".into());
    }
    doc.title = title
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty());
    Ok(doc)
}

/// Whether a reference leads to an asset of the repository: Some(true/false) for file
/// references, None for what cannot be checked here (keys, external and absolute URLs).
fn resolve_reference(
    repo: &Repository,
    from: &str,
    r: &Reference,
    known: &mut RefCache,
    listed: Option<&Listed<'_>>,
) -> Option<bool> {
    if r.kind.ends_with("(external)") || r.kind == "keyref" || r.kind == "conkeyref" {
        return None;
    }
    let value = r.value.trim();
    if value.contains("://") || value.starts_with("mailto:") {
        return None;
    }
    let file = value.split('#').next().unwrap_or("");
    if file.is_empty() {
        return Some(true); // a reference within the same document
    }
    // Most references have nothing to decode: no copy for them.
    let decoded = match file.contains('%') {
        true => std::borrow::Cow::Owned(percent_decode(file)?),
        false => std::borrow::Cow::Borrowed(file),
    };
    let target = if decoded.starts_with('/') {
        decoded.into_owned()
    } else {
        let dir = from.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        format!("{dir}/{decoded}")
    };
    let Some(target) = asset_processing_api::resolve_dots(&target) else {
        return Some(false);
    };
    if listed.is_some_and(|l| l.contains(target.as_str())) {
        return Some(true);
    }
    if let Some(&exists) = known.refs.get(&target) {
        return Some(exists);
    }
    let exists = repo.resolve_with(&target, &mut known.dirs).is_ok();
    known.refs.insert(target, exists);
    Some(exists)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_title_id_and_references() {
        let doc = parse_xml(
            br#"<?xml version="1.0"?><!DOCTYPE task PUBLIC "x" "task.dtd">
            <task id="t1"><title>Install &amp; run <ph>it</ph></title>
            <taskbody><note conref="../reuse/w.dita#w/backup"/><xref href="other.dita"/>
            <keyword keyref="product"/><xref href="https://example.com" scope="external"/>
            <title>second</title></taskbody></task>"#,
        )
        .unwrap();
        assert_eq!(doc.id.as_deref(), Some("t1"));
        assert_eq!(doc.title.as_deref(), Some("Install & run it"));
        let kinds: Vec<&str> = doc.refs.iter().map(|r| r.kind.as_str()).collect();
        assert_eq!(kinds, vec!["conref", "href", "keyref", "href (external)"]);
        // `scope` before or after the reference; an element's references stay its own.
        let doc = parse_xml(
            br#"<map><topicref scope="external" href="https://a.example"/><topicref href="b.dita"/></map>"#,
        )
        .unwrap();
        let kinds: Vec<&str> = doc.refs.iter().map(|r| r.kind.as_str()).collect();
        assert_eq!(kinds, vec!["href (external)", "href"]);
        assert_eq!(doc.refs[1].value, "b.dita");
    }

    #[test]
    fn malformed_documents_are_errors_not_panics() {
        assert!(parse_xml(b"<topic><p>never closed</topic>").is_err());
        let e = parse_xml(b"<topic><body>").unwrap_err();
        assert!(e.contains("still open"), "{e}");
        // The innermost open element is named, and how many are open.
        let e = parse_xml(b"<topic><body><p>x</p><section>").unwrap_err();
        assert!(e.contains("<section> is still open (3 element(s)"), "{e}");
        let e = parse_xml(b"<t><title>x</title><b>").unwrap_err();
        assert!(e.contains("<b> is still open (2 element(s)"), "{e}");
        // A bad value is an error in any attribute, not only in the ones kept.
        assert!(parse_xml(b"<topic><p class='a &nope; b'>x</p></topic>").is_err());
        assert!(parse_xml(b"").is_err());
        assert!(parse_xml(b"<a x='1' x='2'/>").is_err());
    }

    #[test]
    fn references_resolve_by_the_runs_list_or_the_disk() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("guide/shared")).unwrap();
        std::fs::write(dir.path().join("guide/shared/on-disk.dita"), "<topic/>").unwrap();
        let repo = Repository::open(dir.path()).unwrap();
        let href = |value: &str| Reference {
            kind: "href".into(),
            value: value.into(),
            resolved: None,
        };
        let from = "/content/dam/guide/intro.dita";
        let listed: Listed = ["/content/dam/guide/listed.dita"].into_iter().collect();
        let mut known = RefCache::new();
        let mut check = |value: &str, listed: Option<&Listed>| {
            resolve_reference(&repo, from, &href(value), &mut known, listed)
        };
        // In the run's list: no look at the disk (this one is not even on it).
        assert_eq!(check("listed.dita#t/p", Some(&listed)), Some(true));
        // Not listed (a resumed run, or outside the job's folder): the disk decides.
        assert_eq!(check("listed.dita", None), Some(false));
        assert_eq!(check("shared/on-disk.dita", Some(&listed)), Some(true));
        assert_eq!(
            check("./shared/../shared/missing.dita", Some(&listed)),
            Some(false)
        );
        assert_eq!(check("https://example.com/x.dita", Some(&listed)), None);
    }

    #[test]
    fn paths_and_numbers() {
        assert_eq!(
            asset_processing_api::resolve_dots("/content/dam/a/b/../c.dita").as_deref(),
            Some("/content/dam/a/c.dita")
        );
        assert_eq!(asset_processing_api::resolve_dots("/../x"), None);
        assert_eq!(
            percent_decode("Getting%20started.dita").as_deref(),
            Some("Getting started.dita")
        );
        assert_eq!(group(0), "0");
        assert_eq!(group(1_234_567), "1,234,567");
        assert_eq!(hex(&[0, 255, 16]), "00ff10");
    }
}
