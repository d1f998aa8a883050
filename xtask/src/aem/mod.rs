//! `cargo xtask aem-package`: the console as AEM content packages (FileVault layout), split
//! the way the AEM project archetype splits a project, and the checks every package must pass
//! (also run by the `package` suite of `cargo xtask test`, with a broken variant per check).
//!
//! - `asset-processing-console-ui.apps` (packageType `application`): the clientlib (loader,
//!   styles, the wasm and its glue under content-hashed names, minifiers off), the mount
//!   component, the console page, the Tools entry with typed ancestors (created when missing,
//!   never taken over by the filter), read access for the processing groups (`rep:policy`).
//! - `asset-processing-console-ui.config` (packageType `container`): OSGi configuration only:
//!   `application/wasm` for Sling's MIME type service (`config`), and a repoinit script giving
//!   the same read access where packages cannot set it (`config.author`).
//! - `asset-processing-console-all` (packageType `container`): both, embedded under
//!   `/apps/asset-processing-console-packages/application/install`; what AEM 6.5 installs
//!   through Package Manager and what a Cloud Service project embeds in its own `all`.
//!
//! The checks follow FileVault's own validators where one exists (package types: what each
//! may hold; filter coverage) and the install failures seen in public packages (untyped
//! ancestors of the Tools entry, a MIME configuration written as a factory).

mod checks;
mod variants;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::util::{root, step};

pub use checks::verify;
pub use variants::{broken_variants, failed_checks};

pub const NAME: &str = "asset-processing-console";
const GROUP: &str = "asset-processing";
const APP: &str = "/apps/asset-processing-console";
const PACKAGES_ROOT: &str = "/apps/asset-processing-console-packages";
const INSTALL: &str = "/apps/asset-processing-console-packages/application/install";
const NAV: &str = "/apps/cq/core/content/nav/tools/general/asset-processing-console";
pub const PAGE: &str = "/apps/asset-processing-console/content/asset-processing.html";
const PAGE_NODE: &str = "/apps/asset-processing-console/content/asset-processing";
const CLIENTLIB: &str = "/apps/asset-processing-console/clientlibs/console";
const OSGICONFIG: &str = "/apps/asset-processing-console/osgiconfig";
/// Sling's MIME type service: a singleton component, so its configuration has no `~name`.
const MIME_PID: &str = "org.apache.sling.commons.mime.internal.MimeTypeServiceImpl";
/// Sling repoinit: a factory, so its configuration is named `~asset-processing-console`.
const REPOINIT_PID: &str = "org.apache.sling.jcr.repoinit.RepositoryInitializer";
/// The groups that run processing: built into AEM 6.5 and AEM as a Cloud Service alike, so
/// neither the `rep:policy` nor the repoinit script can meet an unknown principal.
pub const READER_GROUPS: &[&str] = &["administrators", "dam-users"];
/// Both of AEM's clientlib minifiers off (the loader uses `import()`, the CSS custom
/// properties and `:where`).
const PROCESSORS_OFF: &[&str] = &["default:none", "min:none"];
/// The Tools entry's ancestors, typed as ACS AEM Commons ships them: where they do not exist
/// yet FileVault creates them from these, instead of as `nt:folder` (which cannot hold the
/// `nt:unstructured` entry, and the whole install aborts).
const NAV_ANCESTORS: &[(&str, &str)] = &[
    ("/apps/cq", "nt:folder"),
    ("/apps/cq/core", "nt:folder"),
    ("/apps/cq/core/content", "sling:OrderedFolder"),
    ("/apps/cq/core/content/nav", "nt:unstructured"),
    ("/apps/cq/core/content/nav/tools", "nt:unstructured"),
    ("/apps/cq/core/content/nav/tools/general", "nt:unstructured"),
];
/// The node types a docview in these packages may name.
const PRIMARY_TYPES: &[&str] = &[
    "sling:Folder",
    "sling:OrderedFolder",
    "nt:folder",
    "nt:unstructured",
    "cq:ClientLibraryFolder",
    "cq:Component",
    "rep:ACL",
    "rep:GrantACE",
    "rep:DenyACE",
];
/// Where the build's wasm and glue get their names: `asset-processing-console-<hash>`.
const RESOURCE_STEM: &str = "asset-processing-console-";
/// A split build's link module: `apc-split-<build hash>.js`; its chunks are
/// `apc-<split>-<content hash>.wasm` (xtask/src/split.rs).
const SPLIT_LINK_STEM: &str = "apc-split-";

