//! `cargo xtask bench`: benchmarks that report figures (never pass/fail tests), measured in
//! one run, side by side, printed as a table and written to `target/bench/report.json`. A
//! missed goal is a figure like any other; a measurement that cannot be made is an error
//! (after the table and the report of what could be measured).
//!
//! The reference server (`bench_server.rs`):
//! - Log page cost: a page at offset 999,000 of a 1,000,000-line log, and one at 998,500
//!   (across two compressed blocks), against one at offset 0 (goal: ratio at most 1.5); the
//!   database bytes per log line of that log (goal: at most 100).
//! - Polling: status and log latency p50/p99 with 200 concurrent pollers while two jobs run,
//!   for `APC_BENCH_POLL_SECONDS` (default 60) s (goal: zero errors).
//! - Processing throughput in assets/s next to `sha256sum` over the same files (goal: at
//!   least 0.7 of its rate, issue 25).
//! - The per-asset status look-up of 1,000,000 assets that all have a result, POST to the
//!   whole answer read (`bench_lookup.rs`; goal: within 10 s; its repository and finished
//!   run are built once and kept under `target/bench/lookup-million-*`).
//!
//! The console (`bench_web.rs`; the browser benchmarks in `bench_browser.rs`), built for
//! release as `cargo xtask serve` builds it:
//! - Bundle: the whole build's wasm (a split build's main module and every chunk), JS and
//!   CSS, raw, gzip -9 and brotli 11, next to the minimal Leptos app's; and where the main
//!   wasm's bytes go (twiggy, installed by this command only) in the report's `wasmProfile`.
//!   What the browser fetches before the history shows is `firstscreen.spec.ts` (below).
//! - Lighthouse 12 (mobile and desktop presets) on the history page with 100 runs, signed in
//!   by the login-token cookie (goal: at least 95 for performance, accessibility and best
//!   practices).
//! - Every Playwright spec in `e2e/bench/` (config `e2e/playwright.bench.config.ts`, Chromium):
//!   `startup.spec.ts` (navigation to the history table showing the runs the window holds, of
//!   100, console / minimal Leptos app of `bench/minimal-leptos`, goal at most 1.3; all 100 in
//!   the table and the tasks of 50 ms or more alongside), `firstscreen.spec.ts` (from
//!   the browser's network events: the bytes fetched before the history table shows, raw,
//!   gzip -9 and brotli 11, goal at most 200 KB gzip; the chunks prefetched after it; a job
//!   opened from the history once prefetched, goal within 100 ms) and `polling.spec.ts` (requests
//!   of a job view and of the history while a job runs, while the tab is hidden, after it
//!   ended).
//!
//! `APC_BENCH_ONLY=console` runs only the console's half (quicker while working on a spec),
//! `APC_BENCH_ONLY=logviewer`, `report` or `report-million` only that spec of `e2e/bench/`
//! (and its servers),
//! `APC_BENCH_ONLY=lookup` only the per-asset status look-up, `APC_BENCH_ONLY=server` only
//! the server's benchmarks (`bench_server.rs`);
//! the README's figures come from a full run.
//!
//! Adding a browser benchmark: put `<name>.spec.ts` in `e2e/bench/`. xtask runs every spec
//! there in one Playwright run, with these variables set:
//! - `APC_BENCH_OUT`: the folder to write `figures-<name>.json` into (`target/bench`);
//! - `APC_BENCH_CONSOLE_URL`: a server with the console and 100 finished runs in its history
//!   (shown 100 at a time), its repository holding `one/` (one asset) and `paced/`;
//! - `APC_BENCH_MINIMAL_URL`: the minimal Leptos app over a copy of the same data;
//! - `APC_BENCH_LIVE_URL`: the console over fresh data with `--pace-ms 800`, and
//!   `APC_BENCH_LIVE_FOLDER`: a folder whose job runs there for about 40 s.
//! - `APC_BENCH_LOG_URL`: the console over a database with a 10,000,000-line log (written once
//!   and kept in `log-10m-fixture`, copied for each run), whose id is
//!   `APC_BENCH_LOG_ID`; `APC_BENCH_LOG_DATA` is that database's folder and
//!   `APC_BENCH_SERVER_BIN` the server binary, to write a growing log into it
//!   (`synthesize-log --rate`): `logviewer.spec.ts` (issue 5).
//! - `APC_BENCH_REPORT_URL`: the console over the per-asset look-up's 100,000-asset repository
//!   with one finished run over all of it, whose id is `APC_BENCH_REPORT_ID` (kept in
//!   `web-report-data` and reused by the next run): `report.spec.ts` (issue 12).
//! - `APC_BENCH_MILLION_URL`: the console over the look-up's million-asset repository and its
//!   finished run `APC_BENCH_MILLION_ID` (`lookup-million-*`, shared with the look-up
//!   benchmark): `report-million.spec.ts` (issue 25).
//!
//! Sign in with `signedIn(url)` of `e2e/bench/figures.ts` (demo user admin/admin). The spec
//! writes `figures-<name>.json`, an array of `{name, value, unit, goal, meetsGoal, detail}`
//! (`goal` and `meetsGoal` null when the figure has no goal), with `writeFigures(name, …)`.
//! xtask adds those rows to the table and the report in the order written; a spec that fails
//! or writes no file is reported as a broken measurement. A spec that needs a server of
//! another kind (a long log, say) starts it in `bench_browser::start_servers` and passes its
//! address the same way.

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::bench_browser;
use crate::bench_common::Figure;
use crate::bench_server::server_benches;
use crate::bench_web;
use crate::serve::build_server;
use crate::server::work_dir;
use crate::util::step;

