//! Read access for the processing groups to the console page and the Tools entry: by the
//! package's `rep:policy` (AEM 6.5) and by the repoinit script (AEM as a Cloud Service).

use crate::aem::{NAV, PAGE_NODE, READER_GROUPS, REPOINIT_PID};

use super::config::configurations;
use super::package::{attr, parse, string_array, verdict, Package};

pub(super) fn check_policies(p: &Package) -> Result<(), String> {
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
    verdict(problems)
}

pub(super) fn check_repoinit(p: &Package) -> Result<(), String> {
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
