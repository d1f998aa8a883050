//! `cargo xtask aem-package`: the console as an AEM content package (FileVault layout), and
//! the checks every package must pass (also run by `cargo xtask test`).
//!
//! Contents: a clientlib (`cq:ClientLibraryFolder`, proxied through /etc.clientlibs) whose
//! resources hold the built wasm, JS glue and CSS, started by `aem/loader.js`; the console
//! page (`granite/ui/components/shell/page` with the mount element); a Tools navigation
//! entry; an OSGi configuration adding `application/wasm` to Sling's MIME type service.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::util::{root, run, step, trunk};

pub const NAME: &str = "asset-processing-console";
const APP: &str = "/apps/asset-processing-console";
const NAV: &str = "/apps/cq/core/content/nav/tools/general/asset-processing-console";
pub const PAGE: &str = "/apps/asset-processing-console/content/asset-processing.html";
const CLIENTLIB: &str = "apps/asset-processing-console/clientlibs/console";
/// What FileVault may find as a node type in this package.
const PRIMARY_TYPES: &[&str] = &[
    "sling:Folder",
    "sling:OrderedFolder",
    "nt:folder",
    "nt:unstructured",
    "cq:ClientLibraryFolder",
    "cq:Component",
];

pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// Builds the console for AEM (no hashes in file names: the loader names them) into
/// `target/aem/dist`, with the loader beside it.
pub fn build_dist() -> Result<PathBuf, String> {
    let dist = root().join("target/aem/dist");
    step(
        "building the console for AEM (trunk, release, no file hashes)",
        || {
            run(trunk()
                .args([
                    "build",
                    "--release",
                    "--offline",
                    "--filehash",
                    "false",
                    "--dist",
                ])
                .arg(&dist))
        },
    )?;
    std::fs::copy(root().join("aem/loader.js"), dist.join("loader.js"))
        .map_err(|e| format!("loader.js: {e}"))?;
    Ok(dist)
}

pub fn package(args: &[String]) -> Result<(), String> {
    if let Some(arg) = args.first() {
        return Err(format!("aem-package takes no arguments (got \"{arg}\")"));
    }
    crate::tools::setup()?;
    let dist = build_dist()?;
    let file = write_package(&dist)?;
    let failures: Vec<String> = verify(&std::fs::read(&file).map_err(|e| e.to_string())?)
        .into_iter()
        .filter_map(|(name, r)| r.err().map(|e| format!("{name}: {e}")))
        .collect();
    if !failures.is_empty() {
        return Err(format!(
            "the package is not valid:\n  {}",
            failures.join("\n  ")
        ));
    }
    println!("\nContent package: {}", file.display());
    println!("Install it with Package Manager (/crx/packmgr), then open Tools → General → Asset Processing");
    println!("(or {PAGE}).");
    Ok(())
}

