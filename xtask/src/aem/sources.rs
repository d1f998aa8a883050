//! Every file of the two packages the `all` embeds: ui.apps (the clientlib, the mount
//! component, the console page, the Tools entry and its typed ancestors, read access) and
//! ui.config (the MIME type of `.wasm`, the repoinit script), with the FileVault metadata
//! of each.

use std::path::Path;

use super::dist::{build_names, painted_frame, split_names};
use super::{
    Files, Role, APP, CLIENTLIB, GROUP, MIME_PID, NAME, NAV, NAV_ANCESTORS, OSGICONFIG, PAGE,
    PAGE_NODE, PROCESSORS_OFF, READER_GROUPS, REPOINIT_PID,
};

/// The files of the two packages the `all` embeds.
#[derive(Clone)]
pub struct Sources {
    pub ui_apps: Files,
    pub ui_config: Files,
}

pub(super) fn filter_xml(roots: &[&str]) -> (String, Vec<u8>) {
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

pub(super) fn properties_xml(
    role: Role,
    version: &str,
    extra: &[(&str, &str)],
) -> (String, Vec<u8>) {
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
    ];
    ui_apps.extend(clientlib(dist)?);
    ui_apps.extend(page_and_tools_entry()?);
    for (path, kind) in NAV_ANCESTORS {
        ui_apps.push((format!("jcr_root{path}/.content.xml"), typed(kind)));
    }
    ui_apps.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Sources {
        ui_apps,
        ui_config: ui_config(version)?,
    })
}

/// The clientlib: its folder, the lists of its JS and CSS, the loader and the styles, the wasm
/// and its glue (and a split build's link module and chunks) as `resources/`.
fn clientlib(dist: &Path) -> Result<Files, String> {
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
    let mut files: Files = vec![
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
        files.push((format!("{lib}/resources/{name}"), read(&name)?));
    }
    Ok(files)
}

/// The mount component, the console page and the Tools entry, each with read access for the
/// processing groups where it needs one.
fn page_and_tools_entry() -> Result<Files, String> {
    Ok(vec![
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
    ])
}

/// ui.config: the MIME type of `.wasm` (all run modes) and the repoinit script (author).
fn ui_config(version: &str) -> Result<Files, String> {
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
    Ok(ui_config)
}

#[cfg(test)]
mod tests {
    use super::*;

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
