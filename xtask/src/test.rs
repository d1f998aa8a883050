//! `cargo xtask test`: every suite in order, then one summary. Exits non-zero when any test
//! or any suite's command failed.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::console;
use crate::serve::build_server;
use crate::tools::{self, CHROMEDRIVER, WASM_TARGET};
use crate::util::{root, run_capture, step};

#[derive(Default)]
struct Suite {
    name: &'static str,
    passed: u64,
    failed: u64,
    skipped: u64,
    secs: f64,
    /// The suite's command failed (did not build, crashed) whatever it counted.
    broken: Option<String>,
}

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(arg) = args.first() {
        return Err(format!("test takes no arguments (got \"{arg}\")"));
    }
    tools::setup()?;
    let suites = vec![
        suite("clippy", clippy),
        suite("native", native),
        suite("server", server),
        suite("api-fuzz", api_fuzz),
        suite("wasm", wasm),
        suite("package", aem_package),
        suite("e2e", e2e),
    ];
    print_summary(&suites);
    let failed: u64 = suites.iter().map(|s| s.failed).sum();
    let broken: Vec<&str> = suites
        .iter()
        .filter(|s| s.broken.is_some())
        .map(|s| s.name)
        .collect();
    if failed > 0 || !broken.is_empty() {
        return Err(format!(
            "{failed} test(s) failed; suites that did not complete: {}",
            if broken.is_empty() {
                "none".into()
            } else {
                broken.join(", ")
            }
        ));
    }
    Ok(())
}

fn suite(name: &'static str, f: fn(&mut Suite) -> Result<(), String>) -> Suite {
    let mut s = Suite {
        name,
        ..Suite::default()
    };
    println!("\n==> suite: {name}");
    let started = Instant::now();
    if let Err(e) = f(&mut s) {
        println!("    suite {name}: {e}");
        s.broken = Some(e);
    }
    s.secs = started.elapsed().as_secs_f64();
    s
}

/// Runs a libtest-style command (cargo test, wasm-bindgen-test-runner) and adds its counts.
fn libtest(s: &mut Suite, cmd: &mut Command) -> Result<(), String> {
    let (ok, out) = run_capture(cmd.current_dir(root()))?;
    let (p, f, i) = count_libtest(&out);
    s.passed += p;
    s.failed += f;
    s.skipped += i;
    if ok {
        Ok(())
    } else {
        Err(format!("`{}` failed", crate::util::describe(cmd)))
    }
}

/// Sums the "test result: ok. N passed; M failed; K ignored" lines.
fn count_libtest(out: &str) -> (u64, u64, u64) {
    let mut totals = (0, 0, 0);
    for line in out
        .lines()
        .filter(|l| l.trim_start().starts_with("test result:"))
    {
        let number_before = |word: &str| -> u64 {
            line.split([';', '.'])
                .find_map(|part| {
                    part.trim()
                        .strip_suffix(word)
                        .and_then(|n| n.trim().parse().ok())
                })
                .unwrap_or(0)
        };
        totals.0 += number_before("passed");
        totals.1 += number_before("failed");
        totals.2 += number_before("ignored");
    }
    totals
}

fn cargo() -> Command {
    Command::new(env!("CARGO"))
}

/// `cargo clippy --workspace --all-targets -- -D warnings`: one check, counted as one test
/// (passed when clippy has nothing to say).
fn clippy(s: &mut Suite) -> Result<(), String> {
    // Clippy writes its findings to stderr, which the run shows as it goes.
    let (ok, _) = run_capture(
        cargo()
            .args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ])
            .current_dir(root()),
    )?;
    if ok {
        s.passed += 1;
        Ok(())
    } else {
        s.failed += 1;
        Err("clippy has warnings (printed above)".into())
    }
}

fn native(s: &mut Suite) -> Result<(), String> {
    libtest(
        s,
        cargo().args([
            "test",
            "--workspace",
            "--exclude",
            "asset-processing-server",
        ]),
    )
}

fn server(s: &mut Suite) -> Result<(), String> {
    // The crate's tests have its `dev-fixtures` through its dev-dependency on itself.
    libtest(s, cargo().args(["test", "-p", "asset-processing-server"]))
}

/// Cases schemathesis generates per operation (7 operations: about 1,400 cases).
const FUZZ_EXAMPLES: &str = "200";

