//! The nodes FileVault would create from a package: every docview well-formed with a known
//! node type, the ancestors of the filter roots typed (and setting nothing), every node's
//! parent able to hold it.

use crate::aem::{Files, PRIMARY_TYPES};

use super::package::{attr, parse, verdict, Package};

/// The repository path a file of the package stands for: a `.content.xml` its folder's node,
/// `_rep_policy.xml` the folder's `rep:policy`, any other file itself.
pub(super) fn node_path(entry: &str) -> Option<String> {
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
pub(super) struct Node {
    pub(super) path: String,
    pub(super) primary_type: String,
    /// Properties besides the node type (a typed ancestor must have none).
    pub(super) properties: Vec<String>,
    /// Described by a `.content.xml` root element (not a plain folder or a file).
    pub(super) described: bool,
}

/// Every node the package would create, with its type: `.content.xml` and the elements in
/// it, files as `nt:file`, folders without a `.content.xml` as `nt:folder` (what FileVault
/// creates for them). Access control (`rep:policy`) is left out: FileVault's ACL handling
/// imports it, not the node importer. A docview that does not parse is left out too (the
/// docview check reports it).
pub(super) fn nodes(files: &Files) -> Vec<Node> {
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
pub(super) fn check_docviews(p: &Package) -> Result<(), String> {
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
    verdict(problems)
}

pub(super) fn check_ancestors(p: &Package, nodes: &[Node]) -> Result<(), String> {
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
    verdict(problems)
}
