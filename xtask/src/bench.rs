//! `cargo xtask bench`: benchmarks that report figures (never pass/fail tests), measured in
//! one run, side by side, printed as a table and written to `target/bench/report.json`. A
//! missed goal is a figure like any other; a measurement that cannot be made is an error
//! (after the table and the report of what could be measured).
//!
//! The reference server (`bench.rs`):
//! - Log page cost: a page at offset 999,000 of a 1,000,000-line log against one at offset 0
//!   (goal: ratio at most 1.5).
//! - Polling: status and log latency p50/p99 with 200 concurrent pollers while two jobs run,
//!   for `APC_BENCH_POLL_SECONDS` (default 60) s (goal: zero errors).
//! - Processing throughput in assets/s next to `sha256sum` over the same files (goal: at
//!   least half its rate).
//! - The per-asset status look-up of 100,000 assets that all have a result, POST to the
//!   whole answer read (`bench_lookup.rs`; goal: under 2 s).
//!
//! The console (`bench_web.rs`), built for release as `cargo xtask serve` builds it:
//! - Bundle: the whole build's wasm (a split build's main module and every chunk), JS and
//!   CSS, raw, gzip -9 and brotli 11, next to the minimal Leptos app's; and where the main
//!   wasm's bytes go (twiggy, installed by this command only) in the report's `wasmProfile`.
//!   What the browser fetches before the history shows is `firstscreen.spec.ts` (below).
//! - Lighthouse 12 (mobile and desktop presets) on the history page with 100 runs, signed in
//!   by the login-token cookie (goal: at least 95 for performance, accessibility and best
//!   practices).
//! - Every Playwright spec in `e2e/bench/` (config `e2e/playwright.bench.config.ts`, Chromium):
//!   `startup.spec.ts` (navigation to the history table with 100 runs, console / minimal
//!   Leptos app of `bench/minimal-leptos`, goal at most 1.3), `firstscreen.spec.ts` (from
//!   the browser's network events: the bytes fetched before the history table shows, raw,
//!   gzip -9 and brotli 11, goal at most 200 KB gzip; the chunks prefetched after it; a job
//!   opened from the history once prefetched, goal within 100 ms) and `polling.spec.ts` (requests
//!   of a job view and of the history while a job runs, while the tab is hidden, after it
//!   ended).
//!
//! `APC_BENCH_ONLY=console` runs only the console's half (quicker while working on a spec),
//! `APC_BENCH_ONLY=lookup` only the per-asset status look-up;
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
//! - `APC_BENCH_LOG_URL`: the console over a database with a 1,000,000-line log, whose id is
//!   `APC_BENCH_LOG_ID`; `APC_BENCH_LOG_DATA` is that database's folder and
//!   `APC_BENCH_SERVER_BIN` the server binary, to write a growing log into it
//!   (`synthesize-log --rate`): `logviewer.spec.ts` (issue 5).
//! - `APC_BENCH_REPORT_URL`: the console over the per-asset look-up's 100,000-asset repository
//!   with one finished run over all of it, whose id is `APC_BENCH_REPORT_ID` (kept in
//!   `web-report-data` and reused by the next run): `report.spec.ts` (issue 12).
//!
//! Sign in with `signedIn(url)` of `e2e/bench/figures.ts` (demo user admin/admin). The spec
//! writes `figures-<name>.json`, an array of `{name, value, unit, goal, meetsGoal, detail}`
//! (`goal` and `meetsGoal` null when the figure has no goal), with `writeFigures(name, …)`.
//! xtask adds those rows to the table and the report in the order written; a spec that fails
//! or writes no file is reported as a broken measurement. A spec that needs a server of
//! another kind (a long log, say) starts it in `bench_web::start_servers` and passes its
//! address the same way.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::bench_common::{has_ended, start_job, Figure};
use crate::bench_web;
use crate::serve::build_server;
use crate::server::{get, work_dir, Server};
use crate::util::{run, step};

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
        step("per-asset status look-up of 100,000 assets", || {
            crate::bench_lookup::asset_status_lookup(&binary, &work, &mut figures)
        })?;
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
        || bench_web::start_servers(&binary, &minimal_dist),
    ) {
        Ok(servers) => {
            note(step(
                "browser benchmarks: every spec of e2e/bench/ (Playwright, Chromium)",
                || bench_web::playwright_specs(&servers, &mut figures),
            ));
            note(step(
                "Lighthouse on the history page (mobile and desktop)",
                || bench_web::lighthouse(&servers.console, &mut figures),
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

fn server_benches(
    binary: &Path,
    work: &Path,
    seconds: u64,
    figures: &mut Vec<Figure>,
) -> Result<(), String> {
    let repository = step(
        "bench repository (10 demo sets, about 20,000 assets; first run only)",
        || bench_repository(binary, work),
    )?;

    step(
        "log page cost at offset 999,000 vs 0 of a 1,000,000-line log",
        || log_page_cost(binary, work, figures),
    )?;
    step(
        &format!("200 concurrent pollers for {seconds} s while two jobs run"),
        || pollers(binary, work, &repository, seconds, figures),
    )?;
    step("processing throughput next to sha256sum", || {
        throughput(binary, work, &repository, figures)
    })?;
    step("per-asset status look-up of 100,000 assets", || {
        crate::bench_lookup::asset_status_lookup(binary, work, figures)
    })?;
    Ok(())
}

fn bench_repository(binary: &Path, work: &Path) -> Result<PathBuf, String> {
    let repository = work.join("repository");
    if !repository.join("set-10").exists() {
        let _ = std::fs::remove_dir_all(&repository);
        for seed in 1..=10 {
            let dir = repository.join(format!("set-{seed:02}"));
            let out = Command::new(binary)
                .arg("generate-demo")
                .arg(&dir)
                .args(["--seed", &seed.to_string()])
                .output();
            if !out.as_ref().is_ok_and(|o| o.status.success()) {
                return Err(format!("could not write {}", dir.display()));
            }
        }
    }
    Ok(repository)
}

fn median(v: &mut [f64]) -> f64 {
    percentile(v, 0.5)
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

fn timed_get(addr: &str, path: &str) -> Result<(f64, u16, String), String> {
    let t = Instant::now();
    let (status, body) = get(addr, path, true)?;
    Ok((t.elapsed().as_secs_f64() * 1_000.0, status, body))
}

fn log_page_cost(binary: &Path, work: &Path, figures: &mut Vec<Figure>) -> Result<(), String> {
    let data = work.join("log-data");
    let empty = work.join("empty-repository");
    std::fs::create_dir_all(&empty).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(&data);
    let out = Command::new(binary)
        .args(["synthesize-log", "--lines", "1000000", "--data"])
        .arg(&data)
        .output()
        .map_err(|e| e.to_string())?;
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || id.is_empty() {
        return Err(format!(
            "synthesize-log failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let server = Server::start_keep(binary, &empty, &data)?;
    let page = |offset: u64| {
        format!("/bin/guides/v1/assets/process/logs?processingId={id}&offset={offset}&limit=1000")
    };
    for _ in 0..20 {
        timed_get(&server.addr, &page(0))?;
        timed_get(&server.addr, &page(999_000))?;
    }
    let (mut first, mut deep) = (Vec::new(), Vec::new());
    for _ in 0..200 {
        let (ms, status, body) = timed_get(&server.addr, &page(0))?;
        check_page(status, &body, 0)?;
        first.push(ms);
        let (ms, status, body) = timed_get(&server.addr, &page(999_000))?;
        check_page(status, &body, 999_000)?;
        deep.push(ms);
    }
    let (m0, m999) = (median(&mut first), median(&mut deep));
    figures.push(Figure {
        name: "log page at offset 0 (1,000 lines), median".into(),
        value: m0,
        unit: "ms".into(),
        goal: None,
        meets_goal: None,
        detail: "200 requests".into(),
    });
    figures.push(Figure {
        name: "log page at offset 999,000 (1,000 lines), median".into(),
        value: m999,
        unit: "ms".into(),
        goal: None,
        meets_goal: None,
        detail: "200 requests".into(),
    });
    let ratio = m999 / m0;
    figures.push(Figure {
        name: "log page cost ratio, offset 999,000 / offset 0".into(),
        value: ratio,
        unit: "×".into(),
        goal: Some("≤ 1.5".into()),
        meets_goal: Some(ratio <= 1.5),
        detail: "same log, same page size, interleaved".into(),
    });
    Ok(())
}

fn check_page(status: u16, body: &str, offset: u64) -> Result<(), String> {
    let v: Value = serde_json::from_str(body).map_err(|e| format!("log page is not JSON: {e}"))?;
    if status != 200
        || v["lines"].as_array().map(|a| a.len()) != Some(1_000)
        || v["offset"] != offset
    {
        return Err(format!(
            "unexpected log page at {offset}: {status} {}",
            &body[..body.len().min(200)]
        ));
    }
    Ok(())
}

fn job_status(addr: &str, id: &str) -> Result<Value, String> {
    let (_, body) = get(
        addr,
        &format!("/bin/guides/v1/assets/process/status?processingId={id}"),
        true,
    )?;
    serde_json::from_str(&body).map_err(|e| e.to_string())
}

fn pollers(
    binary: &Path,
    work: &Path,
    repository: &Path,
    seconds: u64,
    figures: &mut Vec<Figure>,
) -> Result<(), String> {
    let server = Server::start(
        binary,
        repository,
        &work.join("poll-data"),
        &["--workers", "2"],
    )?;
    let token = server.csrf_token()?;
    let addr = server.addr.clone();
    // Two jobs always running: when one ends, another starts.
    let running: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(vec![
        start_job(&addr, &token, "/content/dam/set-01")?,
        start_job(&addr, &token, "/content/dam/set-02")?,
    ]));
    let stop = Arc::new(AtomicBool::new(false));
    let jobs_started = Arc::new(AtomicU64::new(2));
    let controller = {
        let (running, stop, addr, token, started) = (
            running.clone(),
            stop.clone(),
            addr.clone(),
            token.clone(),
            jobs_started.clone(),
        );
        std::thread::spawn(move || {
            let mut next = 3;
            while !stop.load(Ordering::SeqCst) {
                let ids = running.lock().unwrap().clone();
                for (slot, id) in ids.iter().enumerate() {
                    let done = job_status(&addr, id)
                        .map(|v| has_ended(&v))
                        .unwrap_or(false);
                    if done {
                        if let Ok(new) = start_job(
                            &addr,
                            &token,
                            &format!("/content/dam/set-{:02}", next % 10 + 1),
                        ) {
                            running.lock().unwrap()[slot] = new;
                            started.fetch_add(1, Ordering::SeqCst);
                            next += 1;
                        }
                    }
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        })
    };
    let status_ms: Arc<Mutex<Vec<f64>>> = Arc::default();
    let logs_ms: Arc<Mutex<Vec<f64>>> = Arc::default();
    let errors = Arc::new(AtomicU64::new(0));
    let first_error: Arc<Mutex<Option<String>>> = Arc::default();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut threads = Vec::new();
    for n in 0..200usize {
        let (running, status_ms, logs_ms, errors, first_error, addr) = (
            running.clone(),
            status_ms.clone(),
            logs_ms.clone(),
            errors.clone(),
            first_error.clone(),
            addr.clone(),
        );
        threads.push(std::thread::spawn(move || {
            // Spread the pollers over the first second, then poll once a second like the console.
            std::thread::sleep(Duration::from_millis((n as u64 * 5) % 1_000));
            while Instant::now() < deadline {
                let tick = Instant::now();
                let id = running.lock().unwrap()[n % 2].clone();
                for (path, sink) in [
                    (
                        format!("/bin/guides/v1/assets/process/status?processingId={id}"),
                        &status_ms,
                    ),
                    (
                        format!("/bin/guides/v1/assets/process/logs?processingId={id}&tail=200"),
                        &logs_ms,
                    ),
                ] {
                    match timed_get(&addr, &path) {
                        Ok((ms, 200, _)) => sink.lock().unwrap().push(ms),
                        Ok((_, status, body)) => {
                            errors.fetch_add(1, Ordering::SeqCst);
                            first_error
                                .lock()
                                .unwrap()
                                .get_or_insert(format!("{status} {body}"));
                        }
                        Err(e) => {
                            errors.fetch_add(1, Ordering::SeqCst);
                            first_error.lock().unwrap().get_or_insert(e);
                        }
                    }
                }
                if let Some(rest) = Duration::from_secs(1).checked_sub(tick.elapsed()) {
                    std::thread::sleep(rest);
                }
            }
        }));
    }
    for t in threads {
        let _ = t.join();
    }
    stop.store(true, Ordering::SeqCst);
    let _ = controller.join();
    let mut s = status_ms.lock().unwrap().clone();
    let mut l = logs_ms.lock().unwrap().clone();
    let requests = s.len() + l.len();
    let errs = errors.load(Ordering::SeqCst);
    let detail = format!(
        "{requests} answered requests, {} jobs run during the test{}",
        jobs_started.load(Ordering::SeqCst),
        first_error
            .lock()
            .unwrap()
            .as_ref()
            .map(|e| format!("; first error: {e}"))
            .unwrap_or_default()
    );
    for (name, v) in [("status", &mut s), ("logs (tail=200)", &mut l)] {
        figures.push(Figure {
            name: format!("{name} latency p50, 200 pollers"),
            value: percentile(v, 0.5),
            unit: "ms".into(),
            goal: None,
            meets_goal: None,
            detail: detail.clone(),
        });
        figures.push(Figure {
            name: format!("{name} latency p99, 200 pollers"),
            value: percentile(v, 0.99),
            unit: "ms".into(),
            goal: None,
            meets_goal: None,
            detail: detail.clone(),
        });
    }
    figures.push(Figure {
        name: "errors with 200 pollers".into(),
        value: errs as f64,
        unit: "".into(),
        goal: Some("0".into()),
        meets_goal: Some(errs == 0),
        detail,
    });
    Ok(())
}

/// Runs of each side in the throughput comparison.
const THROUGHPUT_RUNS: usize = 3;

fn throughput(
    binary: &Path,
    work: &Path,
    repository: &Path,
    figures: &mut Vec<Figure>,
) -> Result<(), String> {
    // Warm the page cache so both sides read from memory.
    run(Command::new("sh")
        .arg("-c")
        .arg("find . -type f -print0 | xargs -0 cat > /dev/null")
        .current_dir(repository))?;
    // Three runs of each side, alternating; the median of each is reported.
    let (mut ours_runs, mut theirs_runs) = (Vec::new(), Vec::new());
    let mut assets = 0.0;
    let mut last_job = Value::Null;
    for _ in 0..THROUGHPUT_RUNS {
        let server = Server::start(
            binary,
            repository,
            &work.join("throughput-data"),
            &["--workers", "1"],
        )?;
        let token = server.csrf_token()?;
        let id = start_job(&server.addr, &token, "/content/dam")?;
        let job = loop {
            let v = job_status(&server.addr, &id)?;
            if has_ended(&v) {
                break v;
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        drop(server);
        assets = job["migrationSet"]["totalFiles"].as_f64().unwrap_or(0.0);
        let secs = (job["completedAt"].as_f64().unwrap_or(0.0)
            - job["startedAt"].as_f64().unwrap_or(0.0))
            / 1_000.0;
        ours_runs.push(assets / secs);
        last_job = job;

        let t = Instant::now();
        run(Command::new("sh")
            .arg("-c")
            .arg("find . -type f -print0 | xargs -0 sha256sum > /dev/null")
            .current_dir(repository))?;
        theirs_runs.push(assets / t.elapsed().as_secs_f64());
    }
    let ours = median(&mut ours_runs);
    let theirs = median(&mut theirs_runs);
    let job = last_job;
    let secs = assets / ours;
    figures.push(Figure {
        name: "processing throughput (1 worker, counting included), median of 3".into(),
        value: ours,
        unit: "assets/s".into(),
        goal: None,
        meets_goal: None,
        detail: format!("{assets} assets in {secs:.2} s: {}", job["comments"]),
    });
    figures.push(Figure {
        name: "sha256sum over the same files, median of 3".into(),
        value: theirs,
        unit: "assets/s".into(),
        goal: None,
        meets_goal: None,
        detail: "find | xargs sha256sum, warm cache".into(),
    });
    let ratio = ours / theirs;
    figures.push(Figure {
        name: "throughput ratio, processing / sha256sum".into(),
        value: ratio,
        unit: "×".into(),
        goal: Some("≥ 0.5".into()),
        meets_goal: Some(ratio >= 0.5),
        detail: String::new(),
    });
    Ok(())
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
