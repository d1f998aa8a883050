//! Running commands and reporting steps, trunk's command line, compressing ahead. Imports
//! nothing else of xtask's: every other module may use it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_path_buf()
}

/// Prints "==> what" and the time taken when `f` returns.
pub fn step<T>(what: &str, f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    println!("==> {what}");
    let started = Instant::now();
    let result = f();
    let secs = started.elapsed().as_secs_f64();
    match &result {
        Ok(_) => println!("    done in {secs:.1} s"),
        Err(_) => println!("    failed after {secs:.1} s"),
    }
    result
}

/// Runs a command, its output shown as it comes; an error names the command.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = describe(cmd);
    let status = cmd
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Runs a command, echoing its standard output line by line and returning it too.
pub fn run_capture(cmd: &mut Command) -> Result<(bool, String), String> {
    let shown = describe(cmd);
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    let mut captured = String::new();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines() {
            let line = line.unwrap_or_default();
            println!("{line}");
            captured.push_str(&line);
            captured.push('\n');
        }
    }
    let status = child.wait().map_err(|e| format!("`{shown}`: {e}"))?;
    Ok((status.success(), captured))
}

/// The first line a command prints on stdout, if it runs at all.
pub fn output_line(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string()
    })
}

pub fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().to_string();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// PATH with the npm-installed tools (wasm-opt) first, as trunk needs them.
pub fn path_with_node_tools() -> std::ffi::OsString {
    let bin = root().join("e2e/node_modules/.bin");
    let mut paths = vec![bin];
    if let Some(p) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&p));
    }
    std::env::join_paths(paths).expect("PATH entries are valid")
}

/// A `trunk` command with the environment it needs to run offline with our pinned tools.
pub fn trunk() -> Command {
    let mut cmd = Command::new("trunk");
    cmd.current_dir(root())
        .env("PATH", path_with_node_tools())
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .env_remove("NO_COLOR");
    cmd
}

/// `trunk build --release --offline` with content-hashed names into `dist`, of the page
/// `target` (trunk's default, `index.html`, when `None`).
pub fn trunk_release(
    dist: &std::path::Path,
    target: Option<&std::path::Path>,
) -> Result<(), String> {
    let mut cmd = trunk();
    cmd.args([
        "build",
        "--release",
        "--offline",
        "--filehash",
        "true",
        // The page and the CSS minified (docs/performance.md: 2.4 KB gzip less).
        "--minify",
        "true",
        "--dist",
    ])
    .arg(dist);
    if let Some(target) = target {
        cmd.arg(target);
    }
    run(&mut cmd)
}

/// gzip at its best level.
pub fn gzip_best(bytes: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes).map_err(|e| e.to_string())?;
    gz.finish().map_err(|e| e.to_string())
}

/// brotli at quality 11 (what a server that compresses ahead sends).
pub fn brotli_best(bytes: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::Write;
    let mut br = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut br, 1 << 16, 11, 22);
        w.write_all(bytes).map_err(|e| e.to_string())?;
    }
    Ok(br)
}

/// Writes `<file>.br` and `<file>.gz` next to each wasm, JS and CSS file of `dir`: compressing
/// on every request costs the server time and sends more bytes (brotli 11 is too slow to do
/// on the fly; the server's own compression uses a faster level).
pub fn precompress(dir: &std::path::Path) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "wasm" | "js" | "css") {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        for (suffix, packed) in [("br", brotli_best(&bytes)?), ("gz", gzip_best(&bytes)?)] {
            let out = path.with_extension(format!("{ext}.{suffix}"));
            std::fs::write(&out, packed).map_err(|e| format!("{}: {e}", out.display()))?;
        }
    }
    Ok(())
}

/// A small content hash (FNV-1a), to tell whether an install matches its lock file.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}
