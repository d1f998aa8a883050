//! Every tool the project uses, its pinned version, and how `cargo xtask setup` installs it.
//! This file is the one place versions are pinned; the npm ones are also written in
//! `e2e/package.json` (npm needs them there) and a test checks both agree.
//!
//! What works on this kind of machine is in `docs/toolchain.md`: trunk 0.21 (0.22 needs a
//! newer rustc), the wasm-bindgen CLI of the exact version in Cargo.lock, wasm-opt from npm's
//! `binaryen` (Debian's is too old), Debian's Chromium and chromedriver.

use std::path::Path;
use std::process::Command;

use crate::util::{fnv1a, output_line, root, run, step};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const TRUNK: &str = "0.21.14";
/// npm packages (exact versions, as in e2e/package.json).
pub const NPM_PACKAGES: &[(&str, &str)] = &[
    ("@playwright/test", "1.65.1"),
    ("@axe-core/playwright", "4.14.0"),
    ("binaryen", "132.0.0"),
    ("lighthouse", "12.2.3"),
    // Minifies the split build's glue and link module (xtask/src/split.rs).
    ("terser", "5.51.4"),
];
/// The wasm size profiler of `cargo xtask bench` (crates.io). Only the benchmark installs it,
/// so `setup` and `test` stay as fast as they were.
pub const TWIGGY: &str = "0.8.0";
/// PyPI: the API fuzzer, in its own virtual environment under target/tools.
pub const SCHEMATHESIS: &str = "4.32.5";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The wasm-bindgen version Cargo.lock resolved: the CLI must be exactly this one.
pub fn wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    lock_version(&lock, "wasm-bindgen")
        .ok_or_else(|| "Cargo.lock has no wasm-bindgen package".to_string())
}

fn lock_version(lock: &str, name: &str) -> Option<String> {
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == format!("name = \"{name}\"") {
            let version = lines.next()?.trim();
            return version
                .strip_prefix("version = \"")?
                .strip_suffix('"')
                .map(str::to_string);
        }
    }
    None
}

/// Installs what is missing; re-running it when all is in place takes seconds.
pub fn setup() -> Result<(), String> {
    let started = std::time::Instant::now();
    println!("Setting up the tools (versions pinned in xtask/src/tools.rs)");
    step(
        "[1/7] Rust target wasm32-unknown-unknown",
        ensure_wasm_target,
    )?;
    step(&format!("[2/7] trunk {TRUNK}"), ensure_trunk)?;
    let wbg = wasm_bindgen_version()?;
    step(
        &format!("[3/7] wasm-bindgen CLI {wbg} (the version in Cargo.lock)"),
        || ensure_wasm_bindgen(&wbg),
    )?;
    step(
        "[4/7] Chromium and chromedriver (Debian packages)",
        ensure_chromium,
    )?;
    let npm: Vec<String> = NPM_PACKAGES
        .iter()
        .map(|(n, v)| format!("{n}@{v}"))
        .collect();
    step(
        &format!("[5/7] npm packages of e2e/ ({})", npm.join(", ")),
        ensure_npm,
    )?;
    step(
        &format!("[6/7] schemathesis {SCHEMATHESIS} (PyPI, in target/tools/venv)"),
        ensure_schemathesis,
    )?;
    step(
        "[7/7] crates of the workspace (cargo fetch, so builds can run offline)",
        || {
            run(Command::new(env!("CARGO"))
                .arg("fetch")
                .arg("--quiet")
                .current_dir(root()))
        },
    )?;
    println!(
        "Set-up complete in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn already(what: &str) -> Result<(), String> {
    println!("    {what} already installed");
    Ok(())
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed = output_line_all("rustup", &["target", "list", "--installed"]);
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        return already(WASM_TARGET);
    }
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

fn ensure_trunk() -> Result<(), String> {
    if output_line("trunk", &["--version"]).as_deref() == Some(&format!("trunk {TRUNK}")) {
        return already(&format!("trunk {TRUNK}"));
    }
    println!("    installing with cargo (several minutes on two cores)…");
    run(Command::new(env!("CARGO")).args(["install", "trunk", "--version", TRUNK, "--locked"]))
}

fn ensure_wasm_bindgen(version: &str) -> Result<(), String> {
    let want = format!("wasm-bindgen {version}");
    let have_cli = output_line("wasm-bindgen", &["--version"]).as_deref() == Some(want.as_str());
    let have_runner = output_line("wasm-bindgen-test-runner", &["--version"])
        .is_some_and(|v| v.ends_with(version));
    if have_cli && have_runner {
        return already(&want);
    }
    println!("    installing with cargo (a few minutes)…");
    // Without --locked: the CLI's own lock pins a webpki-roots release the registry lacks.
    run(Command::new(env!("CARGO")).args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        version,
        "--force",
    ]))
}

