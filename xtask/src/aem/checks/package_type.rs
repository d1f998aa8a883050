//! What the package type (FileVault's `application` and `container`) allows the package to
//! hold, and the version in properties.xml.

use crate::aem::version;

use super::nodes::Node;
use super::package::{is_at_or_below, verdict, Package};

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

pub(super) fn is_installer_file(path: &str) -> bool {
    is_installer_path(path)
        && [".jar", ".config", ".cfg", ".cfg.json"]
            .iter()
            .any(|ext| path.ends_with(ext))
}

pub(super) fn check_type(p: &Package, nodes: &[Node]) -> Result<(), String> {
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
    verdict(problems)
}

pub(super) fn check_version(p: &Package) -> Result<(), String> {
    match p.property("version") {
        Some(v) if v == version() => Ok(()),
        Some(v) => Err(format!(
            "properties.xml says version {v}, the crate is {}",
            version()
        )),
        None => Err("properties.xml has no version".into()),
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
