//! The per-asset status answer read as it arrives: a look-up of a million assets answers a
//! document of about 150 MB, which the console never holds whole (as text, then as a parsed
//! tree). `AssetStream` takes the body's bytes in chunks of any size, cut anywhere, and turns
//! the top-level object's `assets` array into `AssetState`s one element at a time (each parsed
//! with the wire type's own serde reading); the document's other members (`jobId`, `status`,
//! any the console does not know) are small and kept until the end. The members may come in
//! any order, `assets` may be `null` or missing, as the contract's reading of the answer
//! allows (`AssetStatusReport` in the api crate).

use asset_processing_api::{AssetOutcome, AssetState, AssetStatusReport};

/// Where the reader is in the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum At {
    /// Before the top-level `{`.
    Start,
    /// In the top-level object, before a member's name (or its end).
    Members,
    /// In the `assets` array, before an element (or its end).
    Assets,
    /// After the top-level `}`.
    End,
}

/// A per-asset status answer parsed as its bytes arrive. The assets' `uuid`s are read and
/// not kept: the console shows and acts on paths, and a million uuids would be about 60 MB
/// of the tab's memory and a million allocations.
#[derive(Debug)]
pub struct AssetStream {
    at: At,
    /// Bytes received and not yet consumed (at most one member or element, plus a chunk).
    buf: Vec<u8>,
    /// The assets parsed so far, in the answer's order.
    assets: Vec<AssetState>,
    /// The other members, as JSON values, for the wire type to read at the end.
    head: serde_json::Map<String, serde_json::Value>,
    /// Bytes received in all.
    received: u64,
}

impl Default for AssetStream {
    fn default() -> Self {
        AssetStream::new()
    }
}

/// What went wrong with the document (the caller turns it into its error type).
pub type StreamError = String;

impl AssetStream {
    pub fn new() -> AssetStream {
        AssetStream {
            at: At::Start,
            buf: Vec::new(),
            assets: Vec::new(),
            head: serde_json::Map::new(),
            received: 0,
        }
    }

    /// Assets parsed so far.
    pub fn parsed(&self) -> usize {
        self.assets.len()
    }