/// A package's files: (path in the ZIP, content).
pub type Files = Vec<(String, Vec<u8>)>;

/// The three packages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    UiApps,
    UiConfig,
    All,
}

impl Role {
    pub const EVERY: [Role; 3] = [Role::UiApps, Role::UiConfig, Role::All];

    pub fn package_name(self) -> String {
        let suffix = match self {
            Role::UiApps => "ui.apps",
            Role::UiConfig => "ui.config",
            Role::All => "all",
        };
        format!("{NAME}-{suffix}")
    }

    pub fn file_name(self, version: &str) -> String {
        format!("{}-{version}.zip", self.package_name())
    }

    fn package_type(self) -> &'static str {
        match self {
            Role::UiApps => "application",
            Role::UiConfig | Role::All => "container",
        }
    }

    /// The subtrees this package owns: a filter root anywhere else would replace content
    /// that belongs to AEM, another package, or another of these three.
    fn owned(self) -> Vec<String> {
        match self {
            Role::UiApps => vec![
                format!("{APP}/clientlibs"),
                format!("{APP}/components"),
                format!("{APP}/content"),
                NAV.to_string(),
            ],
            Role::UiConfig => vec![OSGICONFIG.to_string()],
            Role::All => vec![PACKAGES_ROOT.to_string()],
        }
    }

    fn from_package_name(name: &str) -> Option<Role> {
        Role::EVERY.into_iter().find(|r| r.package_name() == name)
    }
}

pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// Builds the console for AEM into `target/aem/dist`: trunk's release build, whose wasm and
/// glue carry a content hash in their names, the loader with those names written in, and
/// the styles as `console.css` (the name AEM serves the clientlib's CSS under).
pub fn build_dist() -> Result<PathBuf, String> {
    let dist = root().join("target/aem/dist");
    if crate::split::enabled() {
        crate::split::build_into(&dist)?;
    } else {
        build_unsplit(&dist)?;
    }
    finish_dist(dist)
}

fn build_unsplit(dist: &Path) -> Result<(), String> {
    step(
        "building the console for AEM (trunk, release, content-hashed names)",
        || crate::util::trunk_release(dist, None),
    )
}

/// The loader with the build's names written in, the styles as `console.css`, and the frame as
/// `frame.html`.
fn finish_dist(dist: PathBuf) -> Result<PathBuf, String> {
    let (glue, wasm) = build_names(&dist)?;
    let template = std::fs::read_to_string(root().join("aem/loader.js"))
        .map_err(|e| format!("aem/loader.js: {e}"))?;
    std::fs::write(
        dist.join("loader.js"),
        render_loader(&template, &glue, &wasm)?,
    )
    .map_err(|e| format!("loader.js: {e}"))?;
    let css = only_file(&dist, |n| n.starts_with("console-") && n.ends_with(".css"))?;
    std::fs::copy(dist.join(&css), dist.join("console.css")).map_err(|e| format!("{css}: {e}"))?;
    // What the package's mount component paints, for the reference server's AEM look-alike
    // page (`--aem-shell`); the package itself writes it into mount.html.
    std::fs::write(dist.join("frame.html"), painted_frame()?)
        .map_err(|e| format!("frame.html: {e}"))?;
    Ok(dist)
}

/// The one file of `dir` whose name `wanted` accepts.
fn only_file(dir: &Path, wanted: impl Fn(&str) -> bool) -> Result<String, String> {
    let names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| wanted(n))
        .collect();
    match names.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!(
            "{}: expected one matching file, found {names:?}",
            dir.display()
        )),
    }
}

/// A split build's link module and chunks in `dist` (none for a build in one module).
pub fn split_names(dist: &Path) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = std::fs::read_dir(dist)
        .map_err(|e| format!("{}: {e}", dist.display()))?
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| {
            (n.starts_with(SPLIT_LINK_STEM) && n.ends_with(".js"))
                || (n.starts_with("apc-") && n.ends_with(".wasm"))
        })
        .collect();
    names.sort();
    Ok(names)
}

