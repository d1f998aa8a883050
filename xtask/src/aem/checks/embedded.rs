//! The `all` package: both embedded packages there, each passing its own checks, their filter
//! roots disjoint.

use crate::aem::{version, Role, INSTALL};

use super::package::{is_at_or_below, read_package, verdict, Package};
use super::verify;

pub(super) fn check_embedded(p: &Package) -> Result<(), String> {
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
    verdict(problems)
}
