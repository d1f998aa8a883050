//! Broken variants of the packages: each must be caught by exactly the check it names. Run
//! by the unit tests on a stand-in build and by the `package` suite of `cargo xtask test` on
//! the real one.

use super::checks::{
    verify, CHECK_ACCESS, CHECK_ANCESTORS, CHECK_CLIENTLIB, CHECK_COVERED, CHECK_EMBEDDED,
    CHECK_HASHED, CHECK_MIME, CHECK_OWNED, CHECK_PROCESSORS, CHECK_TYPE, CHECK_VERSION, CHECK_XML,
};
use super::{
    assemble, version, Files, Role, Sources, APP, CLIENTLIB, MIME_PID, NAME, NAV, OSGICONFIG,
    REPOINIT_PID, RESOURCE_STEM, SPLIT_LINK_STEM,
};

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

/// Every broken variant, each caught by the check it names (in this order in the `package`
/// suite's output).
pub fn broken_variants() -> Vec<Variant> {
    [
        node_and_package_types_variants(),
        configuration_and_clientlib_variants(),
        filter_and_access_variants(),
        content_variants(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// What FileVault would abort on or refuse: untyped or mistyped ancestors, content the
/// package type does not allow.
#[rustfmt::skip] // a table: one tampering a line
fn node_and_package_types_variants() -> Vec<Variant> {
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
    ]
}

/// The MIME configuration, the clientlib's minifiers and its hashed names.
#[rustfmt::skip] // a table: one tampering a line
fn configuration_and_clientlib_variants() -> Vec<Variant> {
    vec![
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
    ]
}

/// The filter's coverage and ownership, read access for the processing groups.
#[rustfmt::skip] // a table: one tampering a line
fn filter_and_access_variants() -> Vec<Variant> {
    vec![
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
    ]
}

/// The docviews, the version, the clientlib's files and chunks, the embedded packages.
#[rustfmt::skip] // a table: one tampering a line
fn content_variants() -> Vec<Variant> {
    vec![
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
            what: "a chunk of the split build that the link module does not load",
            verified: Role::UiApps,
            check: CHECK_CLIENTLIB,
            tamper: |s| s.ui_apps.push((resource("apc-extra-0123456789abcdef.wasm"), b"\0asm\x01\0\0\0".to_vec())),
        },
        Variant {
            what: "a chunk of the split build under a fixed name",
            verified: Role::UiApps,
            check: CHECK_HASHED,
            tamper: |s| add_chunk(&mut s.ui_apps, "apc-extra.wasm"),
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

fn resource(name: &str) -> String {
    format!("jcr_root{CLIENTLIB}/resources/{name}")
}

/// Adds a chunk that the split link module loads (the link module is made, under the build's
/// hash, when the build was not split).
fn add_chunk(files: &mut Files, name: &str) {
    let line = format!("\nconst extra = fetch(new URL(\"./{name}\", import.meta.url));\n");
    match files
        .iter_mut()
        .find(|(n, _)| n.contains(&format!("/resources/{SPLIT_LINK_STEM}")))
    {
        Some((_, js)) => js.extend(line.as_bytes()),
        None => {
            let (glue, _) = hashed_names(files);
            let hash = glue
                .trim_start_matches(RESOURCE_STEM)
                .trim_end_matches(".js");
            files.push((
                resource(&format!("{SPLIT_LINK_STEM}{hash}.js")),
                line.into_bytes(),
            ));
        }
    }
    files.push((resource(name), b"\0asm\x01\0\0\0".to_vec()));
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
    use crate::aem::stand_in::fake_sources;

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
}