/// The glue and wasm trunk wrote: (`asset-processing-console-<hash>.js`, `…-<hash>_bg.wasm`).
pub fn build_names(dist: &Path) -> Result<(String, String), String> {
    let wasm = only_file(dist, |n| {
        n.starts_with(RESOURCE_STEM) && n.ends_with("_bg.wasm")
    })?;
    let glue = format!("{}.js", wasm.trim_end_matches("_bg.wasm"));
    if !dist.join(&glue).exists() {
        return Err(format!(
            "{}: {glue} is missing beside {wasm}",
            dist.display()
        ));
    }
    Ok((glue, wasm))
}

/// The loader with the build's file names written in.
pub fn render_loader(template: &str, glue: &str, wasm: &str) -> Result<String, String> {
    for slot in ["'@GLUE@'", "'@WASM@'"] {
        if template.matches(slot).count() != 1 {
            return Err(format!("aem/loader.js must hold {slot} exactly once"));
        }
    }
    Ok(template
        .replace("'@GLUE@'", &format!("'{glue}'"))
        .replace("'@WASM@'", &format!("'{wasm}'")))
}

pub fn package(args: &[String]) -> Result<(), String> {
    if let Some(arg) = args.first() {
        return Err(format!("aem-package takes no arguments (got \"{arg}\")"));
    }
    crate::tools::setup()?;
    let dist = build_dist()?;
    let written = write_packages(&dist)?;
    let mut failures = Vec::new();
    for (role, file) in &written {
        let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
        for (check, result) in verify(&bytes) {
            match result {
                Ok(()) => println!("    ok      {}: {check}", role.package_name()),
                Err(e) => {
                    println!("    FAILED  {}: {check}: {e}", role.package_name());
                    failures.push(format!("{}: {check}: {e}", role.package_name()));
                }
            }
        }
    }
    if !failures.is_empty() {
        return Err(format!(
            "the packages are not valid:\n  {}",
            failures.join("\n  ")
        ));
    }
    println!("\nContent packages:");
    for (_, file) in &written {
        println!("  {}", file.display());
    }
    println!(
        "AEM 6.5: install {} with Package Manager (/crx/packmgr), then open Tools → General → Asset Processing",
        Role::All.file_name(version())
    );
    println!("(or {PAGE}). AEM as a Cloud Service: embed it in your project's all package (README, \"Install in AEM\").");
    Ok(())
}

/// Writes the three packages into `target/aem/`: (which, file).
pub fn write_packages(dist: &Path) -> Result<Vec<(Role, PathBuf)>, String> {
    let zips = assemble(&sources(dist, version())?, version())?;
    let mut written = Vec::new();
    for (role, bytes) in zips {
        let out = root().join("target/aem").join(role.file_name(version()));
        std::fs::write(&out, bytes).map_err(|e| format!("{}: {e}", out.display()))?;
        written.push((role, out));
    }
    Ok(written)
}

/// The files of the two packages the `all` embeds.
#[derive(Clone)]
pub struct Sources {
    pub ui_apps: Files,
    pub ui_config: Files,
}

/// ZIPs of the three packages, `all` last (it embeds the other two as they are).
pub fn assemble(sources: &Sources, version: &str) -> Result<Vec<(Role, Vec<u8>)>, String> {
    let apps = zip_files(&sources.ui_apps)?;
    let config = zip_files(&sources.ui_config)?;
    let mut all = vec![
        filter_xml(&[PACKAGES_ROOT]),
        properties_xml(Role::All, version, &[]),
        (
            format!("jcr_root{INSTALL}/{}", Role::UiApps.file_name(version)),
            apps.clone(),
        ),
        (
            format!("jcr_root{INSTALL}/{}", Role::UiConfig.file_name(version)),
            config.clone(),
        ),
    ];
    all.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(vec![
        (Role::UiApps, apps),
        (Role::UiConfig, config),
        (Role::All, zip_files(&all)?),
    ])
}

pub fn zip_files(files: &Files) -> Result<Vec<u8>, String> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in files {
            zip.start_file(name.as_str(), options)
                .map_err(|e| e.to_string())?;
            zip.write_all(bytes).map_err(|e| e.to_string())?;
        }
        zip.finish().map_err(|e| e.to_string())?;
    }
    Ok(out.into_inner())
}

fn filter_xml(roots: &[&str]) -> (String, Vec<u8>) {
    let filters: String = roots
        .iter()
        .map(|r| format!("    <filter root=\"{r}\"/>\n"))
        .collect();
    (
        "META-INF/vault/filter.xml".into(),
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<workspaceFilter version=\"1.0\">\n{filters}</workspaceFilter>\n"
        )
        .into_bytes(),
    )
}