pub fn run_bench(args: &[String]) -> Result<(), String> {
    let readme = match args {
        [] => false,
        [a] if a == "--readme" => true,
        [a, ..] => {
            return Err(format!(
                "bench takes only --readme (write the table into README.md), not \"{a}\""
            ))
        }
    };
    let seconds: u64 = std::env::var("APC_BENCH_POLL_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let started = Instant::now();
    let binary = build_server("server")?;
    let work = work_dir("bench");
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let mut figures = Vec::new();
    if std::env::var("APC_BENCH_ONLY").as_deref() == Ok("lookup") {
        step("per-asset status look-up of 1,000,000 assets", || {
            crate::bench_lookup::asset_status_lookup(&binary, &work, &mut figures)
        })?;
        print_table(&figures);
        return Ok(());
    }
    if std::env::var("APC_BENCH_ONLY").as_deref() == Ok("server") {
        server_benches(&binary, &work, seconds, &mut figures)?;
        print_table(&figures);
        return Ok(());
    }
    if let Ok(only @ ("logviewer" | "report" | "report-million")) =
        std::env::var("APC_BENCH_ONLY").as_deref()
    {
        crate::console::build()?;
        step(
            &format!("browser benchmark: e2e/bench/{only}.spec.ts"),
            || bench_browser::one_spec(&binary, only, &mut figures),
        )?;
        print_table(&figures);
        return Ok(());
    }
    let minimal_dist = bench_web::build()?;
    if std::env::var("APC_BENCH_ONLY").as_deref() != Ok("console") {
        server_benches(&binary, &work, seconds, &mut figures)?;
    }

    // The console's figures: a measurement that breaks is reported after the others.
    let mut broken = Vec::new();
    let mut note = |r: Result<(), String>| {
        if let Err(e) = r {
            println!("    {e}");
            broken.push(e);
        }
    };
    note(step("console download size", || {
        bench_web::bundle_figures(&minimal_dist, &mut figures)
    }));
    let profile = step("wasm size profile (twiggy)", bench_web::size_profile);
    let profile = match profile {
        Ok(p) => p,
        Err(e) => {
            note(Err(e));
            Value::Null
        }
    };
    match step(
        "servers for the browser benchmarks (100 runs of history, a paced job)",
        || bench_browser::start_servers(&binary, &minimal_dist),
    ) {
        Ok(servers) => {
            note(step(
                "browser benchmarks: every spec of e2e/bench/ (Playwright, Chromium)",
                || bench_browser::playwright_specs(&servers, &mut figures),
            ));
            note(step(
                "Lighthouse on the history page (mobile and desktop)",
                || bench_browser::lighthouse(&servers.console, &mut figures),
            ));
        }
        Err(e) => note(Err(e)),
    }

    print_table(&figures);
    write_report(&figures, profile, &broken, started.elapsed())?;
    let table = markdown_table(&figures, started.elapsed());
    std::fs::write(work.join("report.md"), &table).map_err(|e| e.to_string())?;
    if readme && broken.is_empty() && std::env::var("APC_BENCH_ONLY").is_err() {
        update_readme(&table)?;
        println!("README.md: the Performance table is this run's");
    } else if readme {
        println!("README.md left as it was: only a complete run may replace its table");
    }
    if broken.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} measurement(s) could not be made:\n{}",
            broken.len(),
            broken.join("\n")
        ))
    }
}