/// Writes `target/aem/asset-processing-console-<version>.zip`.
pub fn write_package(dist: &Path) -> Result<PathBuf, String> {
    let files = package_files(dist, version())?;
    let out = root().join(format!("target/aem/{NAME}-{}.zip", version()));
    let mut zip = zip::ZipWriter::new(
        std::fs::File::create(&out).map_err(|e| format!("{}: {e}", out.display()))?,
    );
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        zip.start_file(name, options).map_err(|e| e.to_string())?;
        zip.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    zip.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

fn folder() -> Vec<u8> {
    br#"<?xml version="1.0" encoding="UTF-8"?>
<jcr:root xmlns:sling="http://sling.apache.org/jcr/sling/1.0" xmlns:jcr="http://www.jcp.org/jcr/1.0"
    jcr:primaryType="sling:Folder"/>
"#
    .to_vec()
}

/// Every file of the package: (path in the ZIP, content).
pub fn package_files(dist: &Path, version: &str) -> Result<Vec<(String, Vec<u8>)>, String> {
    let read = |name: &str| {
        std::fs::read(dist.join(name)).map_err(|e| {
            format!(
                "{}: {e} (build the console first)",
                dist.join(name).display()
            )
        })
    };
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (
            "META-INF/vault/filter.xml".into(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?>
<workspaceFilter version="1.0">
    <filter root="{APP}"/>
    <filter root="{NAV}"/>
</workspaceFilter>
"#
            )
            .into_bytes(),
        ),
        (
            "META-INF/vault/properties.xml".into(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE properties SYSTEM "http://java.sun.com/dtd/properties.dtd">
<properties>
<comment>FileVault Package Properties</comment>
<entry key="name">{NAME}</entry>
<entry key="group">asset-processing</entry>
<entry key="version">{version}</entry>
<entry key="packageType">application</entry>
<entry key="requiresRoot">false</entry>
<entry key="description">Asset Processing Console: start, watch and inspect AEM Guides bulk asset processing.</entry>
</properties>
"#
            )
            .into_bytes(),
        ),
        ("jcr_root/apps/asset-processing-console/.content.xml".into(), folder()),
        ("jcr_root/apps/asset-processing-console/clientlibs/.content.xml".into(), folder()),
        (
            format!("jcr_root/{CLIENTLIB}/.content.xml"),
            br#"<?xml version="1.0" encoding="UTF-8"?>
<jcr:root xmlns:cq="http://www.day.com/jcr/cq/1.0" xmlns:jcr="http://www.jcp.org/jcr/1.0"
    jcr:primaryType="cq:ClientLibraryFolder"
    allowProxy="{Boolean}true"
    categories="[asset-processing-console]"/>
"#
            .to_vec(),
        ),
        (format!("jcr_root/{CLIENTLIB}/js.txt"), b"#base=.\nloader.js\n".to_vec()),
        (format!("jcr_root/{CLIENTLIB}/css.txt"), b"#base=.\nconsole.css\n".to_vec()),
        (format!("jcr_root/{CLIENTLIB}/loader.js"), read("loader.js")?),
        (format!("jcr_root/{CLIENTLIB}/console.css"), read("console.css")?),
        (format!("jcr_root/{CLIENTLIB}/resources/asset-processing-console.js"), read("asset-processing-console.js")?),
        (format!("jcr_root/{CLIENTLIB}/resources/asset-processing-console_bg.wasm"), read("asset-processing-console_bg.wasm")?),
        ("jcr_root/apps/asset-processing-console/components/.content.xml".into(), folder()),
        (
            "jcr_root/apps/asset-processing-console/components/mount/.content.xml".into(),
            br#"<?xml version="1.0" encoding="UTF-8"?>
<jcr:root xmlns:cq="http://www.day.com/jcr/cq/1.0" xmlns:jcr="http://www.jcp.org/jcr/1.0"
    jcr:primaryType="cq:Component"
    jcr:title="Asset Processing Console mount point"/>
"#
            .to_vec(),
        ),
        (
            "jcr_root/apps/asset-processing-console/components/mount/mount.html".into(),
            format!(
                r#"<!--/* The console mounts here; its routes ride on this page's Sling suffix. */-->
<div id="asset-processing-console" data-api-base="" data-base="{PAGE}" data-history-size="25"></div>
"#
            )
            .into_bytes(),
        ),
        ("jcr_root/apps/asset-processing-console/content/.content.xml".into(), folder()),
        (
            "jcr_root/apps/asset-processing-console/content/asset-processing/.content.xml".into(),
            br#"<?xml version="1.0" encoding="UTF-8"?>
<jcr:root xmlns:sling="http://sling.apache.org/jcr/sling/1.0" xmlns:jcr="http://www.jcp.org/jcr/1.0"
    xmlns:nt="http://www.jcp.org/jcr/nt/1.0"
    jcr:primaryType="nt:unstructured"
    jcr:title="Asset Processing"
    sling:resourceType="granite/ui/components/shell/page"
    consoleId="asset-processing-console">
    <head jcr:primaryType="nt:unstructured">
        <clientlibs
            jcr:primaryType="nt:unstructured"
            sling:resourceType="granite/ui/components/coral/foundation/includeclientlibs"
            categories="[coralui3,granite.ui.coral.foundation,asset-processing-console]"/>
    </head>
    <content
        jcr:primaryType="nt:unstructured"
        sling:resourceType="asset-processing-console/components/mount"/>
</jcr:root>
"#
            .to_vec(),
        ),
        ("jcr_root/apps/asset-processing-console/osgiconfig/.content.xml".into(), folder()),
        ("jcr_root/apps/asset-processing-console/osgiconfig/config/.content.xml".into(), folder()),
        (
            "jcr_root/apps/asset-processing-console/osgiconfig/config/org.apache.sling.commons.mime.internal.MimeTypeServiceImpl~asset-processing-console.cfg.json".into(),
            br#"{
  "mime.types": ["application/wasm wasm"]
}
"#
            .to_vec(),
        ),
        (
            format!("jcr_root{NAV}/.content.xml"),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?>
<jcr:root xmlns:jcr="http://www.jcp.org/jcr/1.0"
    jcr:primaryType="nt:unstructured"
    jcr:title="Asset Processing"
    jcr:description="Start, watch and inspect bulk processing of assets"
    href="{PAGE}"
    icon="gears"
    id="asset-processing-console"
    size="XL"/>
"#
            )
            .into_bytes(),
        ),
    ];
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// The checks a package must pass: (what, result).
pub fn verify(zip_bytes: &[u8]) -> Vec<(&'static str, Result<(), String>)> {
    let mut archive = match zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)) {
        Ok(a) => a,
        Err(e) => return vec![("the package is a ZIP", Err(e.to_string()))],
    };
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..archive.len() {
        let mut f = match archive.by_index(i) {
            Ok(f) => f,
            Err(e) => return vec![("every entry of the ZIP reads", Err(e.to_string()))],
        };
        let mut bytes = Vec::new();
        let _ = f.read_to_end(&mut bytes);
        entries.push((f.name().to_string(), bytes));
    }
    let get = |name: &str| {
        entries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.clone())
    };
    vec![
        (
            "every file under jcr_root is covered by a filter root",
            check_filters(&entries, get("META-INF/vault/filter.xml")),
        ),
        (
            "every .content.xml is well-formed with a valid jcr:primaryType",
            check_content_xml(&entries),
        ),
        (
            "the clientlib's resources are present",
            check_clientlib(&entries),
        ),
        (
            "properties.xml has the crate's version",
            check_version(get("META-INF/vault/properties.xml")),
        ),
    ]
}