fn properties_xml(role: Role, version: &str, extra: &[(&str, &str)]) -> (String, Vec<u8>) {
    let description = match role {
        Role::UiApps => "Asset Processing Console: the console page, its clientlib and its Tools entry.",
        Role::UiConfig => "Asset Processing Console: OSGi configuration (MIME type of .wasm, read access by repoinit).",
        Role::All => "Asset Processing Console: start, watch and inspect AEM Guides bulk asset processing (ui.apps and ui.config).",
    };
    let extra: String = extra
        .iter()
        .map(|(k, v)| format!("<entry key=\"{k}\">{v}</entry>\n"))
        .collect();
    (
        "META-INF/vault/properties.xml".into(),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE properties SYSTEM "http://java.sun.com/dtd/properties.dtd">
<properties>
<comment>FileVault Package Properties</comment>
<entry key="name">{name}</entry>
<entry key="group">{GROUP}</entry>
<entry key="version">{version}</entry>
<entry key="packageType">{kind}</entry>
<entry key="requiresRoot">false</entry>
{extra}<entry key="description">{description}</entry>
</properties>
"#,
            name = role.package_name(),
            kind = role.package_type(),
        )
        .into_bytes(),
    )
}

/// A `.content.xml` holding only a node type: a typed folder or ancestor.
fn typed(primary_type: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<jcr:root xmlns:sling="http://sling.apache.org/jcr/sling/1.0" xmlns:jcr="http://www.jcp.org/jcr/1.0" xmlns:nt="http://www.jcp.org/jcr/nt/1.0"
    jcr:primaryType="{primary_type}"/>
"#
    )
    .into_bytes()
}