fn fmt(v: f64) -> String {
    if v.is_nan() {
        "n/a".into()
    } else if v >= 100.0 || v.fract() == 0.0 {
        // Large values and counts (requests, rows) without decimals.
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

fn print_table(figures: &[Figure]) {
    println!("\n==> benchmarks");
    println!(
        "{:<72} {:>12} {:<9} {:<8} ",
        "figure", "value", "unit", "goal"
    );
    for f in figures {
        let verdict = match f.meets_goal {
            Some(true) => "met",
            Some(false) => "NOT MET",
            None => "",
        };
        println!(
            "{:<72} {:>12} {:<9} {:<8} {verdict}",
            f.name,
            fmt(f.value),
            f.unit,
            f.goal.clone().unwrap_or_default()
        );
    }
}

fn write_report(
    figures: &[Figure],
    wasm_profile: Value,
    broken: &[String],
    took: Duration,
) -> Result<(), String> {
    let dir = work_dir("bench");
    let file = dir.join("report.json");
    let report = json!({
        "machine": {
            "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
            // Other work on the machine during the run shows here (1, 5, 15 minutes).
            "loadAverageAtEnd": std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim(),
        },
        "seconds": took.as_secs_f64().round(),
        "broken": broken,
        "wasmProfile": wasm_profile,
        "figures": figures.iter().map(|f| json!({
            "name": f.name, "value": if f.value.is_finite() { json!(f.value) } else { Value::Null },
            "unit": f.unit, "goal": f.goal, "meetsGoal": f.meets_goal, "detail": f.detail,
        })).collect::<Vec<_>>(),
    });
    std::fs::write(
        &file,
        serde_json::to_string_pretty(&report).expect("serialises"),
    )
    .map_err(|e| e.to_string())?;
    println!("\nReport written to {}", file.display());
    Ok(())
}

const README_START: &str = "<!-- bench:start (cargo xtask bench --readme writes this table) -->";
const README_END: &str = "<!-- bench:end -->";

/// The figures as the README shows them: one row each, its goal and whether it was met.
fn markdown_table(figures: &[Figure], took: Duration) -> String {
    let mut out = format!(
        "Run of {} UTC on {} cores, {:.0} min {:.0} s:\n\n| figure | value | goal |\n|---|---|---|\n",
        chrono_now(),
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        (took.as_secs() / 60) as f64,
        (took.as_secs() % 60) as f64,
    );
    for f in figures {
        let value = format!("{} {}", fmt(f.value), f.unit);
        let goal = match (&f.goal, f.meets_goal) {
            (Some(g), Some(true)) => format!("{g}, met"),
            (Some(g), Some(false)) => format!("{g}, **not met**"),
            (Some(g), None) => g.clone(),
            (None, _) => String::new(),
        };
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            f.name.replace('|', "\\|"),
            value.trim(),
            goal
        ));
    }
    out
}

/// Today's date and time from the system clock (`date -u`), without a date crate.
fn chrono_now() -> String {
    Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn update_readme(table: &str) -> Result<(), String> {
    let file = crate::util::root().join("README.md");
    let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
    let (Some(a), Some(b)) = (text.find(README_START), text.find(README_END)) else {
        return Err(format!(
            "README.md has no {README_START} … {README_END} markers for the table"
        ));
    };
    let updated = format!("{}{README_START}\n{table}{}", &text[..a], &text[b..]);
    std::fs::write(&file, updated).map_err(|e| e.to_string())
}