/// Installs twiggy (`cargo install`, about a minute on two cores) unless it is in place.
pub fn ensure_twiggy() -> Result<(), String> {
    // `twiggy --version` prints "twiggy-opt 0.8.0".
    if output_line("twiggy", &["--version"]).is_some_and(|v| v.ends_with(&format!(" {TWIGGY}"))) {
        return already(&format!("twiggy {TWIGGY}"));
    }
    println!("    installing with cargo (about a minute)…");
    run(Command::new(env!("CARGO")).args(["install", "twiggy", "--version", TWIGGY, "--locked"]))
}

fn ensure_chromium() -> Result<(), String> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return already(
            &output_line(CHROMIUM, &["--version"]).unwrap_or_else(|| "chromium".into()),
        );
    }
    apt_install(&["chromium", "chromium-driver"])
}

fn apt_install(packages: &[&str]) -> Result<(), String> {
    let command = format!(
        "sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y {}",
        packages.join(" ")
    );
    if !is_root() {
        return Err(format!(
            "{} must be installed by root. Run:\n    {command}\nthen run this command again.",
            packages.join(" ")
        ));
    }
    run(Command::new("apt-get")
        .args(["update", "-q"])
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-q", "--no-install-recommends"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

fn is_root() -> bool {
    output_line("id", &["-u"]).as_deref() == Some("0")
}

fn ensure_npm() -> Result<(), String> {
    if output_line("npm", &["--version"]).is_none() {
        apt_install(&["nodejs", "npm"])?;
    }
    let e2e = root().join("e2e");
    let lock = std::fs::read(e2e.join("package-lock.json"))
        .map_err(|e| format!("cannot read e2e/package-lock.json: {e}"))?;
    let stamp_file = e2e.join("node_modules/.xtask-lock-hash");
    let stamp = format!("{:016x}", fnv1a(&lock));
    if std::fs::read_to_string(&stamp_file).ok().as_deref() == Some(stamp.as_str()) {
        return already("e2e/node_modules (matches package-lock.json)");
    }
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&e2e))?;
    std::fs::write(&stamp_file, stamp)
        .map_err(|e| format!("cannot write {}: {e}", stamp_file.display()))
}

/// The schemathesis command of the project's virtual environment.
pub fn schemathesis_bin() -> std::path::PathBuf {
    root().join("target/tools/venv/bin/schemathesis")
}

fn ensure_schemathesis() -> Result<(), String> {
    let bin = schemathesis_bin();
    let want = format!("schemathesis, version {SCHEMATHESIS}");
    if output_line(bin.to_str().unwrap_or(""), &["--version"]).as_deref() == Some(want.as_str()) {
        return already(&want);
    }
    let venv = root().join("target/tools/venv");
    if output_line("python3", &["--version"]).is_none() {
        apt_install(&["python3", "python3-venv"])?;
    }
    if !venv.join("bin/pip").exists() {
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    }
    run(Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "--disable-pip-version-check"])
        .arg(format!("schemathesis=={SCHEMATHESIS}")))
}

fn output_line_all(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npm_pins_match_package_json() {
        let text = std::fs::read_to_string(root().join("e2e/package.json")).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let deps = json["devDependencies"].as_object().unwrap();
        assert_eq!(
            deps.len(),
            NPM_PACKAGES.len(),
            "every npm package is pinned in tools.rs"
        );
        for (name, version) in NPM_PACKAGES {
            assert_eq!(deps[*name].as_str(), Some(*version), "{name}");
        }
    }

    #[test]
    fn cargo_lock_pins_wasm_bindgen_exactly_as_trunk_toml_names_it() {
        let version = wasm_bindgen_version().unwrap();
        let trunk_toml = std::fs::read_to_string(root().join("Trunk.toml")).unwrap();
        assert!(
            trunk_toml.contains(&format!("wasm_bindgen = \"{version}\"")),
            "Trunk.toml names {version}"
        );
        let cargo_toml = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
        assert!(cargo_toml.contains(&format!("wasm-bindgen = \"={version}\"")));
    }

    #[test]
    fn reads_versions_from_a_lock_file() {
        let lock = "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n";
        assert_eq!(
            lock_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(lock_version(lock, "trunk"), None);
    }
}