fn attr(e: &quick_xml::events::BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.unescape_value().ok())
        .map(|v| v.to_string())
}

/// Parses a whole XML document; the attributes of every element (name, [(key, value)]).
fn parse(bytes: &[u8]) -> Result<Vec<(String, Vec<(String, String)>)>, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut out = Vec::new();
    let mut open = 0usize;
    let mut buf = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("{e} at byte {}", reader.error_position()))?;
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).to_string();
                let attrs = e
                    .attributes()
                    .flatten()
                    .map(|a| {
                        let value = a
                            .unescape_value()
                            .map(|v| v.to_string())
                            .unwrap_or_default();
                        (String::from_utf8_lossy(a.key.as_ref()).to_string(), value)
                    })
                    .collect();
                out.push((name, attrs));
                if matches!(event, Event::Start(_)) {
                    open += 1;
                }
            }
            Event::End(_) => open = open.saturating_sub(1),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if open > 0 {
        return Err(format!(
            "the document ends with {open} element(s) not closed"
        ));
    }
    if out.is_empty() {
        return Err("no element".into());
    }
    Ok(out)
}

fn check_filters(entries: &[(String, Vec<u8>)], filter: Option<Vec<u8>>) -> Result<(), String> {
    let filter = filter.ok_or("META-INF/vault/filter.xml is missing")?;
    let mut reader = quick_xml::Reader::from_reader(filter.as_slice());
    let mut roots = Vec::new();
    let mut buf = Vec::new();
    loop {
        match reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("filter.xml: {e}"))?
        {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)
                if e.name().as_ref() == b"filter" =>
            {
                roots.push(attr(&e, b"root").ok_or("a filter without root")?);
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let uncovered: Vec<&str> = entries
        .iter()
        .filter_map(|(name, _)| name.strip_prefix("jcr_root"))
        .filter(|path| {
            // A .content.xml describes its folder's node.
            let node = path.strip_suffix("/.content.xml").unwrap_or(path);
            !roots
                .iter()
                .any(|r| node == r || node.starts_with(&format!("{r}/")))
        })
        .collect();
    if uncovered.is_empty() {
        Ok(())
    } else {
        Err(format!("not covered: {uncovered:?}"))
    }
}

fn check_content_xml(entries: &[(String, Vec<u8>)]) -> Result<(), String> {
    let mut problems = Vec::new();
    for (name, bytes) in entries.iter().filter(|(n, _)| n.ends_with("/.content.xml")) {
        match parse(bytes) {
            Err(e) => problems.push(format!("{name}: not well-formed: {e}")),
            Ok(elements) => {
                let (root, attrs) = &elements[0];
                if root != "jcr:root" {
                    problems.push(format!("{name}: the root element is {root}, not jcr:root"));
                }
                for (element, attrs) in
                    std::iter::once((root, attrs)).chain(elements[1..].iter().map(|(n, a)| (n, a)))
                {
                    match attrs.iter().find(|(k, _)| k == "jcr:primaryType") {
                        Some((_, t)) if PRIMARY_TYPES.contains(&t.as_str()) => {}
                        Some((_, t)) => problems.push(format!(
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

fn check_clientlib(entries: &[(String, Vec<u8>)]) -> Result<(), String> {
    let missing: Vec<String> = [
        ".content.xml",
        "js.txt",
        "css.txt",
        "loader.js",
        "console.css",
        "resources/asset-processing-console.js",
        "resources/asset-processing-console_bg.wasm",
    ]
    .iter()
    .map(|f| format!("jcr_root/{CLIENTLIB}/{f}"))
    .filter(|p| !entries.iter().any(|(n, b)| n == p && !b.is_empty()))
    .collect();
    let wasm = entries
        .iter()
        .find(|(n, _)| n.ends_with("_bg.wasm"))
        .map(|(_, b)| b.starts_with(b"\0asm"))
        .unwrap_or(false);
    match (missing.is_empty(), wasm) {
        (true, true) => Ok(()),
        (false, _) => Err(format!("missing or empty: {missing:?}")),
        (true, false) => Err("the .wasm resource is not WebAssembly".into()),
    }
}

fn check_version(properties: Option<Vec<u8>>) -> Result<(), String> {
    let bytes = properties.ok_or("META-INF/vault/properties.xml is missing")?;
    parse(&bytes)?; // well-formed first
    let text = String::from_utf8_lossy(&bytes);
    let want = format!("<entry key=\"version\">{}</entry>", version());
    if text.contains(&want) {
        Ok(())
    } else {
        Err(format!("properties.xml does not say {want}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A package built from a stand-in of the console's build output.
    fn fake_package(tamper: impl Fn(&mut Vec<(String, Vec<u8>)>)) -> Vec<u8> {
        // One folder per call: tests run in parallel, and a file being rewritten by one
        // (truncated, then written) must never be read half-way by another.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dist = std::env::temp_dir().join(format!("apc-aem-test-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dist).unwrap();
        for (name, bytes) in [
            ("loader.js", b"console.log(1)".as_slice()),
            ("console.css", b".apc-root{}"),
            (
                "asset-processing-console.js",
                b"export default function(){}",
            ),
            ("asset-processing-console_bg.wasm", b"\0asm\x01\0\0\0"),
        ] {
            std::fs::write(dist.join(name), bytes).unwrap();
        }
        let mut files = package_files(&dist, version()).unwrap();
        let _ = std::fs::remove_dir_all(&dist);
        tamper(&mut files);
        let mut out = std::io::Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut out);
            for (name, bytes) in files {
                zip.start_file(name, zip::write::SimpleFileOptions::default())
                    .unwrap();
                zip.write_all(&bytes).unwrap();
            }
            zip.finish().unwrap();
        }
        out.into_inner()
    }

    #[test]
    fn a_good_package_passes_every_check() {
        for (name, result) in verify(&fake_package(|_| {})) {
            assert!(result.is_ok(), "{name}: {result:?}");
        }
    }

    #[test]
    fn each_check_catches_its_problem() {
        let failed = |bytes: Vec<u8>| -> Vec<&'static str> {
            verify(&bytes)
                .into_iter()
                .filter(|(_, r)| r.is_err())
                .map(|(n, _)| n)
                .collect()
        };
        let outside = fake_package(|f| f.push(("jcr_root/etc/stray.txt".into(), b"x".to_vec())));
        assert_eq!(
            failed(outside),
            vec!["every file under jcr_root is covered by a filter root"]
        );
        let broken = fake_package(|f| {
            f.push((
                "jcr_root/apps/asset-processing-console/bad/.content.xml".into(),
                b"<jcr:root jcr:primaryType=\"sling:Folder\">".to_vec(),
            ))
        });
        assert_eq!(
            failed(broken),
            vec!["every .content.xml is well-formed with a valid jcr:primaryType"]
        );
        let no_wasm = fake_package(|f| f.retain(|(n, _)| !n.ends_with(".wasm")));
        assert_eq!(
            failed(no_wasm),
            vec!["the clientlib's resources are present"]
        );
        let old = fake_package(|f| {
            for (n, b) in f.iter_mut() {
                if n.ends_with("properties.xml") {
                    *b = String::from_utf8_lossy(b)
                        .replace(version(), "0.0.0-old")
                        .into_bytes();
                }
            }
        });
        assert_eq!(failed(old), vec!["properties.xml has the crate's version"]);
    }
}