    /// Bytes received so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Takes the next chunk of the body and parses every member and element it completes.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), StreamError> {
        self.received += chunk.len() as u64;
        self.buf.extend_from_slice(chunk);
        let used = self.consume()?;
        self.buf.drain(..used);
        Ok(())
    }

    /// The whole answer, once the body has ended.
    pub fn finish(mut self) -> Result<AssetStatusReport, StreamError> {
        if self.at != At::End {
            // A number at the very end is complete only now; anything else is cut short.
            return Err(format!(
                "invalid JSON: the answer ended early ({} bytes read)",
                self.received
            ));
        }
        if self.buf.iter().any(|b| !b.is_ascii_whitespace()) {
            return Err("invalid JSON: trailing characters after the answer".into());
        }
        let mut report: AssetStatusReport =
            serde_json::from_value(serde_json::Value::Object(std::mem::take(&mut self.head)))
                .map_err(|e| format!("unexpected JSON content: {e}"))?;
        report.assets = self.assets;
        Ok(report)
    }

    /// Parses what `buf` holds from its start; returns how many bytes were used.
    fn consume(&mut self) -> Result<usize, StreamError> {
        let buf = std::mem::take(&mut self.buf);
        let result = self.consume_in(&buf);
        self.buf = buf;
        result
    }

    fn consume_in(&mut self, b: &[u8]) -> Result<usize, StreamError> {
        let mut i = 0;
        loop {
            i = skip_ws(b, i);
            let Some(&c) = b.get(i) else {
                return Ok(i);
            };
            match self.at {
                At::Start => {
                    if c != b'{' {
                        return Err(unexpected(c, "the answer's opening {"));
                    }
                    self.at = At::Members;
                    i += 1;
                }
                At::Members => match c {
                    b'}' => {
                        self.at = At::End;
                        i += 1;
                    }
                    b',' => i += 1,
                    b'"' => {
                        // A name, its colon, and (unless it is `assets`) its whole value.
                        let Some(name_end) = string_end(b, i)? else {
                            return Ok(i);
                        };
                        let name: String = serde_json::from_slice(&b[i..name_end])
                            .map_err(|e| format!("invalid JSON: {e}"))?;
                        let colon = skip_ws(b, name_end);
                        match b.get(colon) {
                            None => return Ok(i),
                            Some(b':') => {}
                            Some(&c) => return Err(unexpected(c, "a colon")),
                        }
                        let value = skip_ws(b, colon + 1);
                        let Some(&v) = b.get(value) else {
                            return Ok(i);
                        };
                        if name == "assets" && v == b'[' {
                            self.at = At::Assets;
                            i = value + 1;
                            continue;
                        }
                        let Some(end) = value_end(b, value)? else {
                            return Ok(i);
                        };
                        let parsed: serde_json::Value = serde_json::from_slice(&b[value..end])
                            .map_err(|e| format!("invalid JSON: {e}"))?;
                        // A later member of the same name wins, as serde_json reads it.
                        self.head.insert(name, parsed);
                        i = end;
                    }
                    c => return Err(unexpected(c, "a member's name")),
                },
                At::Assets => match c {
                    b']' => {
                        self.at = At::Members;
                        i += 1;
                    }
                    b',' => i += 1,
                    _ => {
                        // Most answers are read by the quick reader; anything it does not
                        // take is read by serde, which also says what is wrong.
                        match quick_asset(b, i) {
                            Quick::Read(asset, end) => {
                                self.assets.push(asset);
                                i = end;
                                continue;
                            }
                            Quick::More => return Ok(i),
                            Quick::Serde => {}
                        }
                        let Some(end) = value_end(b, i)? else {
                            return Ok(i);
                        };
                        let mut asset: AssetState =
                            serde_json::from_slice(&b[i..end]).map_err(|e| {
                                format!(
                                    "unexpected JSON content: asset {}: {e}",
                                    self.assets.len() + 1
                                )
                            })?;
                        asset.uuid = String::new(); // not kept (see `AssetStream`)
                        self.assets.push(asset);
                        i = end;
                    }
                },
                At::End => return Ok(i),
            }
        }
    }
}

/// What the quick reader made of an element.
#[derive(Debug, PartialEq)]
enum Quick {
    /// The element, and where it ends (exclusive).
    Read(AssetState, usize),
    /// It is not all there yet.
    More,
    /// Not the common form: serde reads it (and says what is wrong, if anything is).
    Serde,
}

