//! A package read back from its ZIP (its files, filter roots and properties), and the XML
//! reading every check shares.

use std::io::Read;

use crate::aem::{Files, Role};

/// A package read back from its ZIP.
pub(super) struct Package {
    pub(super) role: Role,
    pub(super) files: Files,
    pub(super) roots: Vec<FilterRoot>,
    pub(super) properties: Vec<(String, String)>,
}

pub(super) struct FilterRoot {
    pub(super) root: String,
    /// include/exclude rules below it.
    pub(super) rules: usize,
}

impl Package {
    pub(super) fn property(&self, key: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub(super) fn file(&self, name: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_slice())
    }

    pub(super) fn covers(&self, node: &str) -> bool {
        self.roots.iter().any(|r| is_at_or_below(node, &r.root))
    }
}

/// A check's result: passed, or failed with all its problems.
pub(super) fn verdict(problems: Vec<String>) -> Result<(), String> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

pub(super) fn is_at_or_below(path: &str, root: &str) -> bool {
    path == root || path.starts_with(&format!("{root}/"))
}
pub(super) fn read_package(zip_bytes: &[u8]) -> Result<Package, String> {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).map_err(|e| e.to_string())?;
    let mut files = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).map_err(|e| e.to_string())?;
        // zip 9 decodes the stored name here, and says so when it cannot.
        let name = f.name().map_err(|e| e.to_string())?.to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes)
            .map_err(|e| format!("{name}: {e}"))?;
        files.push((name, bytes));
    }
    let get = |name: &str| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.clone())
            .ok_or(format!("{name} is missing"))
    };
    let properties = parse_properties(&get("META-INF/vault/properties.xml")?)?;
    let name = properties
        .iter()
        .find(|(k, _)| k == "name")
        .map(|(_, v)| v.clone())
        .ok_or("properties.xml has no name")?;
    let role = Role::from_package_name(&name).ok_or(format!(
        "properties.xml names an unknown package \"{name}\""
    ))?;
    let roots = parse_filter(&get("META-INF/vault/filter.xml")?)?;
    Ok(Package {
        role,
        files,
        roots,
        properties,
    })
}

/// One element of a docview: its depth (root 0), name and attributes.
pub(super) type Element = (usize, String, Vec<(String, String)>);

/// Parses a whole XML document into its elements, in document order.
pub(super) fn parse(bytes: &[u8]) -> Result<Vec<Element>, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut buf = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("{e} at byte {}", reader.error_position()))?;
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).to_string();
                let mut attrs = Vec::new();
                for a in e.attributes() {
                    let a = a.map_err(|e| e.to_string())?;
                    let value = a.unescape_value().map_err(|e| e.to_string())?.to_string();
                    attrs.push((String::from_utf8_lossy(a.key.as_ref()).to_string(), value));
                }
                out.push((depth, name, attrs));
                if matches!(event, Event::Start(_)) {
                    depth += 1;
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if depth > 0 {
        return Err(format!(
            "the document ends with {depth} element(s) not closed"
        ));
    }
    if out.is_empty() {
        return Err("no element".into());
    }
    Ok(out)
}

pub(super) fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// properties.xml's entries (key, text).
fn parse_properties(bytes: &[u8]) -> Result<Vec<(String, String)>, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut out = Vec::new();
    let mut key: Option<String> = None;
    let mut buf = Vec::new();
    loop {
        match reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("properties.xml: {e}"))?
        {
            Event::Start(e) if e.name().as_ref() == b"entry" => {
                key = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.as_ref() == b"key")
                    .and_then(|a| a.unescape_value().ok())
                    .map(|v| v.to_string());
                if let Some(k) = &key {
                    out.push((k.clone(), String::new()));
                }
            }
            Event::Text(t) if key.is_some() => {
                let text = t.decode().map_err(|e| e.to_string())?;
                if let Some(last) = out.last_mut() {
                    last.1.push_str(&text);
                }
            }
            Event::End(e) if e.name().as_ref() == b"entry" => key = None,
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

fn parse_filter(bytes: &[u8]) -> Result<Vec<FilterRoot>, String> {
    let mut roots: Vec<FilterRoot> = Vec::new();
    for (_, name, attrs) in parse(bytes).map_err(|e| format!("filter.xml: {e}"))? {
        match name.as_str() {
            "filter" => roots.push(FilterRoot {
                root: attr(&attrs, "root")
                    .ok_or("filter.xml: a filter without root")?
                    .to_string(),
                rules: 0,
            }),
            "include" | "exclude" => {
                roots
                    .last_mut()
                    .ok_or("filter.xml: a rule outside any filter")?
                    .rules += 1
            }
            _ => {}
        }
    }
    if roots.is_empty() {
        return Err("filter.xml has no filter root".into());
    }
    Ok(roots)
}
/// `[default:none,min:none]` → {"default:none", "min:none"}.
pub(super) fn string_array(value: &str) -> Vec<String> {
    let mut items: Vec<String> = value
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    items.sort();
    items
}
