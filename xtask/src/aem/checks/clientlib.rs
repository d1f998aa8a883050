//! The clientlib: its files present and listed, the wasm and glue (and a split build's chunks
//! and link module) under the build's hashed names that the loader names, the minifiers off.

use crate::aem::{CLIENTLIB, PROCESSORS_OFF, RESOURCE_STEM, SPLIT_LINK_STEM};

use super::package::{attr, parse, string_array, verdict, Package};

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

pub(super) fn check_clientlib(p: &Package) -> Result<(), String> {
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
    verdict(problems)
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

pub(super) fn check_hashed(p: &Package) -> Result<(), String> {
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
    verdict(problems)
}

pub(super) fn check_processors(p: &Package) -> Result<(), String> {
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
    verdict(problems)
}
