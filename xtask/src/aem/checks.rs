//! The checks every package must pass, read back from its ZIP: FileVault's rules for what
//! each package type may hold and for filter coverage, the typed ancestors of the Tools
//! entry, and the console's own needs (clientlib, hashed names, minifiers off, read access,
//! the MIME configuration).

use std::io::Read;

use super::*;

pub const CHECK_READS: &str =
    "the package reads (ZIP, properties.xml naming one of the three packages, filter.xml)";
pub const CHECK_COVERED: &str = "every file is under a filter root or types an ancestor of one";
pub const CHECK_OWNED: &str = "no filter root would wipe content the package does not own";
pub const CHECK_XML: &str = "every docview is well-formed with a known jcr:primaryType";
pub const CHECK_ANCESTORS: &str =
    "ancestors are typed (no properties over /libs) and every node's parent can hold it";
pub const CHECK_TYPE: &str = "the package type allows everything the package holds";
pub const CHECK_VERSION: &str = "properties.xml has the crate's version";
pub const CHECK_CLIENTLIB: &str = "the clientlib's loader, styles, wasm and glue are present";
pub const CHECK_HASHED: &str =
    "the wasm and its glue carry the build's hash, and the loader names them";
pub const CHECK_PROCESSORS: &str = "the clientlib's JS and CSS minifiers are off";
pub const CHECK_ACCESS: &str = "the processing groups may read the page and the Tools entry";
pub const CHECK_MIME: &str =
    "application/wasm is configured on the MIME type service's own PID (not a factory)";
pub const CHECK_EMBEDDED: &str =
    "the embedded packages are both there, pass their checks, and own disjoint roots";

/// A package read back from its ZIP.
struct Package {
    role: Role,
    files: Files,
    roots: Vec<FilterRoot>,
    properties: Vec<(String, String)>,
}

struct FilterRoot {
    root: String,
    /// include/exclude rules below it.
    rules: usize,
}

impl Package {
    fn property(&self, key: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn file(&self, name: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_slice())
    }

    fn covers(&self, node: &str) -> bool {
        self.roots.iter().any(|r| is_at_or_below(node, &r.root))
    }
}

fn is_at_or_below(path: &str, root: &str) -> bool {
    path == root || path.starts_with(&format!("{root}/"))
}

/// The checks a package must pass: (what, result). Which checks apply follows from the
/// package's name in its properties.xml.
pub fn verify(zip_bytes: &[u8]) -> Vec<(&'static str, Result<(), String>)> {
    let package = match read_package(zip_bytes) {
        Ok(p) => p,
        Err(e) => return vec![(CHECK_READS, Err(e))],
    };
    let nodes = nodes(&package.files);
    let mut checks = vec![
        (CHECK_READS, Ok(())),
        (CHECK_COVERED, check_covered(&package)),
        (CHECK_OWNED, check_owned(&package)),
        (CHECK_XML, check_docviews(&package)),
        (CHECK_ANCESTORS, check_ancestors(&package, &nodes)),
        (CHECK_TYPE, check_type(&package, &nodes)),
        (CHECK_VERSION, check_version(&package)),
    ];
    match package.role {
        Role::UiApps => checks.extend([
            (CHECK_CLIENTLIB, check_clientlib(&package)),
            (CHECK_HASHED, check_hashed(&package)),
            (CHECK_PROCESSORS, check_processors(&package)),
            (CHECK_ACCESS, check_policies(&package)),
        ]),
        Role::UiConfig => checks.extend([
            (CHECK_MIME, check_mime(&package)),
            (CHECK_ACCESS, check_repoinit(&package)),
        ]),
        Role::All => checks.push((CHECK_EMBEDDED, check_embedded(&package))),
    }
    checks
}

