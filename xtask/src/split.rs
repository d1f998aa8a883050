//! The console's split release build: the first screen (`src/first_screen.rs`: the history's
//! request and its runs, no Leptos) in the main wasm, the app (`src/lazy/app.rs`) and the other
//! pages (`src/lazy/pages.rs`) in chunks fetched after it. trunk 0.21
//! cannot split, so this does what cargo-leptos does:
//!
//! 1. `cargo build --release` for wasm32 with `--cfg apc_split` (turns the lazy pages on) and
//!    `-Clink-args=--emit-relocs` (wasm-split needs the relocations), in its own target dir
//!    (`target/split`) so the different RUSTFLAGS never invalidate the usual builds. Leptos's
//!    `--cfg erase_components` (type-erased views) is left off: it makes the whole build 66 KB
//!    gzip smaller and the first screen 2 KB smaller, but the history renders slower (a
//!    comment node per dynamic text, dynamic calls) and the console starts about 20 ms
//!    later (docs/performance.md). `APC_ERASE=1` builds with it, in `target/split-erase`, to
//!    measure against;
//! 2. `wasm_split_cli_support::transform`: the main module, one `.wasm` per chunk and the
//!    link module `__wasm_split.js` that fetches and instantiates them;
//! 3. `wasm-bindgen --target web --keep-lld-exports` on the main module (the chunks import
//!    the main module's memory, table and functions through those exports);
//! 4. `wasm-opt -Oz` on every wasm (`APC_WASM_NAMES=1` keeps the functions' names, for a
//!    profile);
//! 5. the names: `asset-processing-console-<H>.js` and `…-<H>_bg.wasm` as trunk names them
//!    (the AEM package and the reference server's caching read those), `apc-split-<H>.js` for
//!    the link module, `apc-<split>-<hash>.wasm` per chunk, each hash over the content, `H`
//!    over the whole build (the link module and the glue import each other by name); the
//!    glue and the link module minified by terser;
//! 6. the page: trunk builds `index.html` (styles, icon, `public/`) from a copy of it
//!    without the Rust asset, then the start-up script is written in as trunk writes it.
//!
//! The link module fetches chunks with `WebAssembly.instantiateStreaming`, which refuses a
//! `.wasm` sent with another MIME type than `application/wasm` (AEM without the package's
//! MIME configuration): `patch_link_module` makes it instantiate from the bytes then, as
//! wasm-bindgen's glue does for the main module.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools::WASM_TARGET;
use crate::util::{fnv1a, path_with_node_tools, root, run, step};

/// The name every build of the console's wasm and glue starts with.
pub const STEM: &str = "asset-processing-console";
/// The link module's name in the split output, before it is renamed.
const LINK: &str = "__wasm_split.js";

/// Whether `cargo xtask` builds the console split (the default); `APC_SPLIT=0` builds it
/// with trunk alone, in one module.
pub fn enabled() -> bool {
    std::env::var("APC_SPLIT").map_or(true, |v| v != "0")
}

/// Builds the split console into `dist` (emptied first). Returns the names written.
pub fn build_into(dist: &Path) -> Result<Output, String> {
    let erase = std::env::var("APC_ERASE").is_ok_and(|v| v == "1");
    let work = root().join(if erase {
        "target/split-erase"
    } else {
        "target/split"
    });
    let wasm = step(
        "building the console's wasm (cargo, release, --cfg apc_split)",
        || cargo_build(&work, erase),
    )?;
    let out = work.join("out");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let chunks = step("splitting the wasm (wasm_split_cli_support)", || {
        split(&wasm, &out)
    })?;
    step("wasm-bindgen --target web --keep-lld-exports", || {
        run(Command::new("wasm-bindgen")
            .args(["--target", "web", "--keep-lld-exports", "--no-typescript"])
            .args(["--out-name", STEM, "--out-dir"])
            .arg(&out)
            .arg(out.join("main.wasm")))
    })?;
    let main_wasm = out.join(format!("{STEM}_bg.wasm"));
    step("wasm-opt -Oz on every wasm", || {
        for file in std::iter::once(&main_wasm).chain(&chunks) {
            wasm_opt(file)?;
        }
        Ok(())
    })?;
    step(
        "writing dist (trunk for the page, styles and public/)",
        || {
            page_and_assets(&work, dist)?;
            let output = name_outputs(&out, &main_wasm, &chunks, dist)?;
            write_start_up(dist, &output)?;
            println!(
                "    main {} + {}; chunks {}",
                output.glue,
                output.wasm,
                output.chunks.join(", ")
            );
            Ok(output)
        },
    )
}

