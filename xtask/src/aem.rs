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

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::util::{root, run, step, trunk};

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
    step(
        "building the console for AEM (trunk, release, content-hashed names)",
        || {
            run(trunk()
                .args([
                    "build",
                    "--release",
                    "--offline",
                    "--filehash",
                    "true",
                    "--dist",
                ])
                .arg(&dist))
        },
    )?;
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
        (format!("jcr_root{APP}/clientlibs/.content.xml"), typed("sling:Folder")),
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
                r#"<!--/* The console mounts here; its routes ride on this page's Sling suffix. */-->
<div id="asset-processing-console" data-api-base="" data-base="{PAGE}" data-history-size="25"></div>
"#
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
    ];
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

// ---------------------------------------------------------------------------------------
// The checks

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
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes)
            .map_err(|e| format!("{}: {e}", f.name()))?;
        files.push((f.name().to_string(), bytes));
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
    let wasm: Vec<_> = resources
        .iter()
        .filter(|(n, _)| n.ends_with(".wasm"))
        .collect();
    let glue: Vec<_> = resources
        .iter()
        .filter(|(n, _)| n.ends_with(".js"))
        .collect();
    match wasm.as_slice() {
        [(name, bytes)] if !bytes.starts_with(b"\0asm") => {
            problems.push(format!("resources/{name} is not WebAssembly"))
        }
        [_] => {}
        other => problems.push(format!(
            "resources/ holds {} .wasm files, not one",
            other.len()
        )),
    }
    match glue.as_slice() {
        [(_, bytes)] if !bytes.is_empty() => {}
        other => problems.push(format!(
            "resources/ holds {} non-empty .js files, not one",
            other.iter().filter(|(_, b)| !b.is_empty()).count()
        )),
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// The hash in `asset-processing-console-<hash>.js` / `…-<hash>_bg.wasm`.
fn build_hash(name: &str) -> Option<&str> {
    let stem = name.strip_prefix(RESOURCE_STEM)?;
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
    for n in names.iter().filter(|n| build_hash(n).is_none()) {
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
    for n in &names {
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

// ---------------------------------------------------------------------------------------
// Broken variants: each must be caught by exactly the check it names. Run by the unit tests
// on a stand-in build and by the `package` suite of `cargo xtask test` on the real one.

pub struct Variant {
    pub what: &'static str,
    /// The package whose checks must catch it.
    pub verified: Role,
    /// The one check that must fail.
    pub check: &'static str,
    pub tamper: fn(&mut Sources),
}

fn edit(files: &mut Files, name_ends: &str, f: impl Fn(String) -> String) {
    let mut found = false;
    for (n, b) in files.iter_mut() {
        if n.ends_with(name_ends) {
            *b = f(String::from_utf8_lossy(b).to_string()).into_bytes();
            found = true;
        }
    }
    assert!(found, "no file ends with {name_ends}");
}

fn rename(files: &mut Files, from_ends: &str, to: impl Fn(&str) -> String) {
    for (n, _) in files.iter_mut() {
        if n.ends_with(from_ends) {
            *n = to(n);
        }
    }
}

pub fn broken_variants() -> Vec<Variant> {
    vec![
        Variant {
            what: "the Tools entry's ancestors shipped without .content.xml",
            verified: Role::UiApps,
            check: CHECK_ANCESTORS,
            tamper: |s| s.ui_apps.retain(|(n, _)| !n.starts_with("jcr_root/apps/cq/") || n.contains("/asset-processing-console/")),
        },
        Variant {
            what: "Tools → General typed nt:folder, which cannot hold the nt:unstructured entry",
            verified: Role::UiApps,
            check: CHECK_ANCESTORS,
            tamper: |s| edit(&mut s.ui_apps, "/tools/general/.content.xml", |t| t.replace("nt:unstructured", "nt:folder")),
        },
        Variant {
            what: "a typed ancestor that sets a title over /libs's Tools → General",
            verified: Role::UiApps,
            check: CHECK_ANCESTORS,
            tamper: |s| edit(&mut s.ui_apps, "/tools/general/.content.xml", |t| t.replace("jcr:primaryType=", "jcr:title=\"Mine\" jcr:primaryType=")),
        },
        Variant {
            what: "an OSGi configuration inside the application package",
            verified: Role::UiApps,
            check: CHECK_TYPE,
            tamper: |s| s.ui_apps.push((
                format!("jcr_root{APP}/components/config/{MIME_PID}.cfg.json"),
                b"{\"mime.types\": [\"application/wasm wasm\"]}".to_vec(),
            )),
        },
        Variant {
            what: "a sub-package inside the application package",
            verified: Role::UiApps,
            check: CHECK_TYPE,
            tamper: |s| s.ui_apps.push((format!("jcr_root{APP}/components/install/other.zip"), b"PK".to_vec())),
        },
        Variant {
            what: "include/exclude rules in the application package's filter",
            verified: Role::UiApps,
            check: CHECK_TYPE,
            tamper: |s| edit(&mut s.ui_apps, "filter.xml", |t| t.replacen(
                &format!("<filter root=\"{APP}/content\"/>"),
                &format!("<filter root=\"{APP}/content\"><exclude pattern=\"{APP}/content/other\"/></filter>"),
                1,
            )),
        },
        Variant {
            what: "the application package without a packageType",
            verified: Role::UiApps,
            check: CHECK_TYPE,
            tamper: |s| edit(&mut s.ui_apps, "properties.xml", |t| t.replace("<entry key=\"packageType\">application</entry>\n", "")),
        },
        Variant {
            what: "a plain file inside the configuration container",
            verified: Role::UiConfig,
            check: CHECK_TYPE,
            tamper: |s| s.ui_config.push((format!("jcr_root{OSGICONFIG}/readme.txt"), b"x".to_vec())),
        },
        Variant {
            what: "the MIME configuration written as a factory configuration (~name)",
            verified: Role::UiConfig,
            check: CHECK_MIME,
            tamper: |s| rename(&mut s.ui_config, &format!("{MIME_PID}.cfg.json"), |n| n.replace(&format!("{MIME_PID}.cfg.json"), &format!("{MIME_PID}~{NAME}.cfg.json"))),
        },
        Variant {
            what: "the MIME configuration without application/wasm",
            verified: Role::UiConfig,
            check: CHECK_MIME,
            tamper: |s| edit(&mut s.ui_config, &format!("{MIME_PID}.cfg.json"), |t| t.replace("application/wasm wasm", "application/x-wasm wasm")),
        },
        Variant {
            what: "the clientlib's JS minifier left on",
            verified: Role::UiApps,
            check: CHECK_PROCESSORS,
            tamper: |s| edit(&mut s.ui_apps, "clientlibs/console/.content.xml", |t| t.replace("jsProcessor=", "x-jsProcessor=")),
        },
        Variant {
            what: "the clientlib's CSS minifier set to YUI",
            verified: Role::UiApps,
            check: CHECK_PROCESSORS,
            tamper: |s| edit(&mut s.ui_apps, "clientlibs/console/.content.xml", |t| t.replace("cssProcessor=\"[default:none,min:none]\"", "cssProcessor=\"[default:none,min:yui]\"")),
        },
        Variant {
            what: "the wasm and its glue under fixed names",
            verified: Role::UiApps,
            check: CHECK_HASHED,
            tamper: |s| {
                let (glue, wasm) = hashed_names(&s.ui_apps);
                rename(&mut s.ui_apps, &glue, |n| n.replace(&glue, "asset-processing-console.js"));
                rename(&mut s.ui_apps, &wasm, |n| n.replace(&wasm, "asset-processing-console_bg.wasm"));
                edit(&mut s.ui_apps, "/loader.js", |t| {
                    t.replace(&glue, "asset-processing-console.js").replace(&wasm, "asset-processing-console_bg.wasm")
                });
            },
        },
        Variant {
            what: "a loader that names another build's wasm",
            verified: Role::UiApps,
            check: CHECK_HASHED,
            tamper: |s| {
                let (_, wasm) = hashed_names(&s.ui_apps);
                edit(&mut s.ui_apps, "/loader.js", |t| t.replace(&wasm, "asset-processing-console-0000000000000000_bg.wasm"));
            },
        },
        Variant {
            what: "a file outside every filter root",
            verified: Role::UiApps,
            check: CHECK_COVERED,
            tamper: |s| s.ui_apps.push(("jcr_root/apps/other-app/stray.txt".into(), b"x".to_vec())),
        },
        Variant {
            what: "a filter root over all of Tools → General (would wipe the other entries)",
            verified: Role::UiApps,
            check: CHECK_OWNED,
            tamper: |s| edit(&mut s.ui_apps, "filter.xml", |t| t.replace(&format!("root=\"{NAV}\""), "root=\"/apps/cq/core/content/nav/tools/general\"")),
        },
        Variant {
            what: "the application package's filter over the whole app (would wipe ui.config's configuration)",
            verified: Role::UiApps,
            check: CHECK_OWNED,
            tamper: |s| edit(&mut s.ui_apps, "filter.xml", |t| t.replace(&format!("root=\"{APP}/content\""), &format!("root=\"{APP}\""))),
        },
        Variant {
            what: "no read access for dam-users on the console page",
            verified: Role::UiApps,
            check: CHECK_ACCESS,
            tamper: |s| edit(&mut s.ui_apps, "asset-processing/_rep_policy.xml", |t| t.replace("rep:principalName=\"dam-users\"", "rep:principalName=\"everyone-else\"")),
        },
        Variant {
            what: "the rep:policy ignored on install (no acHandling)",
            verified: Role::UiApps,
            check: CHECK_ACCESS,
            tamper: |s| edit(&mut s.ui_apps, "properties.xml", |t| t.replace("<entry key=\"acHandling\">merge_preserve</entry>\n", "")),
        },
        Variant {
            what: "no repoinit script for AEM as a Cloud Service",
            verified: Role::UiConfig,
            check: CHECK_ACCESS,
            tamper: |s| s.ui_config.retain(|(n, _)| !n.contains(REPOINIT_PID)),
        },
        Variant {
            what: "a .content.xml that is not well-formed",
            verified: Role::UiApps,
            check: CHECK_XML,
            tamper: |s| edit(&mut s.ui_apps, "components/mount/.content.xml", |t| t.replace("/>\n", ">\n")),
        },
        Variant {
            what: "properties.xml with another version",
            verified: Role::UiConfig,
            check: CHECK_VERSION,
            tamper: |s| edit(&mut s.ui_config, "properties.xml", |t| t.replace(&format!(">{}<", version()), ">0.0.0-old<")),
        },
        Variant {
            what: "the clientlib without its wasm",
            verified: Role::UiApps,
            check: CHECK_CLIENTLIB,
            tamper: |s| s.ui_apps.retain(|(n, _)| !n.ends_with(".wasm")),
        },
        Variant {
            what: "an embedded package that fails its own checks",
            verified: Role::All,
            check: CHECK_EMBEDDED,
            tamper: |s| s.ui_config.retain(|(n, _)| !n.contains(MIME_PID)),
        },
    ]
}

/// (glue, wasm) file names in ui.apps's resources.
fn hashed_names(files: &Files) -> (String, String) {
    let name = |ext: &str| {
        files
            .iter()
            .filter_map(|(n, _)| {
                n.rsplit('/')
                    .next()
                    .filter(|f| f.starts_with(RESOURCE_STEM) && f.ends_with(ext))
            })
            .next()
            .expect("a hashed resource")
            .to_string()
    };
    (name(".js"), name(".wasm"))
}

/// Builds the variant from `sources` and names the checks that failed.
pub fn failed_checks(sources: &Sources, variant: &Variant) -> Result<Vec<&'static str>, String> {
    let mut broken = sources.clone();
    (variant.tamper)(&mut broken);
    let zips = assemble(&broken, version())?;
    let (_, bytes) = zips
        .iter()
        .find(|(r, _)| *r == variant.verified)
        .ok_or("no such package")?;
    Ok(verify(bytes)
        .into_iter()
        .filter(|(_, r)| r.is_err())
        .map(|(n, _)| n)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "1f2e3d4c5b6a7988";

    /// The packages' sources from a stand-in of the console's build output.
    fn fake_sources() -> Sources {
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
        ] {
            std::fs::write(dist.join(name), bytes).unwrap();
        }
        let sources = sources(&dist, version()).unwrap();
        let _ = std::fs::remove_dir_all(&dist);
        sources
    }

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
    fn each_check_catches_its_broken_variant() {
        let sources = fake_sources();
        for variant in broken_variants() {
            assert_eq!(
                failed_checks(&sources, &variant).unwrap(),
                vec![variant.check],
                "{}",
                variant.what
            );
        }
    }

    #[test]
    fn every_check_has_a_broken_variant() {
        let caught: Vec<&str> = broken_variants().iter().map(|v| v.check).collect();
        for check in [
            CHECK_COVERED,
            CHECK_OWNED,
            CHECK_XML,
            CHECK_ANCESTORS,
            CHECK_TYPE,
            CHECK_VERSION,
            CHECK_CLIENTLIB,
            CHECK_HASHED,
            CHECK_PROCESSORS,
            CHECK_ACCESS,
            CHECK_MIME,
            CHECK_EMBEDDED,
        ] {
            assert!(caught.contains(&check), "no variant for: {check}");
        }
    }

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