fn read_package(zip_bytes: &[u8]) -> Result<Package, String> {
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
type Element = (usize, String, Vec<(String, String)>);

/// Parses a whole XML document into its elements, in document order.
fn parse(bytes: &[u8]) -> Result<Vec<Element>, String> {
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

fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
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

/// The repository path a file of the package stands for: a `.content.xml` its folder's node,
/// `_rep_policy.xml` the folder's `rep:policy`, any other file itself.
fn node_path(entry: &str) -> Option<String> {
    let path = entry.strip_prefix("jcr_root")?;
    if let Some(folder) = path.strip_suffix("/.content.xml") {
        return Some(folder.to_string());
    }
    if let Some(folder) = path.strip_suffix("/_rep_policy.xml") {
        return Some(format!("{folder}/rep:policy"));
    }
    Some(path.to_string())
}

/// A node FileVault would create from the package.
#[derive(Clone, Debug)]
struct Node {
    path: String,
    primary_type: String,
    /// Properties besides the node type (a typed ancestor must have none).
    properties: Vec<String>,
    /// Described by a `.content.xml` root element (not a plain folder or a file).
    described: bool,
}

/// Every node the package would create, with its type: `.content.xml` and the elements in
/// it, files as `nt:file`, folders without a `.content.xml` as `nt:folder` (what FileVault
/// creates for them). Access control (`rep:policy`) is left out: FileVault's ACL handling
/// imports it, not the node importer. A docview that does not parse is left out too (the
/// docview check reports it).
fn nodes(files: &Files) -> Vec<Node> {
    let mut out: Vec<Node> = Vec::new();
    for (entry, bytes) in files.iter().filter(|(n, _)| n.starts_with("jcr_root/")) {
        let Some(path) = node_path(entry) else {
            continue;
        };
        if path.ends_with("/rep:policy") {
            continue;
        }
        if entry.ends_with("/.content.xml") {
            let Ok(elements) = parse(bytes) else { continue };
            let mut stack: Vec<String> = Vec::new();
            for (depth, name, attrs) in elements {
                stack.truncate(depth);
                let node_path = if depth == 0 {
                    path.clone()
                } else {
                    format!(
                        "{path}/{}",
                        stack[1..]
                            .iter()
                            .chain([&name])
                            .cloned()
                            .collect::<Vec<_>>()
                            .join("/")
                    )
                };
                stack.push(name);
                out.push(Node {
                    path: node_path,
                    primary_type: attr(&attrs, "jcr:primaryType").unwrap_or("").to_string(),
                    properties: attrs
                        .iter()
                        .map(|(k, _)| k.clone())
                        .filter(|k| {
                            !k.starts_with("xmlns")
                                && k != "jcr:primaryType"
                                && k != "jcr:mixinTypes"
                        })
                        .collect(),
                    described: depth == 0,
                });
            }
        } else {
            out.push(Node {
                path,
                primary_type: "nt:file".into(),
                properties: Vec::new(),
                described: false,
            });
        }
    }
    // Folders that only hold files or other folders.
    let mut folders: Vec<String> = Vec::new();
    for node in &out {
        let mut p = node.path.as_str();
        while let Some((parent, _)) = p.rsplit_once('/') {
            if parent.is_empty() {
                break;
            }
            folders.push(parent.to_string());
            p = parent;
        }
    }
    folders.sort();
    folders.dedup();
    for folder in folders {
        if !out.iter().any(|n| n.path == folder) {
            out.push(Node {
                path: folder,
                primary_type: "nt:folder".into(),
                properties: Vec::new(),
                described: false,
            });
        }
    }
    out
}

/// The node types that are `nt:hierarchyNode`s (what an `nt:folder` may hold).
fn is_hierarchy_node(kind: &str) -> bool {
    matches!(
        kind,
        "nt:folder"
            | "nt:file"
            | "sling:Folder"
            | "sling:OrderedFolder"
            | "cq:ClientLibraryFolder"
            | "cq:Component"
    )
}

/// Whether a node of type `parent` may have a child of type `child` (the child node
/// definitions of these types).
fn can_hold(parent: &str, child: &str) -> bool {
    match parent {
        "nt:folder" | "cq:Component" => is_hierarchy_node(child),
        "sling:Folder" | "sling:OrderedFolder" | "cq:ClientLibraryFolder" | "nt:unstructured" => {
            true
        }
        _ => false,
    }
}

fn check_covered(p: &Package) -> Result<(), String> {
    let uncovered: Vec<&str> = p
        .files
        .iter()
        .map(|(n, _)| n.as_str())
        .filter(|entry| {
            let Some(node) = node_path(entry) else {
                return false;
            };
            let typed_ancestor = entry.ends_with("/.content.xml")
                && p.roots
                    .iter()
                    .any(|r| r.root.starts_with(&format!("{node}/")));
            !p.covers(&node) && !typed_ancestor
        })
        .collect();
    if uncovered.is_empty() {
        Ok(())
    } else {
        Err(format!("not under any filter root: {uncovered:?}"))
    }
}

fn check_owned(p: &Package) -> Result<(), String> {
    let owned = p.role.owned();
    let foreign: Vec<&str> = p
        .roots
        .iter()
        .map(|r| r.root.as_str())
        .filter(|root| !owned.iter().any(|o| is_at_or_below(root, o)))
        .collect();
    if foreign.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{foreign:?} would replace what is below it on install; this package owns only {owned:?}"
        ))
    }
}

