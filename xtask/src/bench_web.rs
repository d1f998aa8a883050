//! The console's half of `cargo xtask bench` (the top of `bench.rs` says what it measures and
//! how a Playwright spec in `e2e/bench/` adds figures): the builds it measures, the download
//! size and where the wasm's bytes go. The browser benchmarks are `bench_browser.rs`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

use crate::bench_common::Figure;
use crate::console;
use crate::server::work_dir;
use crate::tools::ensure_twiggy;
use crate::util::{path_with_node_tools, root, run, step, trunk};

/// Items of the wasm size profile shown.
const PROFILE_TOP: usize = 15;

/// Builds what the browser benchmarks measure: the console (`dist/`), the minimal Leptos app
/// (`target/minimal-leptos/dist`), and installs twiggy. Returns the minimal app's dist.
pub fn build() -> Result<PathBuf, String> {
    console::build()?;
    let minimal = root().join("bench/minimal-leptos");
    let target = root().join("target/minimal-leptos");
    let dist = target.join("dist");
    step(
        "building the minimal Leptos app (bench/minimal-leptos, trunk, release)",
        || {
            run(Command::new(env!("CARGO"))
                .args(["fetch", "--quiet", "--manifest-path"])
                .arg(minimal.join("Cargo.toml")))?;
            run(trunk()
                .current_dir(&minimal)
                .env("CARGO_TARGET_DIR", &target)
                .args(["build", "--release", "--offline", "--dist"])
                .arg(&dist))?;
            // Served like the console: compressed ahead.
            crate::util::precompress(&dist)
        },
    )?;
    step("twiggy (wasm size profiler)", ensure_twiggy)?;
    Ok(dist)
}

/// KB as the goal counts them (1,000 bytes).
fn kb(bytes: u64) -> f64 {
    bytes as f64 / 1_000.0
}

#[derive(Default, Clone, Copy)]
struct Sizes {
    raw: u64,
    gzip: u64,
    brotli: u64,
}

fn compressed_sizes(bytes: &[u8]) -> Result<Sizes, String> {
    Ok(Sizes {
        raw: bytes.len() as u64,
        gzip: crate::util::gzip_best(bytes)?.len() as u64,
        brotli: crate::util::brotli_best(bytes)?.len() as u64,
    })
}

/// The wasm, JS and CSS files at the top of `dist` (the whole console: a split build's main
/// module and every chunk; `public/` holds only the favicon), with their sizes. What the page
/// loads before the history shows is measured in the browser (`e2e/bench/firstscreen.spec.ts`).
fn bundle(dist: &Path) -> Result<Vec<(String, Sizes)>, String> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if path.is_file() && matches!(ext, "wasm" | "js" | "css") {
            let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            files.push((name, compressed_sizes(&bytes)?));
        }
    }
    files.sort_by_key(|(_, sizes)| std::cmp::Reverse(sizes.raw));
    if !files.iter().any(|(n, _)| n.ends_with(".wasm")) {
        return Err(format!("no .wasm in {}: did trunk build?", dist.display()));
    }
    Ok(files)
}

fn total(files: &[(String, Sizes)]) -> Sizes {
    files.iter().fold(Sizes::default(), |t, (_, s)| Sizes {
        raw: t.raw + s.raw,
        gzip: t.gzip + s.gzip,
        brotli: t.brotli + s.brotli,
    })
}