/// schemathesis against the OpenAPI document of a real server over the demo repository:
/// no 5xx, every answer matches its schema, bad input refused, auth enforced. Then the
/// `published-docs` variant: its answers take the other readings of the published pages
/// (not the document's shapes, by design), so there only "no 5xx" is checked.
fn api_fuzz(s: &mut Suite) -> Result<(), String> {
    let binary = build_server("dev")?;
    let work = crate::server::work_dir("api-fuzz");
    let repository = work.join("repository");
    if !repository.exists() {
        crate::util::run(Command::new(&binary).arg("generate-demo").arg(&repository))?;
    }
    // Every check but "a schema-valid request is accepted": a path that is valid by the
    // schema but does not exist is rightly a 400.
    let reference = fuzz_one(
        s,
        &binary,
        &work,
        &[],
        &[
            "--checks",
            "all",
            "--exclude-checks",
            "positive_data_acceptance",
        ],
    );
    let variant = fuzz_one(
        s,
        &binary,
        &work,
        &["--variant", "published-docs"],
        &["--checks", "not_a_server_error"],
    );
    match (reference?, variant?) {
        (true, true) => Ok(()),
        (false, _) => Err("schemathesis found failures against the reference server".into()),
        (_, false) => Err("schemathesis found 5xx answers of the published-docs variant".into()),
    }
}

/// One schemathesis run against a fresh server started with `server_args`; adds its counts.
fn fuzz_one(
    s: &mut Suite,
    binary: &std::path::Path,
    work: &std::path::Path,
    server_args: &[&str],
    checks: &[&str],
) -> Result<bool, String> {
    let name = if server_args.is_empty() {
        "data"
    } else {
        "data-variant"
    };
    let data = work.join(name);
    let server =
        crate::server::Server::start(binary, &work.join("repository"), &data, server_args)?;
    let token = server.csrf_token()?;
    let (ok, out) = run_capture(
        Command::new(tools::schemathesis_bin())
            .args([
                "run",
                &server.url("/openapi.json"),
                "--url",
                &server.url(""),
            ])
            .args([
                "-H",
                &format!("Authorization: {}", crate::server::DEMO_AUTH),
            ])
            .args(["-H", &format!("CSRF-Token: {token}")])
            .args(checks)
            .args(["--max-examples", FUZZ_EXAMPLES, "--seed", "1", "--no-color"])
            .current_dir(work),
    )?;
    let (passed, failed) = count_schemathesis(&out);
    s.passed += passed;
    s.failed += failed;
    Ok(ok)
}

/// From "Test cases:\n  675 generated, 675 passed, 12 skipped" (or "... 7 found 7 unique
/// failures"): (passed, failed).
fn count_schemathesis(out: &str) -> (u64, u64) {
    let line = out
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("Test cases:"))
        .nth(1)
        .unwrap_or("");
    let number_before = |word: &str| -> u64 {
        line.split(',')
            .find_map(|p| {
                p.trim()
                    .strip_suffix(word)
                    .and_then(|n| n.trim().parse().ok())
            })
            .unwrap_or(0)
    };
    let failures = line
        .split_whitespace()
        .collect::<Vec<_>>()
        .windows(3)
        .find_map(|w| (w[2] == "unique").then(|| w[1].parse().ok()).flatten())
        .unwrap_or(0);
    (number_before("passed"), failures)
}

fn wasm(s: &mut Suite) -> Result<(), String> {
    libtest(
        s,
        cargo()
            .args([
                "test",
                "-p",
                "asset-processing-console",
                "--target",
                WASM_TARGET,
                "--test",
                "web",
            ])
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "60"),
    )
}

/// Builds the AEM content packages and runs their checks, one test each; then proves each
/// check catches what it is for: every broken variant of the real build must fail exactly
/// its check (one test each).
fn aem_package(s: &mut Suite) -> Result<(), String> {
    let dist = crate::aem::build_dist()?;
    let mut count = |ok: bool, line: String| {
        if ok {
            println!("    ok      {line}");
            s.passed += 1;
        } else {
            println!("    FAILED  {line}");
            s.failed += 1;
        }
    };
    for (role, file) in crate::aem::write_packages(&dist)? {
        let bytes = std::fs::read(&file).map_err(|e| e.to_string())?;
        for (name, result) in crate::aem::verify(&bytes) {
            let line = format!("{}: {name}", role.package_name());
            match result {
                Ok(()) => count(true, line),
                Err(e) => count(false, format!("{line}: {e}")),
            }
        }
    }
    let sources = crate::aem::sources(&dist, crate::aem::version())?;
    for variant in crate::aem::broken_variants() {
        let failed = crate::aem::failed_checks(&sources, &variant)?;
        let line = format!("caught: {} ({})", variant.what, variant.check);
        if failed == [variant.check] {
            count(true, line);
        } else {
            count(false, format!("{line}: the failing checks were {failed:?}"));
        }
    }
    Ok(())
}