fn check_docviews(p: &Package) -> Result<(), String> {
    let mut problems = Vec::new();
    for (name, bytes) in p
        .files
        .iter()
        .filter(|(n, _)| n.ends_with("/.content.xml") || n.ends_with("/_rep_policy.xml"))
    {
        match parse(bytes) {
            Err(e) => problems.push(format!("{name}: not well-formed: {e}")),
            Ok(elements) => {
                if elements[0].1 != "jcr:root" {
                    problems.push(format!(
                        "{name}: the root element is {}, not jcr:root",
                        elements[0].1
                    ));
                }
                for (_, element, attrs) in &elements {
                    match attr(attrs, "jcr:primaryType") {
                        Some(t) if PRIMARY_TYPES.contains(&t) => {}
                        Some(t) => problems.push(format!(
                            "{name}: <{element}> has an unknown jcr:primaryType {t}"
                        )),
                        None => {
                            problems.push(format!("{name}: <{element}> has no jcr:primaryType"))
                        }
                    }
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

fn check_ancestors(p: &Package, nodes: &[Node]) -> Result<(), String> {
    let mut problems = Vec::new();
    let node = |path: &str| nodes.iter().find(|n| n.path == path);
    // Every ancestor of a filter root below /apps (which AEM always has) is typed by the
    // package, and sets nothing: the Sling resource merger would lay its properties over
    // /libs's node of the same path.
    for root in &p.roots {
        let mut ancestor = root.root.as_str();
        while let Some((parent, _)) = ancestor.rsplit_once('/') {
            if parent.is_empty() || parent == "/apps" || parent == "/libs" {
                break;
            }
            match node(parent) {
                Some(n) if n.described && n.properties.is_empty() => {}
                Some(n) if n.described => problems.push(format!(
                    "{parent} sets {:?}: a typed ancestor must hold only its type",
                    n.properties
                )),
                _ => problems.push(format!(
                    "{parent} has no .content.xml: where it is missing FileVault creates it as nt:folder"
                )),
            }
            ancestor = parent;
        }
    }
    // Every node's parent can hold it (AEM's /apps and /libs are nt:folder).
    for n in nodes {
        let Some((parent, _)) = n.path.rsplit_once('/') else {
            continue;
        };
        let parent_type = match parent {
            "" => continue,
            "/apps" | "/libs" => "nt:folder",
            _ => match node(parent) {
                Some(parent) => parent.primary_type.as_str(),
                None => continue,
            },
        };
        if !can_hold(parent_type, &n.primary_type) {
            problems.push(format!(
                "{} ({}) cannot be a child of {parent} ({parent_type}): the install would abort",
                n.path, n.primary_type
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// FileVault's default for where the JCR installer takes OSGi bundles and configurations:
/// `/([^/]*/){0,4}?(install|config)(\.[^/]*)*/(\d{1,3}/)?.+?`.
fn is_installer_path(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    segments.iter().enumerate().take(5).any(|(i, segment)| {
        let run_mode_folder = ["install", "config"].iter().any(|stem| {
            segment
                .strip_prefix(stem)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        });
        run_mode_folder && segments.get(i + 1).is_some_and(|next| !next.is_empty())
    })
}

fn is_installer_file(path: &str) -> bool {
    is_installer_path(path)
        && [".jar", ".config", ".cfg", ".cfg.json"]
            .iter()
            .any(|ext| path.ends_with(ext))
}

fn check_type(p: &Package, nodes: &[Node]) -> Result<(), String> {
    let mut problems = Vec::new();
    let want = p.role.package_type();
    match p.property("packageType") {
        Some(t) if t == want => {}
        Some(t) => problems.push(format!("packageType is {t}, not {want}")),
        None => problems.push(format!("properties.xml sets no packageType (want {want})")),
    }
    let covered: Vec<&Node> = nodes.iter().filter(|n| p.covers(&n.path)).collect();
    match want {
        "application" => {
            for n in &covered {
                if !is_at_or_below(&n.path, "/apps") && !is_at_or_below(&n.path, "/libs") {
                    problems.push(format!(
                        "{}: an application package holds only /apps and /libs",
                        n.path
                    ));
                }
                if is_installer_file(&n.path) {
                    problems.push(format!(
                        "{}: an application package may not hold OSGi configurations or bundles",
                        n.path
                    ));
                }
            }
            for (name, _) in &p.files {
                if name.ends_with(".zip") {
                    problems.push(format!(
                        "{name}: an application package may not hold sub-packages"
                    ));
                }
                if name.starts_with("META-INF/vault/hooks/") {
                    problems.push(format!(
                        "{name}: an application package may not hold install hooks"
                    ));
                }
            }
            for r in p.roots.iter().filter(|r| r.rules > 0) {
                problems.push(format!(
                    "{}: an application package's filter may not have include/exclude rules",
                    r.root
                ));
            }
        }
        _ => {
            if p.property("dependencies")
                .is_some_and(|d| !d.trim().is_empty())
            {
                problems.push("a container package may not have dependencies".into());
            }
            let valid: Vec<&str> = covered
                .iter()
                .map(|n| n.path.as_str())
                .filter(|path| is_installer_path(path) || path.ends_with(".zip"))
                .collect();
            for n in &covered {
                let holds_valid = valid.iter().any(|v| v.starts_with(&format!("{}/", n.path)));
                if !valid.contains(&n.path.as_str()) && !holds_valid {
                    problems.push(format!(
                        "{}: a container package holds only OSGi configurations, bundles and sub-packages",
                        n.path
                    ));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

fn check_version(p: &Package) -> Result<(), String> {
    match p.property("version") {
        Some(v) if v == version() => Ok(()),
        Some(v) => Err(format!(
            "properties.xml says version {v}, the crate is {}",
            version()
        )),
        None => Err("properties.xml has no version".into()),
    }
}

fn clientlib_file(p: &Package, name: &str) -> Option<Vec<u8>> {
    p.file(&format!("jcr_root{CLIENTLIB}/{name}"))
        .map(<[u8]>::to_vec)
}

/// The clientlib's resources: (file name, bytes).
fn resources(p: &Package) -> Vec<(String, Vec<u8>)> {
    let prefix = format!("jcr_root{CLIENTLIB}/resources/");
    p.files
        .iter()
        .filter_map(|(n, b)| {
            n.strip_prefix(&prefix)
                .map(|name| (name.to_string(), b.clone()))
        })
        .collect()
}

fn check_clientlib(p: &Package) -> Result<(), String> {
    let mut problems = Vec::new();
    for name in [
        ".content.xml",
        "js.txt",
        "css.txt",
        "loader.js",
        "console.css",
    ] {
        if clientlib_file(p, name).is_none_or(|b| b.is_empty()) {
            problems.push(format!("{name} is missing or empty"));
        }
    }
    let listed = |txt: &str, file: &str| {
        clientlib_file(p, txt).is_some_and(|b| {
            String::from_utf8_lossy(&b)
                .lines()
                .any(|l| l.trim() == file)
        })
    };
    if !listed("js.txt", "loader.js") {
        problems.push("js.txt does not list loader.js".into());
    }
    if !listed("css.txt", "console.css") {
        problems.push("css.txt does not list console.css".into());
    }
    let resources = resources(p);
    let is_link = |n: &str| n.starts_with(SPLIT_LINK_STEM) && n.ends_with(".js");
    let wasm: Vec<_> = resources
        .iter()
        .filter(|(n, _)| n.ends_with("_bg.wasm"))
        .collect();
    let chunks: Vec<_> = resources
        .iter()
        .filter(|(n, _)| n.ends_with(".wasm") && !n.ends_with("_bg.wasm"))
        .collect();
    let glue: Vec<_> = resources
        .iter()
        .filter(|(n, _)| n.ends_with(".js") && !is_link(n))
        .collect();
    let links: Vec<_> = resources.iter().filter(|(n, _)| is_link(n)).collect();
    match wasm.as_slice() {
        [(name, bytes)] if !bytes.starts_with(b"\0asm") => {
            problems.push(format!("resources/{name} is not WebAssembly"))
        }
        [_] => {}
        other => problems.push(format!(
            "resources/ holds {} main .wasm files, not one",
            other.len()
        )),
    }
    match glue.as_slice() {
        [(_, bytes)] if !bytes.is_empty() => {}
        other => problems.push(format!(
            "resources/ holds {} non-empty .js glue files, not one",
            other.iter().filter(|(_, b)| !b.is_empty()).count()
        )),
    }
    problems.extend(split_problems(&chunks, &links));
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// A split build's chunks and link module (xtask/src/split.rs): the link module is there
/// exactly when chunks are, and names every chunk (it is what fetches them); each chunk is
/// WebAssembly.
fn split_problems(chunks: &[&(String, Vec<u8>)], links: &[&(String, Vec<u8>)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, bytes) in chunks {
        if !bytes.starts_with(b"\0asm") {
            problems.push(format!("resources/{name} is not WebAssembly"));
        }
    }
    match (chunks.is_empty(), links) {
        (true, []) => {}
        (false, [(link, js)]) => {
            let js = String::from_utf8_lossy(js);
            for (name, _) in chunks {
                if !js.contains(&format!("\"./{name}\"")) {
                    problems.push(format!("resources/{link} does not load resources/{name}"));
                }
            }
        }
        (true, _) => problems.push(format!(
            "resources/ holds {} split link modules and no chunk",
            links.len()
        )),
        (false, _) => problems.push(format!(
            "resources/ holds {} chunks and {} split link modules, not one",
            chunks.len(),
            links.len()
        )),
    }
    problems
}

/// A chunk's name carries the hash of its content: `apc-<split>-<16 hex>.wasm`.
fn is_content_hashed_chunk(name: &str) -> bool {
    name.strip_suffix(".wasm")
        .and_then(|stem| stem.strip_prefix("apc-"))
        .and_then(|stem| stem.rsplit_once('-'))
        .is_some_and(|(_, h)| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The hash in `asset-processing-console-<hash>.js` / `…-<hash>_bg.wasm`, or in the split
/// link module `apc-split-<hash>.js` (the same build hash: the glue imports it by name).
fn build_hash(name: &str) -> Option<&str> {
    let stem = name.strip_prefix(RESOURCE_STEM).or_else(|| {
        name.strip_prefix(SPLIT_LINK_STEM)
            .filter(|s| s.ends_with(".js"))
    })?;
    let hash = stem
        .strip_suffix("_bg.wasm")
        .or_else(|| stem.strip_suffix(".js"))?;
    (hash.len() >= 8 && hash.chars().all(|c| c.is_ascii_alphanumeric())).then_some(hash)
}

fn check_hashed(p: &Package) -> Result<(), String> {
    let names: Vec<String> = resources(p)
        .into_iter()
        .map(|(n, _)| n)
        .filter(|n| n.ends_with(".wasm") || n.ends_with(".js"))
        .collect();
    let mut problems = Vec::new();
    let hashes: Vec<&str> = names.iter().filter_map(|n| build_hash(n)).collect();
    let hashed = |n: &str| build_hash(n).is_some() || is_content_hashed_chunk(n);
    for n in names.iter().filter(|n| !hashed(n)) {
        problems.push(format!(
            "resources/{n} has a fixed name: a browser could pair a cached copy with another build's"
        ));
    }
    if hashes.windows(2).any(|w| w[0] != w[1]) {
        problems.push(format!(
            "the wasm and its glue come from different builds: {names:?}"
        ));
    }
    let loader = clientlib_file(p, "loader.js").unwrap_or_default();
    let loader = String::from_utf8_lossy(&loader);
    if loader.contains("@GLUE@") || loader.contains("@WASM@") {
        problems.push("loader.js still holds its template slots".into());
    }
    // The loader names the glue and the main wasm; the glue imports the link module, which
    // names the chunks (checked with the clientlib).
    for n in names.iter().filter(|n| n.starts_with(RESOURCE_STEM)) {
        if !loader.contains(&format!("'{n}'")) {
            problems.push(format!("loader.js does not name resources/{n}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// `[default:none,min:none]` → {"default:none", "min:none"}.
fn string_array(value: &str) -> Vec<String> {
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

fn check_processors(p: &Package) -> Result<(), String> {
    let bytes = clientlib_file(p, ".content.xml").ok_or("the clientlib has no .content.xml")?;
    let elements = parse(&bytes)?;
    let attrs = &elements[0].2;
    let mut problems = Vec::new();
    let mut want: Vec<String> = PROCESSORS_OFF.iter().map(|s| s.to_string()).collect();
    want.sort();
    for key in ["jsProcessor", "cssProcessor"] {
        match attr(attrs, key) {
            Some(v) if string_array(v) == want => {}
            Some(v) => problems.push(format!("{key} is {v}, not [{}]", PROCESSORS_OFF.join(","))),
            None => problems.push(format!(
                "{key} is not set: AEM's minifier would rewrite the {}",
                if key == "jsProcessor" {
                    "loader (import())"
                } else {
                    "styles (custom properties, :where)"
                }
            )),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

fn check_policies(p: &Package) -> Result<(), String> {
    let mut problems = Vec::new();
    match p.property("acHandling") {
        Some("merge" | "merge_preserve" | "overwrite") => {}
        other => problems.push(format!(
            "acHandling is {other:?}: FileVault would ignore the package's rep:policy"
        )),
    }
    for node in [PAGE_NODE, NAV] {
        let file = format!("jcr_root{node}/_rep_policy.xml");
        let Some(bytes) = p.file(&file) else {
            problems.push(format!("{node} has no rep:policy"));
            continue;
        };
        let elements = match parse(bytes) {
            Ok(e) => e,
            Err(e) => {
                problems.push(format!("{file}: {e}"));
                continue;
            }
        };
        if attr(&elements[0].2, "jcr:primaryType") != Some("rep:ACL") {
            problems.push(format!("{file} is not a rep:ACL"));
        }
        for group in READER_GROUPS {
            let allowed = elements.iter().skip(1).any(|(_, _, a)| {
                attr(a, "jcr:primaryType") == Some("rep:GrantACE")
                    && attr(a, "rep:principalName") == Some(group)
                    && attr(a, "rep:privileges").is_some_and(|v| {
                        string_array(v.trim_start_matches("{Name}"))
                            .iter()
                            .any(|p| p == "jcr:read" || p == "jcr:all")
                    })
            });
            if !allowed {
                problems.push(format!("{node}: {group} may not read it"));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// The OSGi configurations of a container: (file name, JSON), from `.cfg.json` files.
fn configurations(p: &Package) -> Vec<(String, Result<serde_json::Value, String>)> {
    p.files
        .iter()
        .filter(|(n, _)| n.ends_with(".cfg.json"))
        .map(|(n, b)| {
            (
                n.clone(),
                serde_json::from_slice(b).map_err(|e| format!("{n}: {e}")),
            )
        })
        .collect()
}

fn check_repoinit(p: &Package) -> Result<(), String> {
    let scripts: Vec<String> = configurations(p)
        .into_iter()
        .filter(|(n, _)| {
            n.contains(&format!("/{REPOINIT_PID}~")) || n.contains(&format!("/{REPOINIT_PID}-"))
        })
        .filter_map(|(_, json)| json.ok())
        .flat_map(|json| {
            json["scripts"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_else(Vec::new)
        })
        .collect();
    if scripts.is_empty() {
        return Err(format!(
            "no {REPOINIT_PID}~… configuration with scripts: on AEM as a Cloud Service nothing gives the groups access"
        ));
    }
    // Which (path, group) pairs the scripts allow jcr:read for, in either form repoinit has:
    // `set ACL on PATHS` + `allow PRIVILEGES for PRINCIPALS`, or
    // `set ACL for PRINCIPALS` + `allow PRIVILEGES on PATHS`.
    let list = |s: &str| -> Vec<String> { s.split(',').map(|x| x.trim().to_string()).collect() };
    let mut allowed: Vec<(String, String)> = Vec::new();
    for script in &scripts {
        let mut block: Option<(bool, Vec<String>)> = None; // (on paths?, names)
        for line in script.lines().map(str::trim) {
            if let Some(paths) = line.strip_prefix("set ACL on ") {
                block = Some((true, list(paths)));
            } else if let Some(principals) = line.strip_prefix("set ACL for ") {
                block = Some((false, list(principals)));
            } else if line == "end" {
                block = None;
            } else if let (Some((on_paths, names)), Some(rest)) =
                (&block, line.strip_prefix("allow "))
            {
                let (privileges, target) =
                    match rest.split_once(if *on_paths { " for " } else { " on " }) {
                        Some(x) => x,
                        None => continue,
                    };
                if !list(privileges)
                    .iter()
                    .any(|p| p == "jcr:read" || p == "jcr:all")
                {
                    continue;
                }
                for a in names {
                    for b in list(target) {
                        allowed.push(if *on_paths {
                            (a.clone(), b)
                        } else {
                            (b, a.clone())
                        });
                    }
                }
            }
        }
    }
    let missing: Vec<String> = [PAGE_NODE, NAV]
        .iter()
        .flat_map(|path| {
            READER_GROUPS
                .iter()
                .map(move |g| (path.to_string(), g.to_string()))
        })
        .filter(|pair| !allowed.contains(pair))
        .map(|(path, group)| format!("{group} on {path}"))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the repoinit script does not allow jcr:read for {missing:?}"
        ))
    }
}

fn check_mime(p: &Package) -> Result<(), String> {
    let mut problems = Vec::new();
    let configs = configurations(p);
    for (name, _) in &configs {
        let file = name.rsplit('/').next().unwrap_or(name);
        if file.starts_with(&format!("{MIME_PID}~")) || file.starts_with(&format!("{MIME_PID}-")) {
            problems.push(format!(
                "{file}: a factory configuration of a service that is not a factory is never read"
            ));
        }
    }
    let own: Vec<&(String, Result<serde_json::Value, String>)> = configs
        .iter()
        .filter(|(n, _)| {
            n.ends_with(&format!("/{MIME_PID}.cfg.json"))
                && is_installer_file(n.trim_start_matches("jcr_root"))
        })
        .collect();
    match own.as_slice() {
        [] => problems.push(format!("no {MIME_PID}.cfg.json in a config folder")),
        [(name, json)] => match json {
            Err(e) => problems.push(e.clone()),
            Ok(json) => {
                let maps_wasm = json["mime.types"].as_array().is_some_and(|types| {
                    types.iter().filter_map(|t| t.as_str()).any(|t| {
                        let mut parts = t.split_whitespace();
                        parts.next() == Some("application/wasm") && parts.any(|ext| ext == "wasm")
                    })
                });
                if !maps_wasm {
                    problems.push(format!(
                        "{name}: mime.types has no \"application/wasm wasm\""
                    ));
                }
            }
        },
        more => problems.push(format!(
            "{} configurations of {MIME_PID}: one would win at random",
            more.len()
        )),
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

fn check_embedded(p: &Package) -> Result<(), String> {
    let mut problems = Vec::new();
    let mut roots: Vec<(Role, String)> = Vec::new();
    for role in [Role::UiApps, Role::UiConfig] {
        let name = format!("jcr_root{INSTALL}/{}", role.file_name(version()));
        let Some(bytes) = p.file(&name) else {
            problems.push(format!("{name} is missing"));
            continue;
        };
        for (check, result) in verify(bytes) {
            if let Err(e) = result {
                problems.push(format!("{}: {check}: {e}", role.package_name()));
            }
        }
        match read_package(bytes) {
            Ok(sub) if sub.role == role => {
                roots.extend(sub.roots.into_iter().map(|r| (role, r.root)))
            }
            Ok(sub) => problems.push(format!("{name} holds {}", sub.role.package_name())),
            Err(_) => {}
        }
    }
    for (a_role, a) in &roots {
        for (b_role, b) in &roots {
            if a_role != b_role && is_at_or_below(b, a) {
                problems.push(format!(
                    "{}'s filter root {a} takes over {}'s {b}: installing one wipes the other",
                    a_role.package_name(),
                    b_role.package_name()
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_jcr_installer_paths_are_filevaults() {
        assert!(is_installer_file(
            "/apps/x/osgiconfig/config/a.b.C.cfg.json"
        ));
        assert!(is_installer_file(
            "/apps/x/osgiconfig/config.author.dev/a.b.C~x.cfg.json"
        ));
        assert!(is_installer_path(
            "/apps/x-packages/application/install/p.zip"
        ));
        assert!(!is_installer_path("/apps/x/osgiconfig/config"));
        assert!(!is_installer_path("/apps/x/osgiconfig"));
        assert!(!is_installer_file("/apps/x/configuration/a.cfg.json"));
        // More than four folders before `config`: not picked up by the installer.
        assert!(!is_installer_path("/a/b/c/d/e/config/x.cfg.json"));
    }
}