fn kind(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// Download sizes of the console and of the minimal app.
pub fn bundle_figures(minimal_dist: &Path, figures: &mut Vec<Figure>) -> Result<(), String> {
    let console = bundle(&root().join("dist"))?;
    let minimal = bundle(minimal_dist)?;
    let (c, m) = (total(&console), total(&minimal));
    let detail = console
        .iter()
        .map(|(n, s)| {
            format!(
                "{} {:.1} / {:.1} / {:.1} KB",
                kind(n),
                kb(s.raw),
                kb(s.gzip),
                kb(s.brotli)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let detail = format!("raw / gzip -9 / brotli 11: {detail}");
    for (what, v) in [("raw", c.raw), ("gzip -9", c.gzip), ("brotli 11", c.brotli)] {
        figures.push(Figure {
            name: format!("console, whole build (wasm incl. every chunk, JS, CSS), {what}"),
            value: kb(v),
            unit: "KB".into(),
            goal: None,
            meets_goal: None,
            detail: detail.clone(),
        });
    }
    figures.push(Figure {
        name: "minimal Leptos app download (wasm + JS), gzip -9".into(),
        value: kb(m.gzip),
        unit: "KB".into(),
        goal: None,
        meets_goal: None,
        detail: format!(
            "for scale (router, gloo-net, serde_json); raw {:.1} KB, brotli {:.1} KB",
            kb(m.raw),
            kb(m.brotli)
        ),
    });
    Ok(())
}

/// Where the wasm's bytes go: twiggy over the console's wasm built exactly as trunk built it
/// (the same cargo output, wasm-bindgen, wasm-opt -Oz) but with the names section kept
/// (`--keep-debug`, `-g`), which trunk's release output strips. The names are not counted in
/// the shares. Returns the report's `wasmProfile`.
pub fn size_profile() -> Result<Value, String> {
    // A split build: its main module (the first screen), before wasm-bindgen.
    let split = crate::split::enabled();
    let wasm = if split {
        root().join("target/split/out/main.wasm")
    } else {
        root().join("target/wasm32-unknown-unknown/release/asset-processing-console.wasm")
    };
    if !wasm.exists() {
        return Err(format!(
            "{} is missing: did the console build?",
            wasm.display()
        ));
    }
    let out = work_dir("bench").join("wasm-profile");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    run(Command::new("wasm-bindgen")
        .args(["--keep-debug", "--target", "web"])
        .args(split.then_some("--keep-lld-exports"))
        .args(["--out-name", "asset-processing-console", "--out-dir"])
        .arg(&out)
        .arg(&wasm))?;
    let profiled = out.join("profiled.wasm");
    run(Command::new("wasm-opt")
        .env("PATH", path_with_node_tools())
        .args(["-Oz", "-g"])
        .arg(out.join("asset-processing-console_bg.wasm"))
        .arg("-o")
        .arg(&profiled))?;
    let json_file = out.join("twiggy-top.json");
    run(Command::new("twiggy")
        .args(["top", "-f", "json", "-o"])
        .arg(&json_file)
        .arg(&profiled))?;
    let items: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&json_file).map_err(|e| e.to_string())?)
            .map_err(|e| format!("twiggy's JSON: {e}"))?;
    let items: Vec<(String, u64)> = items
        .iter()
        .filter_map(|i| Some((i["name"].as_str()?.to_string(), i["shallow_size"].as_u64()?)))
        .filter(|(name, _)| !is_names_section(name))
        .collect();
    let code: u64 = items.iter().map(|(_, s)| s).sum();
    if code == 0 {
        return Err("twiggy found nothing in the wasm".into());
    }
    let share = |s: u64| 100.0 * s as f64 / code as f64;
    let mut by_crate: Vec<(String, u64)> = Vec::new();
    for (name, size) in &items {
        let c = crate_of(name);
        match by_crate.iter_mut().find(|(n, _)| *n == c) {
            Some((_, t)) => *t += size,
            None => by_crate.push((c, *size)),
        }
    }
    by_crate.sort_by_key(|(_, size)| std::cmp::Reverse(*size));
    println!(
        "    wasm size profile (twiggy {}, names not counted): {:.1} KB",
        crate::tools::TWIGGY,
        kb(code)
    );
    println!("    {:>9} {:>6}  largest items", "bytes", "share");
    for (name, size) in items.iter().take(PROFILE_TOP) {
        println!(
            "    {size:>9} {:>5.1}%  {}",
            share(*size),
            shorten(name, 110)
        );
    }
    println!(
        "    {:>9} {:>6}  by crate (first path segment)",
        "bytes", "share"
    );
    for (name, size) in by_crate.iter().take(PROFILE_TOP) {
        println!("    {size:>9} {:>5.1}%  {name}", share(*size));
    }
    let list = |v: &[(String, u64)]| {
        v.iter()
            .take(PROFILE_TOP)
            .map(|(n, s)| json!({"name": n, "bytes": s, "share": share(*s)}))
            .collect::<Vec<_>>()
    };
    Ok(json!({
        "tool": format!("twiggy {}", crate::tools::TWIGGY),
        "input": if split {
            "the console's main wasm (the first screen) as the split build makes it, names kept (wasm-bindgen --keep-debug, wasm-opt -Oz -g)"
        } else {
            "the console's wasm as trunk builds it, names kept (wasm-bindgen --keep-debug, wasm-opt -Oz -g)"
        },
        "bytesWithoutNames": code,
        "top": list(&items),
        "byCrate": list(&by_crate),
    }))
}

fn is_names_section(name: &str) -> bool {
    name.ends_with("subsection") || name.starts_with("custom section")
}

/// The crate an item belongs to, from its demangled name: `<tachys::x::Y as Z>::f` is
/// tachys, `data segment ".rodata"` is data; `<T as …>` (blanket impls) stays `T`.
fn crate_of(name: &str) -> String {
    if name.starts_with("data segment") {
        return "(data segments: strings, tables)".into();
    }
    let mut n = name.trim_start_matches(['<', '&', '*', '(', '[']);
    for prefix in ["mut ", "dyn ", "const "] {
        n = n.trim_start_matches(prefix);
    }
    let ident: String = n
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    match ident.as_str() {
        "" => "(other)".into(),
        "T" | "F" | "V" | "A" | "B" => format!("<{ident} as …> (blanket impls)"),
        _ => ident,
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        s.chars().take(max - 1).collect::<String>() + "…"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_crates_of_demangled_items() {
        assert_eq!(
            crate_of("<tachys::html::X as tachys::view::Render>::build::h1"),
            "tachys"
        );
        assert_eq!(
            crate_of("reactive_graph::owner::Owner::new::h2"),
            "reactive_graph"
        );
        assert_eq!(
            crate_of("<dlmalloc[e24a27700634d609]::dlmalloc::Dlmalloc>::malloc"),
            "dlmalloc"
        );
        assert_eq!(
            crate_of("<&mut serde_json::de::Deserializer<R>>::f"),
            "serde_json"
        );
        assert_eq!(
            crate_of("data segment \".rodata.50\""),
            "(data segments: strings, tables)"
        );
        assert!(crate_of("<T as tachys::view::any_view::IntoAny>::into_any").contains("blanket"));
        assert!(is_names_section("\"function names\" subsection"));
    }

    #[test]
    fn compresses() {
        let s = compressed_sizes(&[b'a'; 10_000]).unwrap();
        assert_eq!(s.raw, 10_000);
        assert!(s.gzip < 100 && s.brotli < 100);
    }
}