/// A `rep:policy` letting the processing groups read the node (installed on AEM 6.5 with
/// `acHandling=merge_preserve`: ACEs an administrator added stay).
fn read_policy() -> Vec<u8> {
    let entries: String = READER_GROUPS
        .iter()
        .map(|group| {
            format!(
                r#"    <allow-{group}
        jcr:primaryType="rep:GrantACE"
        rep:principalName="{group}"
        rep:privileges="{{Name}}[jcr:read]"/>
"#
            )
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<jcr:root xmlns:jcr="http://www.jcp.org/jcr/1.0" xmlns:rep="internal"
    jcr:primaryType="rep:ACL">
{entries}</jcr:root>
"#
    )
    .into_bytes()
}

/// The repoinit script for AEM as a Cloud Service, where `/apps` is immutable at run time
/// and access is given by repoinit: the paths are created first (typed as the package types
/// them; nothing happens where they exist) so the script never fails on a missing path.
fn repoinit_script() -> Vec<String> {
    let nav_path: String = "/apps".to_string()
        + &NAV_ANCESTORS
            .iter()
            .map(|(path, kind)| format!("/{}({kind})", path.rsplit('/').next().unwrap_or("")))
            .collect::<String>()
        + "/asset-processing-console(nt:unstructured)";
    vec![
        format!("create path (sling:Folder) {PAGE_NODE}(nt:unstructured)"),
        format!("create path {nav_path}"),
        format!("set ACL on {PAGE_NODE},{NAV}"),
        format!("    allow jcr:read for {}", READER_GROUPS.join(",")),
        "end".to_string(),
    ]
}

/// Every file of the two embedded packages, from the AEM build in `dist`.
/// The console's frame as index.html paints it before the wasm has run (between its
/// `frame:start` and `frame:end` marks), for the AEM page to paint the same.
pub fn painted_frame() -> Result<String, String> {
    let page = std::fs::read_to_string(root().join("index.html")).map_err(|e| e.to_string())?;
    frame_of(&page).ok_or_else(|| {
        "index.html has no frame between <!-- frame:start and <!-- frame:end -->".into()
    })
}

fn frame_of(page: &str) -> Option<String> {
    let start = page.find("<!-- frame:start")?;
    let after_comment = start + page[start..].find("-->")? + 3;
    let end = page.find("<!-- frame:end -->")?;
    let frame = page.get(after_comment..end)?.trim();
    frame
        .contains("apc-frame")
        .then(|| format!("    {frame}\n"))
}

pub fn sources(dist: &Path, version: &str) -> Result<Sources, String> {
    let read = |name: &str| {
        std::fs::read(dist.join(name)).map_err(|e| {
            format!(
                "{}: {e} (build the console first)",
                dist.join(name).display()
            )
        })
    };
    let (glue, wasm) = build_names(dist)?;
    let lib = format!("jcr_root{CLIENTLIB}");
    let mut ui_apps: Files = vec![
        filter_xml(&[
            &format!("{APP}/clientlibs"),
            &format!("{APP}/components"),
            &format!("{APP}/content"),
            NAV,
        ]),
        properties_xml(Role::UiApps, version, &[("acHandling", "merge_preserve")]),
        (format!("jcr_root{APP}/.content.xml"), typed("sling:Folder")),
        (
            format!("jcr_root{APP}/clientlibs/.content.xml"),
            typed("sling:Folder"),
        ),
        (
            format!("{lib}/.content.xml"),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?>
<jcr:root xmlns:cq="http://www.day.com/jcr/cq/1.0" xmlns:jcr="http://www.jcp.org/jcr/1.0"
    jcr:primaryType="cq:ClientLibraryFolder"
    allowProxy="{{Boolean}}true"
    categories="[asset-processing-console]"
    cssProcessor="[{off}]"
    jsProcessor="[{off}]"/>
"#,
                off = PROCESSORS_OFF.join(",")
            )
            .into_bytes(),
        ),
        (format!("{lib}/js.txt"), b"#base=.\nloader.js\n".to_vec()),
        (format!("{lib}/css.txt"), b"#base=.\nconsole.css\n".to_vec()),
        (format!("{lib}/loader.js"), read("loader.js")?),
        (format!("{lib}/console.css"), read("console.css")?),
        (format!("{lib}/resources/{glue}"), read(&glue)?),
        (format!("{lib}/resources/{wasm}"), read(&wasm)?),
    ];
    for name in split_names(dist)? {
        ui_apps.push((format!("{lib}/resources/{name}"), read(&name)?));
    }
    ui_apps.extend([
        (format!("jcr_root{APP}/components/.content.xml"), typed("sling:Folder")),
        (
            format!("jcr_root{APP}/components/mount/.content.xml"),
            br#"<?xml version="1.0" encoding="UTF-8"?>
<jcr:root xmlns:cq="http://www.day.com/jcr/cq/1.0" xmlns:jcr="http://www.jcp.org/jcr/1.0"
    jcr:primaryType="cq:Component"
    jcr:title="Asset Processing Console mount point"/>
"#
            .to_vec(),
        ),
        (
            format!("jcr_root{APP}/components/mount/mount.html"),
            format!(
                r#"<!--/* The console mounts here; its routes ride on this page's Sling suffix. The frame
     inside is index.html's, painted before the wasm has run (the console removes it). */-->
<div id="asset-processing-console" data-api-base="" data-base="{PAGE}" data-history-size="25">
{frame}</div>
"#,
                frame = painted_frame()?
            )
            .into_bytes(),
        ),
        (format!("jcr_root{APP}/content/.content.xml"), typed("sling:Folder")),
        (
            format!("jcr_root{PAGE_NODE}/.content.xml"),
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
        (format!("jcr_root{PAGE_NODE}/_rep_policy.xml"), read_policy()),
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
        (format!("jcr_root{NAV}/_rep_policy.xml"), read_policy()),
    ]);
    for (path, kind) in NAV_ANCESTORS {
        ui_apps.push((format!("jcr_root{path}/.content.xml"), typed(kind)));
    }
    ui_apps.sort_by(|a, b| a.0.cmp(&b.0));

    let repoinit = serde_json::to_vec_pretty(
        &serde_json::json!({ "scripts": [repoinit_script().join("\n")] }),
    )
    .map_err(|e| e.to_string())?;
    let mut ui_config: Files = vec![
        filter_xml(&[OSGICONFIG]),
        properties_xml(Role::UiConfig, version, &[]),
        // A typed ancestor, as in ui.apps: whichever package installs first creates it alike.
        (format!("jcr_root{APP}/.content.xml"), typed("sling:Folder")),
        (
            format!("jcr_root{OSGICONFIG}/config/{MIME_PID}.cfg.json"),
            b"{\n  \"mime.types\": [\"application/wasm wasm\"]\n}\n".to_vec(),
        ),
        (
            format!("jcr_root{OSGICONFIG}/config.author/{REPOINIT_PID}~{NAME}.cfg.json"),
            repoinit,
        ),
    ];
    ui_config.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Sources { ui_apps, ui_config })
}