/// The names of a split build's files in its dist.
#[derive(Debug, Clone)]
pub struct Output {
    pub glue: String,
    pub wasm: String,
    pub link: String,
    pub chunks: Vec<String>,
}

fn cargo_build(target_dir: &Path, erase: bool) -> Result<PathBuf, String> {
    let mut flags = std::env::var("RUSTFLAGS").unwrap_or_default();
    flags.push_str(" --cfg apc_split -Clink-args=--emit-relocs");
    if erase {
        flags.push_str(" --cfg erase_components");
    }
    run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(root())
            .env("RUSTFLAGS", flags.trim())
            .env("CARGO_TARGET_DIR", target_dir)
            .args(["build", "--release", "--offline", "--target", WASM_TARGET])
            .args(["-p", STEM, "--bin", STEM]),
    )?;
    Ok(target_dir.join(format!("{WASM_TARGET}/release/{STEM}.wasm")))
}

/// Splits `wasm` into `out`: `main.wasm`, the chunks (returned) and the link module.
fn split(wasm: &Path, out: &Path) -> Result<Vec<PathBuf>, String> {
    let input = std::fs::read(wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let main_out = out.join("main.wasm");
    let main_module = format!("./{STEM}.js");
    let mut opts = wasm_split_cli_support::Options::new(&input);
    opts.output_dir = out;
    opts.main_out_path = &main_out;
    opts.main_module = &main_module;
    opts.link_name = "./__wasm_split.js";
    let split =
        wasm_split_cli_support::transform(opts).map_err(|e| format!("wasm-split: {e:?}"))?;
    let mut chunks = split.split_modules;
    chunks.sort();
    if chunks.is_empty() {
        return Err("wasm-split found no split point: is `--cfg apc_split` set?".into());
    }
    for c in &chunks {
        println!(
            "    chunk {}",
            c.file_name().unwrap_or_default().to_string_lossy()
        );
    }
    Ok(chunks)
}

fn wasm_opt(file: &Path) -> Result<(), String> {
    // `APC_WASM_NAMES=1`: keep the functions' names (for a profile; the files grow).
    let names = std::env::var("APC_WASM_NAMES").is_ok_and(|v| v == "1");
    run(Command::new("wasm-opt")
        .env("PATH", path_with_node_tools())
        .arg("-Oz")
        .args(names.then_some("--debuginfo"))
        .arg(file)
        .arg("-o")
        .arg(file))
}

/// trunk's build of `index.html` without its Rust asset: the page, the hashed styles and
/// icon, `public/`. The copy lives in `work` (`target/split`), its `href`s lead back to the
/// root (trunk reads an absolute `href` as relative to the page too).
fn page_and_assets(work: &Path, dist: &Path) -> Result<(), String> {
    let source = std::fs::read_to_string(root().join("index.html"))
        .map_err(|e| format!("index.html: {e}"))?;
    let page = page_without_rust(&source, "../..")?;
    let copy = work.join("index.html");
    std::fs::write(&copy, page).map_err(|e| format!("{}: {e}", copy.display()))?;
    let _ = std::fs::remove_dir_all(dist);
    crate::util::trunk_release(dist, Some(&copy))
}

/// `index.html` without the `<link data-trunk rel="rust" …>` line, each `data-trunk` asset's
/// `href` under `up` (the way from the copy back to the root).
pub fn page_without_rust(source: &str, up: &str) -> Result<String, String> {
    let mut found = false;
    let mut page = String::new();
    for line in source.lines() {
        if line.contains("data-trunk") && line.contains("rel=\"rust\"") {
            found = true;
            continue;
        }
        let line = match (line.contains("data-trunk"), line.split_once("href=\"")) {
            (true, Some((before, after))) if !after.starts_with('/') => {
                format!("{before}href=\"{up}/{after}")
            }
            _ => line.to_string(),
        };
        page.push_str(&line);
        page.push('\n');
    }
    if !found {
        return Err("index.html has no <link data-trunk rel=\"rust\"> to replace".into());
    }
    Ok(page)
}

/// Copies the outputs into `dist` under their final names (see the module's comment).
fn name_outputs(
    out: &Path,
    main_wasm: &Path,
    chunks: &[PathBuf],
    dist: &Path,
) -> Result<Output, String> {
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
    let read_text =
        |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
    let glue_src = read_text(&out.join(format!("{STEM}.js")))?;
    let mut link_src = patch_link_module(&read_text(&out.join(LINK))?)?;
    let mut whole = read(main_wasm)?;
    whole.extend(glue_src.as_bytes());
    let mut chunk_names = Vec::new();
    for chunk in chunks {
        let bytes = read(chunk)?;
        let file = chunk
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let name = chunk_name(&file, &bytes);
        let quoted = format!("\"./{file}\"");
        if !link_src.contains(&quoted) {
            return Err(format!("{LINK} does not name {file}"));
        }
        link_src = link_src.replace(&quoted, &format!("\"./{name}\""));
        write(&dist.join(&name), &bytes)?;
        whole.extend(&bytes);
        chunk_names.push(name);
    }
    whole.extend(link_src.as_bytes());
    let hash = format!("{:016x}", fnv1a(&whole));
    let output = Output {
        glue: format!("{STEM}-{hash}.js"),
        wasm: format!("{STEM}-{hash}_bg.wasm"),
        link: format!("apc-split-{hash}.js"),
        chunks: chunk_names,
    };
    // The glue imports the link module once per split (`import * as import1 from …`); the
    // keys of its imports object stay: they are the wasm's import module names.
    let import = format!("from \"./{LINK}\"");
    if !glue_src.contains(&import) {
        return Err(format!("the glue does not import {LINK}"));
    }
    let glue = glue_src.replace(&import, &format!("from \"./{}\"", output.link));
    let link = replace_once(
        &link_src,
        &format!("\"./{STEM}.js\""),
        &format!("\"./{}\"", output.glue),
    )?;
    write(&dist.join(&output.glue), glue.as_bytes())?;
    write(&dist.join(&output.link), link.as_bytes())?;
    for js in [&output.glue, &output.link] {
        minify_js(&dist.join(js))?;
    }
    write(&dist.join(&output.wasm), &read(main_wasm)?)?;
    Ok(output)
}

/// terser over an ES module, in place: wasm-bindgen writes its glue readable, and trunk's own
/// minifier only sees what trunk builds. Exported names and the import object's keys (the
/// wasm's import names) are properties, which terser leaves alone.
fn minify_js(file: &Path) -> Result<(), String> {
    run(Command::new("terser")
        .env("PATH", path_with_node_tools())
        .arg(file)
        .args(["--module", "--compress", "--mangle", "--output"])
        .arg(file))
}

/// `split_job_chunk_1234.wasm` → `apc-job-chunk-<hash of the bytes>.wasm`.
pub fn chunk_name(file: &str, bytes: &[u8]) -> String {
    let stem = file.trim_end_matches(".wasm");
    let stem = stem.strip_prefix("split_").unwrap_or(stem);
    // `#[lazy]` appends a 20-digit hash of the call site to the split's name: not useful here.
    let stem = match stem.rsplit_once('_') {
        Some((name, tail)) if tail.len() > 8 && tail.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => stem,
    };
    let stem: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("apc-{stem}-{:016x}.wasm", fnv1a(bytes))
}

/// The instantiation that falls back from streaming to the bytes when the `.wasm` comes
/// with another MIME type than `application/wasm`.
const INSTANTIATE: &str = r#"
async function apcInstantiate(src, imports) {
    const response = await src;
    if (!response.ok) {
        throw new Error(`${response.status} ${response.statusText}: ${response.url}`);
    }
    const type = (response.headers.get("Content-Type") || "").split(";")[0].trim();
    if (type === "application/wasm") {
        return WebAssembly.instantiateStreaming(response, imports);
    }
    return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}
"#;

/// Every `WebAssembly.instantiateStreaming(src, imports)` of the link module goes through
/// `apcInstantiate`. An error if there is none (a new wasm_split_cli_support writes its
/// loader otherwise: look again).
pub fn patch_link_module(js: &str) -> Result<String, String> {
    const STREAMING: &str = "WebAssembly.instantiateStreaming(src, imports)";
    if !js.contains(STREAMING) {
        return Err(format!("{LINK} has no `{STREAMING}` to make MIME-tolerant"));
    }
    Ok(format!(
        "{}{INSTANTIATE}",
        js.replace(STREAMING, "apcInstantiate(src, imports)")
    ))
}

fn replace_once(text: &str, from: &str, to: &str) -> Result<String, String> {
    match text.matches(from).count() {
        1 => Ok(text.replacen(from, to, 1)),
        n => Err(format!("expected `{from}` once, found it {n} times")),
    }
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// trunk's start-up, written into the page: the glue and wasm preloaded (and the link
/// module, which the glue imports), then started; `TrunkApplicationStarted` as trunk sends it.
fn write_start_up(dist: &Path, output: &Output) -> Result<(), String> {
    let index = dist.join("index.html");
    let page = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    let Output {
        glue, wasm, link, ..
    } = output;
    let script = format!(
        r#"<script type="module">
import init, * as bindings from '/{glue}';
const wasm = await init({{ module_or_path: '/{wasm}' }});
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent("TrunkApplicationStarted", {{detail: {{wasm}}}}));
</script>
<link rel="modulepreload" href="/{glue}" crossorigin="anonymous"><link rel="modulepreload" href="/{link}" crossorigin="anonymous"><link rel="preload" href="/{wasm}" crossorigin="anonymous" as="fetch" type="application/wasm">"#
    );
    let page = replace_once(&page, "</head>", &format!("{script}</head>"))?;
    write(&index, page.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_loses_only_its_rust_asset_and_its_hrefs_lead_back_to_the_root() {
        let source = "<head>\n  <link data-trunk rel=\"css\" href=\"style/console.css\">\n  \
                      <link data-trunk rel=\"rust\" data-bin=\"x\">\n  <link rel=\"x\" href=\"a.b\">\n</head>\n";
        let page = page_without_rust(source, "../..").unwrap();
        assert!(page.contains("href=\"../../style/console.css\""));
        assert!(!page.contains("rel=\"rust\""));
        assert!(page.contains("<link rel=\"x\" href=\"a.b\">"));
        assert!(page_without_rust("<head></head>", "..").is_err());
    }

    #[test]
    fn chunk_names_keep_the_split_and_hash_the_content() {
        let a = chunk_name("split_job_chunk_12345678901234567890.wasm", b"a");
        assert!(a.starts_with("apc-job-chunk-"), "{a}");
        assert!(a.ends_with(".wasm"));
        assert_ne!(
            a,
            chunk_name("split_job_chunk_12345678901234567890.wasm", b"b")
        );
        assert!(chunk_name("chunk_3_report_chunk_1.wasm", b"a")
            .starts_with("apc-chunk-3-report-chunk-1-"));
    }

    #[test]
    fn the_link_module_instantiates_from_the_bytes_when_the_mime_type_is_wrong() {
        let js = "const x = async (imports) => (WebAssembly.instantiateStreaming(src, imports));";
        let patched = patch_link_module(js).unwrap();
        assert!(!patched.contains("WebAssembly.instantiateStreaming(src, imports)"));
        assert!(patched.contains("apcInstantiate(src, imports)"));
        assert!(patched.contains("WebAssembly.instantiate(await response.arrayBuffer(), imports)"));
        assert!(patch_link_module("nothing").is_err());
    }
}
