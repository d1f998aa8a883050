//! The container's OSGi configurations: `application/wasm` on the MIME type service's own PID.

use crate::aem::MIME_PID;

use super::package::{verdict, Package};
use super::package_type::is_installer_file;

/// The OSGi configurations of a container: (file name, JSON), from `.cfg.json` files.
pub(super) fn configurations(p: &Package) -> Vec<(String, Result<serde_json::Value, String>)> {
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

pub(super) fn check_mime(p: &Package) -> Result<(), String> {
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
    verdict(problems)
}