/// A stand-in of the console's build output, for the tests of every part.
#[cfg(test)]
pub(crate) mod stand_in {
    use super::*;

    const HASH: &str = "1f2e3d4c5b6a7988";
    /// A split build's chunk (xtask/src/split.rs).
    pub const CHUNK: &str = "apc-job-chunk-0123456789abcdef.wasm";

    /// The packages' sources from a stand-in of the console's build output.
    pub fn fake_sources() -> Sources {
        // One folder per call: tests run in parallel.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dist = std::env::temp_dir().join(format!("apc-aem-test-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dist).unwrap();
        let glue = format!("{RESOURCE_STEM}{HASH}.js");
        let wasm = format!("{RESOURCE_STEM}{HASH}_bg.wasm");
        let template = std::fs::read_to_string(root().join("aem/loader.js")).unwrap();
        for (name, bytes) in [
            (
                "loader.js".to_string(),
                render_loader(&template, &glue, &wasm).unwrap().into_bytes(),
            ),
            ("console.css".to_string(), b".apc-root{}".to_vec()),
            (glue.clone(), b"export default function(){}".to_vec()),
            (wasm.clone(), b"\0asm\x01\0\0\0".to_vec()),
            (CHUNK.to_string(), b"\0asm\x01\0\0\0".to_vec()),
            (
                format!("{SPLIT_LINK_STEM}{HASH}.js"),
                format!("const c = fetch(new URL(\"./{CHUNK}\", import.meta.url));").into_bytes(),
            ),
        ] {
            std::fs::write(dist.join(name), bytes).unwrap();
        }
        let sources = sources(&dist, version()).unwrap();
        let _ = std::fs::remove_dir_all(&dist);
        sources
    }
}

#[cfg(test)]
mod tests {
    use super::stand_in::fake_sources;
    use super::*;

    #[test]
    fn good_packages_pass_every_check() {
        for (role, bytes) in assemble(&fake_sources(), version()).unwrap() {
            let checks = verify(&bytes);
            assert!(checks.len() >= 8, "{role:?}: {checks:?}");
            for (name, result) in checks {
                assert!(result.is_ok(), "{role:?}: {name}: {result:?}");
            }
        }
    }
    #[test]
    fn the_aem_page_paints_index_htmls_frame() {
        let frame = painted_frame().unwrap();
        assert!(frame.starts_with("    <div class=\"apc-root apc-frame\" aria-hidden=\"true\">"));
        assert!(frame.trim_end().ends_with("</div>"));
        assert!(!frame.contains("frame:"));
        assert_eq!(frame_of("<div>no marks</div>"), None);
        let mount = fake_sources()
            .ui_apps
            .into_iter()
            .find(|(path, _)| path.ends_with("components/mount/mount.html"))
            .map(|(_, bytes)| String::from_utf8(bytes).unwrap())
            .unwrap();
        assert!(mount.contains(&frame), "{mount}");
    }
    #[test]
    fn the_loader_gets_the_builds_names() {
        let template = std::fs::read_to_string(root().join("aem/loader.js")).unwrap();
        let loader = render_loader(&template, "g-1.js", "w-1_bg.wasm").unwrap();
        assert!(loader.contains("var GLUE = 'g-1.js'"));
        assert!(loader.contains("var WASM = 'w-1_bg.wasm'"));
        assert!(render_loader("no slots", "a", "b").is_err());
    }
    #[test]
    fn the_repoinit_script_creates_typed_paths_then_allows_reading() {
        let script = repoinit_script().join("\n");
        assert!(script.contains(
            "create path /apps/cq(nt:folder)/core(nt:folder)/content(sling:OrderedFolder)/nav(nt:unstructured)/tools(nt:unstructured)/general(nt:unstructured)/asset-processing-console(nt:unstructured)\n"
        ));
        assert!(script.contains(
            "create path (sling:Folder) /apps/asset-processing-console/content/asset-processing(nt:unstructured)\n"
        ));
        assert!(script.contains("set ACL on /apps/asset-processing-console/content/asset-processing,/apps/cq/core/content/nav/tools/general/asset-processing-console"));
        assert!(script.contains("allow jcr:read for administrators,dam-users"));
    }
}