/// Reads the common form of an asset without serde: an object whose members are among
/// `path`, `uuid`, `status` (strings without escapes, or `null`) and `exists` (`true`,
/// `false` or `null`), each at most once, in any order, white space anywhere JSON allows.
/// That is what AEM and the reference server send; it is read about three times faster
/// than serde's derived reader, which takes anything else (escapes, unknown members, a
/// repeated member, a wrong type) and so keeps its exact reading and errors.
fn quick_asset(b: &[u8], i: usize) -> Quick {
    const PATH: u8 = 1;
    const UUID: u8 = 2;
    const STATUS: u8 = 4;
    const EXISTS: u8 = 8;
    if b[i] != b'{' {
        return Quick::Serde;
    }
    let mut asset = AssetState::default();
    let mut seen = 0u8;
    let mut j = skip_ws(b, i + 1);
    match b.get(j) {
        None => return Quick::More,
        Some(b'}') => return Quick::Read(asset, j + 1),
        _ => {}
    }
    loop {
        let (name, after) = match plain_string(b, j) {
            Plain::Str(s, end) => (s, end),
            Plain::More => return Quick::More,
            Plain::Other => return Quick::Serde,
        };
        j = skip_ws(b, after);
        match b.get(j) {
            None => return Quick::More,
            Some(b':') => j = skip_ws(b, j + 1),
            Some(_) => return Quick::Serde,
        }
        let Some(&v) = b.get(j) else {
            return Quick::More;
        };
        let member = match name {
            "path" => PATH,
            "uuid" => UUID,
            "status" => STATUS,
            "exists" => EXISTS,
            _ => return Quick::Serde,
        };
        if seen & member != 0 {
            return Quick::Serde;
        }
        seen |= member;
        if v == b'n' || v == b't' || v == b'f' {
            let (word, value): (&[u8], Option<bool>) = match v {
                b'n' => (b"null", None),
                b't' => (b"true", Some(true)),
                _ => (b"false", Some(false)),
            };
            let have = &b[j..b.len().min(j + word.len())];
            if have != &word[..have.len()] {
                return Quick::Serde;
            }
            if have.len() < word.len() {
                return Quick::More;
            }
            match (member, value) {
                (EXISTS, Some(x)) => asset.exists = x,
                (_, None) => {} // null: the default, as a missing member
                _ => return Quick::Serde,
            }
            j += word.len();
        } else if v == b'"' && member != EXISTS {
            let (text, end) = match plain_string(b, j) {
                Plain::Str(s, end) => (s, end),
                Plain::More => return Quick::More,
                Plain::Other => return Quick::Serde,
            };
            match member {
                PATH => asset.path = text.to_string(),
                UUID => {} // not kept (see `AssetStream`)
                _ => asset.status = AssetOutcome::from_wire(text),
            }
            j = end;
        } else {
            return Quick::Serde;
        }
        j = skip_ws(b, j);
        match b.get(j) {
            None => return Quick::More,
            Some(b',') => j = skip_ws(b, j + 1),
            Some(b'}') => return Quick::Read(asset, j + 1),
            Some(_) => return Quick::Serde,
        }
        if j >= b.len() {
            return Quick::More;
        }
    }
}

/// A string without escapes or control characters, read in place.
enum Plain<'a> {
    /// Its text and where it ends (after the closing quote).
    Str(&'a str, usize),
    More,
    /// Not a string, or one that needs serde (escapes, a control character, bad UTF-8).
    Other,
}

fn plain_string(b: &[u8], i: usize) -> Plain<'_> {
    if b.get(i) != Some(&b'"') {
        return Plain::Other;
    }
    let start = i + 1;
    for (k, &c) in b[start..].iter().enumerate() {
        match c {
            b'"' => {
                return match std::str::from_utf8(&b[start..start + k]) {
                    Ok(s) => Plain::Str(s, start + k + 1),
                    Err(_) => Plain::Other,
                }
            }
            b'\\' | 0..=0x1f => return Plain::Other,
            _ => {}
        }
    }
    Plain::More
}

fn unexpected(c: u8, wanted: &str) -> StreamError {
    format!(
        "invalid JSON: {:?} where {wanted} was expected",
        char::from(c)
    )
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
        i += 1;
    }
    i
}

/// The end (exclusive) of the string starting at `b[i] == '"'`, or None when not all there.
fn string_end(b: &[u8], i: usize) -> Result<Option<usize>, StreamError> {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => return Ok(Some(j + 1)),
            _ => j += 1,
        }
    }
    Ok(None)
}