fn e2e(s: &mut Suite) -> Result<(), String> {
    console::build()?;
    let aem_dist = root().join("target/aem/dist");
    if !aem_dist.join("loader.js").exists() {
        crate::aem::build_dist()?;
    }
    let server = build_server("dev")?;
    let work = root().join("target/e2e");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let report = work.join("report.json");
    let result = step(
        "Playwright in Chromium against the reference server",
        || {
            let (ok, _) = run_capture(
                playwright(&server, &aem_dist, &work).env("PLAYWRIGHT_JSON_OUTPUT_NAME", &report),
            )?;
            Ok(ok)
        },
    )?;
    let json: serde_json::Value = std::fs::read_to_string(&report)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .ok_or_else(|| format!("Playwright wrote no report at {}", report.display()))?;
    let stat = |k: &str| json["stats"][k].as_u64().unwrap_or(0);
    s.passed += stat("expected") + stat("flaky");
    s.failed += stat("unexpected");
    s.skipped += stat("skipped");
    if result {
        Ok(())
    } else {
        Err("Playwright reported failures".into())
    }
}

/// `cargo xtask screenshots`: PNGs of each view (light, dark, 360 px) in target/screenshots/.
pub fn screenshots(args: &[String]) -> Result<(), String> {
    if let Some(arg) = args.first() {
        return Err(format!("screenshots takes no arguments (got \"{arg}\")"));
    }
    tools::setup()?;
    console::build()?;
    let aem_dist = crate::aem::build_dist()?;
    let server = build_server("dev")?;
    let work = root().join("target/e2e-screens");
    let _ = std::fs::remove_dir_all(&work);
    let out = root().join("target/screenshots");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    crate::util::run(
        playwright(&server, &aem_dist, &work)
            .args(["-c", "playwright.screens.config.ts"])
            .env("APC_SCREENSHOTS", &out),
    )?;
    println!("Screenshots in {}", out.display());
    Ok(())
}

/// `npx playwright test` in `e2e/` with what its every run reads: the server binary, the
/// console's build (`dist/`), the AEM build (for the AEM look-alike page) and a work folder.
fn playwright(server: &Path, aem_dist: &Path, work: &Path) -> Command {
    let mut cmd = Command::new("npx");
    cmd.args(["playwright", "test"])
        .current_dir(root().join("e2e"))
        .env("APC_SERVER_BIN", server)
        .env("APC_DIST", root().join("dist"))
        .env("APC_AEM_SHELL", aem_dist)
        .env("APC_WORK", work);
    cmd
}

fn print_summary(suites: &[Suite]) {
    println!("\n==> summary");
    println!(
        "{:<8} {:>7} {:>7} {:>8} {:>9}",
        "suite", "passed", "failed", "skipped", "time"
    );
    for s in suites {
        let note = s
            .broken
            .as_ref()
            .map(|_| "  (did not complete)")
            .unwrap_or("");
        println!(
            "{:<8} {:>7} {:>7} {:>8} {:>8.1}s{note}",
            s.name, s.passed, s.failed, s.skipped, s.secs
        );
    }
    let passed: u64 = suites.iter().map(|s| s.passed).sum();
    // A suite that did not complete counts as one failure, so the closing line never says
    // "0 failed" about a run that broke.
    let failed: u64 = suites
        .iter()
        .map(|s| s.failed + u64::from(s.broken.is_some() && s.failed == 0))
        .sum();
    let skipped: u64 = suites.iter().map(|s| s.skipped).sum();
    println!("{passed} passed, {failed} failed, {skipped} skipped");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_schemathesis_lines() {
        let ok = "Test cases:\n  675 generated, 675 passed, 12 skipped\n";
        assert_eq!(count_schemathesis(ok), (675, 0));
        let bad = "Test cases:\n  186 generated, 7 found 7 unique failures, 8 skipped\n";
        assert_eq!(count_schemathesis(bad), (0, 7));
    }

    #[test]
    fn counts_libtest_lines() {
        let out = "running 3 tests\n\
                   test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s\n\
                   test result: FAILED. 11 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out\n";
        assert_eq!(count_libtest(out), (14, 2, 1));
        assert_eq!(count_libtest("nothing here"), (0, 0, 0));
    }
}
