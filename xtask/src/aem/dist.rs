//! The console built for AEM into `target/aem/dist`: the release build (split, or trunk alone),
//! the loader with the build's hashed names written in, the styles as `console.css`, and the
//! frame index.html paints before the wasm has run.

use std::path::{Path, PathBuf};

use crate::split;
use crate::util::{root, step, trunk_release};

use super::{RESOURCE_STEM, SPLIT_LINK_STEM};

/// Builds the console for AEM into `target/aem/dist`: trunk's release build, whose wasm and
/// glue carry a content hash in their names, the loader with those names written in, and
/// the styles as `console.css` (the name AEM serves the clientlib's CSS under).
pub fn build_dist() -> Result<PathBuf, String> {
    let dist = root().join("target/aem/dist");
    if split::enabled() {
        split::build_into(&dist)?;
    } else {
        build_unsplit(&dist)?;
    }
    finish_dist(dist)
}

fn build_unsplit(dist: &Path) -> Result<(), String> {
    step(
        "building the console for AEM (trunk, release, content-hashed names)",
        || trunk_release(dist, None),
    )
}

/// The loader with the build's names written in, the styles as `console.css`, and the frame as
/// `frame.html`.
fn finish_dist(dist: PathBuf) -> Result<PathBuf, String> {
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
    // What the package's mount component paints, for the reference server's AEM look-alike
    // page (`--aem-shell`); the package itself writes it into mount.html.
    std::fs::write(dist.join("frame.html"), painted_frame()?)
        .map_err(|e| format!("frame.html: {e}"))?;
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

/// A split build's link module and chunks in `dist` (none for a build in one module).
pub fn split_names(dist: &Path) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = std::fs::read_dir(dist)
        .map_err(|e| format!("{}: {e}", dist.display()))?
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| {
            (n.starts_with(SPLIT_LINK_STEM) && n.ends_with(".js"))
                || (n.starts_with("apc-") && n.ends_with(".wasm"))
        })
        .collect();
    names.sort();
    Ok(names)
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

/// The console's frame as index.html paints it before the wasm has run (between its
/// `frame:start` and `frame:end` marks), for the AEM page to paint the same.
pub fn painted_frame() -> Result<String, String> {
    let page = std::fs::read_to_string(root().join("index.html")).map_err(|e| e.to_string())?;
    frame_of(&page).ok_or_else(|| {
        "index.html has no frame between <!-- frame:start and <!-- frame:end -->".into()
    })
}

fn frame_of(page: &str) -> Option<String> {
    let start = page.find("<!-- frame:start")?;
    let after_comment = start + page[start..].find("-->")? + 3;
    let end = page.find("<!-- frame:end -->")?;
    let frame = page.get(after_comment..end)?.trim();
    frame
        .contains("apc-frame")
        .then(|| format!("    {frame}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aem::stand_in::fake_sources;

    #[test]
    fn the_aem_page_paints_index_htmls_frame() {
        let frame = painted_frame().unwrap();
        assert!(frame.starts_with("    <div class=\"apc-root apc-frame\" aria-hidden=\"true\">"));
        assert!(frame.trim_end().ends_with("</div>"));
        assert!(!frame.contains("frame:"));
        assert_eq!(frame_of("<div>no marks</div>"), None);
        let mount = fake_sources()
            .ui_apps
            .into_iter()
            .find(|(path, _)| path.ends_with("components/mount/mount.html"))
            .map(|(_, bytes)| String::from_utf8(bytes).unwrap())
            .unwrap();
        assert!(mount.contains(&frame), "{mount}");
    }
    #[test]
    fn the_loader_gets_the_builds_names() {
        let template = std::fs::read_to_string(root().join("aem/loader.js")).unwrap();
        let loader = render_loader(&template, "g-1.js", "w-1_bg.wasm").unwrap();
        assert!(loader.contains("var GLUE = 'g-1.js'"));
        assert!(loader.contains("var WASM = 'w-1_bg.wasm'"));
        assert!(render_loader("no slots", "a", "b").is_err());
    }
}