/// The end (exclusive) of the JSON value starting at `b[i]`, or None when not all there yet.
/// Only the structure is followed here (strings, nesting); serde reads the value itself.
fn value_end(b: &[u8], i: usize) -> Result<Option<usize>, StreamError> {
    match b[i] {
        b'"' => string_end(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => match string_end(b, j)? {
                        Some(e) => {
                            j = e;
                            continue;
                        }
                        None => return Ok(None),
                    },
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Ok(Some(j + 1));
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            Ok(None)
        }
        // A number or a literal: it ends where a delimiter comes (if none has come yet, more
        // of it may be on its way).
        c if c == b'-' || c.is_ascii_alphanumeric() => {
            let end = b[i..]
                .iter()
                .position(|c| matches!(c, b',' | b'}' | b']') || c.is_ascii_whitespace());
            Ok(end.map(|n| i + n))
        }
        c => Err(unexpected(c, "a value")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use asset_processing_api::{AssetOutcome, Status};

    fn answer(n: usize) -> String {
        let assets: Vec<String> = (0..n)
            .map(|k| {
                format!(
                    r#"{{"path":"/content/dam/d/f{k}.dita","uuid":"u-{k}","status":"{}","exists":true}}"#,
                    if k % 7 == 0 { "FAILURE" } else { "SUCCESS" }
                )
            })
            .collect();
        format!(
            r#"{{"jobId":"j-1","status":"SUCCESS","assets":[{}]}}"#,
            assets.join(",")
        )
    }

    /// The stream's reading of a document serde read whole: the uuids are not kept.
    fn without_uuids(report: &mut AssetStatusReport) {
        report.assets.iter_mut().for_each(|a| a.uuid.clear());
    }

    fn parse_in_chunks(text: &[u8], size: usize) -> Result<AssetStatusReport, StreamError> {
        let mut s = AssetStream::new();
        for chunk in text.chunks(size) {
            s.push(chunk)?;
        }
        s.finish()
    }

    #[test]
    fn chunks_cut_anywhere_give_what_the_whole_document_gives() {
        let text = answer(50);
        let mut whole: AssetStatusReport = serde_json::from_str(&text).unwrap();
        assert_eq!(whole.assets.len(), 50);
        assert_eq!(whole.assets[3].uuid, "u-3");
        without_uuids(&mut whole);
        for size in [1, 2, 3, 7, 64, 1_000, text.len()] {
            assert_eq!(
                parse_in_chunks(text.as_bytes(), size).unwrap(),
                whole,
                "chunks of {size}"
            );
        }
    }

    #[test]
    fn assets_are_handed_over_as_they_arrive_and_the_buffer_stays_small() {
        let text = answer(10_000);
        let mut s = AssetStream::new();
        let mut most = 0;
        for (k, chunk) in text.as_bytes().chunks(4_096).enumerate() {
            s.push(chunk).unwrap();
            most = most.max(s.buf.len());
            if k == 10 {
                // About 45 KB in: a few hundred assets parsed already.
                assert!(s.parsed() > 300, "{} parsed", s.parsed());
            }
        }
        assert!(
            most < 4_096 + 200,
            "at most a chunk and one asset held: {most}"
        );
        assert_eq!(s.received(), text.len() as u64);
        let report = s.finish().unwrap();
        assert_eq!(report.assets.len(), 10_000);
        assert_eq!(report.assets[7].status, AssetOutcome::Failure);
        assert_eq!(report.assets[9_999].path, "/content/dam/d/f9999.dita");
    }

    #[test]
    fn any_reading_the_contract_allows() {
        // Members in another order, white space, unknown members (objects, arrays, numbers,
        // literals), strings with escapes and brackets, an unknown asset status.
        let text = r#" {
            "assets" : [ {"exists":false,"status":"ARCHIVED","uuid":null,"path":"/content/dam/a \"[x]\" {y}.dita","extra":[1,{"z":"]"}]} ] ,
            "count": -12.5e3, "more": {"a": [true, null]}, "flag": false,
            "status": "SUCCESS", "jobId": "j\u00e9" }
        "#;
        for size in [1, 5, text.len()] {
            let r = parse_in_chunks(text.as_bytes(), size).unwrap();
            assert_eq!(r.job_id, "jé");
            assert_eq!(r.status, Status::Success);
            assert_eq!(r.assets.len(), 1);
            assert_eq!(r.assets[0].path, r#"/content/dam/a "[x]" {y}.dita"#);
            assert_eq!(r.assets[0].status, AssetOutcome::Other("ARCHIVED".into()));
            assert!(!r.assets[0].exists && r.assets[0].uuid.is_empty());
        }
        // A look-up still running: no assets, `null` or none at all.
        for text in [
            r#"{"jobId":"j","status":"RUNNING","assets":null}"#,
            r#"{"jobId":"j","status":"RUNNING"}"#,
            r#"{"jobId":"j","status":"RUNNING","assets":[]}"#,
        ] {
            let r = parse_in_chunks(text.as_bytes(), 3).unwrap();
            assert_eq!((r.status, r.assets.len()), (Status::Running, 0));
        }
        // A number last in the document ends with the document.
        let r = parse_in_chunks(br#"{"status":"SUCCESS","n":1}"#, 1).unwrap();
        assert_eq!(r.status, Status::Success);
    }

    #[test]
    fn the_quick_reader_reads_what_serde_reads_or_leaves_it_to_serde() {
        let elements = [
            r#"{"path":"/content/dam/a.dita","uuid":"u-1","status":"SUCCESS","exists":true}"#,
            r#"{ "exists" : false , "status":"FAILURE", "uuid" : "x", "path":"/content/dam/é ü.png" }"#,
            r#"{"path":null,"uuid":null,"status":null,"exists":null}"#,
            r#"{"status":"ARCHIVED"}"#,
            r#"{}"#,
            r#"{ }"#,
            r#"{"path":"/content/dam/[x] {y},z.dita"}"#,
            // Left to serde: escapes, unknown or repeated members, wrong types.
            r#"{"path":"/content/dam/a \"b\".dita","exists":true}"#,
            r#"{"path":"/a","extra":1}"#,
            r#"{"path":"/a","path":"/b"}"#,
            r#"{"exists":"yes"}"#,
            r#"{"path":1}"#,
            r#"{"status":true}"#,
            r#"{"exists":tru}"#,
            r#"{"exists":truex}"#,
            r#"{"path":"/a" "uuid":"u"}"#,
            r#"{"path":"/a",}"#,
            "{\"path\":\"/a\tb\"}",
        ];
        for e in elements {
            let serde: Result<AssetState, _> = serde_json::from_str(e);
            let serde = serde.map(|a| AssetState {
                uuid: String::new(),
                ..a
            });
            match quick_asset(e.as_bytes(), 0) {
                Quick::Read(asset, end) => {
                    assert_eq!(end, e.len(), "{e}");
                    assert_eq!(Some(asset), serde.ok(), "{e}");
                }
                Quick::Serde => {}
                Quick::More => panic!("{e}: the whole element is there"),
            }
            // Cut anywhere, it is never read as a whole element.
            for cut in 1..e.len() {
                assert_ne!(
                    std::mem::discriminant(&quick_asset(&e.as_bytes()[..cut], 0)),
                    std::mem::discriminant(&Quick::Read(AssetState::default(), 0)),
                    "{e} cut at {cut}"
                );
            }
        }
        // The common form is the quick reader's; the one with escapes is serde's.
        assert!(matches!(
            quick_asset(elements[0].as_bytes(), 0),
            Quick::Read(..)
        ));
        assert_eq!(quick_asset(elements[7].as_bytes(), 0), Quick::Serde);
        assert_eq!(quick_asset(br#"{"path":"/content/da"#, 0), Quick::More);
        assert_eq!(quick_asset(br#"{"exists":fa"#, 0), Quick::More);
        // Whole answers mixing both read as serde reads them, in chunks of any size.
        let text = format!(
            r#"{{"jobId":"j","status":"SUCCESS","assets":[{}]}}"#,
            elements[..7].join(",")
        );
        let mut whole: AssetStatusReport = serde_json::from_str(&text).unwrap();
        without_uuids(&mut whole);
        for size in [1, 3, 17, text.len()] {
            assert_eq!(
                parse_in_chunks(text.as_bytes(), size).unwrap(),
                whole,
                "chunks of {size}"
            );
        }
    }

    #[test]
    fn a_broken_or_cut_answer_is_an_error() {
        let text = answer(3);
        let cut = &text.as_bytes()[..text.len() - 10];
        assert!(parse_in_chunks(cut, 5).unwrap_err().contains("ended early"));
        assert!(parse_in_chunks(b"[1,2]", 2).is_err());
        assert!(parse_in_chunks(br#"{"assets":[{"path":1}]}"#, 4)
            .unwrap_err()
            .contains("asset 1"));
        assert!(parse_in_chunks(br#"{"status":"SUCCESS"} x"#, 4).is_err());
        assert!(parse_in_chunks(br#"{"status" "SUCCESS"}"#, 4).is_err());
        assert!(parse_in_chunks(b"", 4).is_err());
    }
}
