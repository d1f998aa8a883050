//! The filter: every file is under a root (or types an ancestor of one), and no root would
//! replace content the package does not own.

use super::nodes::node_path;
use super::package::{is_at_or_below, Package};

pub(super) fn check_covered(p: &Package) -> Result<(), String> {
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

pub(super) fn check_owned(p: &Package) -> Result<(), String> {
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
