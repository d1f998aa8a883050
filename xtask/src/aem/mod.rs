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
//!
//! Here: where everything goes (paths, PIDs, groups), the three packages (`Role`), the
//! command and the ZIPs. `dist.rs` builds the console for AEM, `sources.rs` writes every
//! file of the packages, `checks/` reads a ZIP back and checks it, `variants.rs` breaks the
//! packages once per check.

mod checks;
mod dist;
mod sources;
mod variants;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::util::root;

pub use checks::verify;
pub use dist::build_dist;
pub use sources::{sources, Sources};
pub use variants::{broken_variants, failed_checks};

use sources::{filter_xml, properties_xml};

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

/// A stand-in of the console's build output, for the tests of every part.
#[cfg(test)]
pub(crate) mod stand_in {
    use super::dist::render_loader;
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
}
