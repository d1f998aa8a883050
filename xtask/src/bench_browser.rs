//! The console's browser benchmarks (`cargo xtask bench`; the top of `bench.rs` says what
//! they measure and how a Playwright spec in `e2e/bench/` adds figures): the servers they run
//! against, every Playwright spec of `e2e/bench/`, and Lighthouse on the history page.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::bench_common::{has_ended, start_job, Figure};
use crate::server::{get, work_dir, Server};
use crate::tools::CHROMIUM;
use crate::util::{root, run_capture};

/// Goal for each Lighthouse category score.
const LIGHTHOUSE_GOAL: f64 = 95.0;
/// Finished runs in the history the start-up is measured with.
const HISTORY_RUNS: usize = 100;
/// The folder a paced job runs on in the polling spec: assets and the pause per asset (two
/// at a time, one per core): about 40 s of running.
const PACED_ASSETS: usize = 100;
const PACE_MS: &str = "800";

/// A folder mapped to /content/dam for the browser benchmarks: `one/` (one small asset, for
/// many quick runs) and `paced/` (the job the polling spec watches).
fn web_repository(work: &Path) -> Result<PathBuf, String> {
    let repository = work.join("web-repository");
    let paced = repository.join("paced");
    if !paced.join(format!("asset-{PACED_ASSETS:03}.txt")).exists() {
        let _ = std::fs::remove_dir_all(&repository);
        std::fs::create_dir_all(repository.join("one")).map_err(|e| e.to_string())?;
        std::fs::create_dir_all(&paced).map_err(|e| e.to_string())?;
        std::fs::write(repository.join("one/readme.txt"), "one asset\n")
            .map_err(|e| e.to_string())?;
        for n in 1..=PACED_ASSETS {
            std::fs::write(
                paced.join(format!("asset-{n:03}.txt")),
                format!("asset {n}\n"),
            )
            .map_err(|e| e.to_string())?;
        }
    }
    Ok(repository)
}

/// A database with `HISTORY_RUNS` finished runs, made by starting them through the API.
fn seeded_history(binary: &Path, work: &Path, repository: &Path) -> Result<PathBuf, String> {
    let data = work.join("web-seed");
    let server = Server::start(binary, repository, &data, &["--workers", "2"])?;
    let token = server.csrf_token()?;
    for _ in 0..HISTORY_RUNS {
        start_job(&server.addr, &token, "/content/dam/one")?;
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (_, body) = get(
            &server.addr,
            &format!("/bin/guides/v1/assets/process/history?limit={HISTORY_RUNS}"),
            true,
        )?;
        let v: Value = serde_json::from_str(&body).map_err(|e| e.to_string())?;
        let runs = v["executionHistory"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if runs.len() == HISTORY_RUNS && runs.iter().all(has_ended) {
            break;
        }
        if Instant::now() > deadline {
            return Err(format!(
                "{HISTORY_RUNS} one-asset runs did not all finish within 2 minutes"
            ));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    drop(server);
    Ok(data)
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// The console's dist with the history showing 100 runs (`data-history-size`, a documented
/// option of the mount element), so the start-up ends at the same table as the minimal app's.
fn console_dist_with_100_runs(work: &Path) -> Result<PathBuf, String> {
    let dist = work.join("console-dist");
    copy_dir(&root().join("dist"), &dist)?;
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| e.to_string())?;
    // trunk minifies the page: the attribute may have lost its quotes.
    let mount = [
        r#"id="asset-processing-console""#,
        "id=asset-processing-console",
    ]
    .into_iter()
    .find(|m| html.contains(m))
    .ok_or("dist/index.html has no mount element (id=\"asset-processing-console\")")?;
    let html = html.replacen(
        mount,
        &format!(r#"{mount} data-history-size="{HISTORY_RUNS}""#),
        1,
    );
    std::fs::write(&index, html).map_err(|e| e.to_string())?;
    Ok(dist)
}

/// The servers the browser benchmarks measure, started together.
pub struct WebServers {
    /// The console (history of 100 finished runs, shown 100 at a time).
    pub console: Server,
    /// The minimal Leptos app over a copy of the same database.
    pub minimal: Server,
    /// The console with a slow job to watch (`--pace-ms`), fresh data.
    pub live: Server,
    /// The console over a database holding a 1,000,000-line log (`log_id`), in `log_data`,
    /// where a spec may write more logs with `binary synthesize-log`.
    pub log: Server,
    pub log_id: String,
    pub log_data: PathBuf,
    pub binary: PathBuf,
    /// The console over the 100,000-asset repository with one finished run over all of it
    /// (`report_id`): the per-asset report's benchmark (`report.spec.ts`).
    pub report: Server,
    pub report_id: String,
    /// The console over the million-asset repository with one finished run over all of it
    /// (`million_id`, shared with the look-up benchmark): `report.spec.ts` (issue 25).
    pub million: Server,
    pub million_id: String,
}

pub fn start_servers(binary: &Path, minimal_dist: &Path) -> Result<WebServers, String> {
    let work = work_dir("bench");
    let repository = web_repository(&work)?;
    let seed = seeded_history(binary, &work, &repository)?;
    let (data_c, data_m) = (work.join("web-console-data"), work.join("web-minimal-data"));
    copy_dir(&seed, &data_c)?;
    copy_dir(&seed, &data_m)?;
    let dist = console_dist_with_100_runs(&work)?;
    let dist_arg = dist.to_string_lossy().to_string();
    let minimal_arg = minimal_dist.to_string_lossy().to_string();
    let (log_data, log_id) = log_fixture(binary, &work)?;
    let (report, report_id) = report_server(binary, &work, &dist_arg)?;
    let (million, million_id) = crate::bench_lookup::million_console(binary, &work, &dist_arg)?;
    Ok(WebServers {
        report,
        report_id,
        million,
        million_id,
        log: Server::start_keep_with(binary, &repository, &log_data, &["--console", &dist_arg])?,
        log_id,
        log_data,
        binary: binary.to_path_buf(),
        console: Server::start_keep_with(binary, &repository, &data_c, &["--console", &dist_arg])?,
        minimal: Server::start_keep_with(
            binary,
            &repository,
            &data_m,
            &["--console", &minimal_arg],
        )?,
        live: Server::start(
            binary,
            &repository,
            &work.join("web-live-data"),
            &["--console", &dist_arg, "--pace-ms", PACE_MS],
        )?,
    })
}

/// Lines of the log viewer's log (issue 25: ten million).
pub const LOG_LINES: u64 = 10_000_000;

/// A copy of the database holding the `LOG_LINES`-line log, in `web-log-data` (the spec writes
/// a growing log next to it), and that log's id. The log itself is written once by
/// `synthesize-log` (about 10 s for 10,000,000 lines on two cores) into `log-10m-fixture`
/// and kept there between runs, its id in `log-id`.
pub fn log_fixture(binary: &Path, work: &Path) -> Result<(PathBuf, String), String> {
    let fixture = work.join("log-10m-fixture");
    let id_file = fixture.join("log-id");
    let id = match std::fs::read_to_string(&id_file) {
        Ok(id) if !id.trim().is_empty() => id.trim().to_string(),
        _ => {
            let _ = std::fs::remove_dir_all(&fixture);
            let started = Instant::now();
            let out = Command::new(binary)
                .args([
                    "synthesize-log",
                    "--lines",
                    &LOG_LINES.to_string(),
                    "--data",
                ])
                .arg(&fixture)
                .output()
                .map_err(|e| format!("synthesize-log: {e}"))?;
            let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if !out.status.success() || id.is_empty() {
                return Err(format!(
                    "synthesize-log failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
            println!(
                "    the {LOG_LINES}-line log written in {:.1} s (kept in {})",
                started.elapsed().as_secs_f64(),
                fixture.display()
            );
            std::fs::write(&id_file, &id).map_err(|e| e.to_string())?;
            id
        }
    };
    let data = work.join("web-log-data");
    copy_dir(&fixture, &data)?;
    Ok((data, id))
}

/// The console's dist as the browser benchmarks serve it (`console-dist`, the history shown
/// 100 runs at a time).
pub fn bench_dist() -> Result<PathBuf, String> {
    console_dist_with_100_runs(&work_dir("bench"))
}

/// One spec of `e2e/bench/` against its own server (`APC_BENCH_ONLY=logviewer`, `report` or
/// `report-million`):
/// only the servers it needs are started.
pub fn one_spec(binary: &Path, name: &str, figures: &mut Vec<Figure>) -> Result<(), String> {
    let work = work_dir("bench");
    let dist = bench_dist()?;
    let dist_arg = dist.to_string_lossy().to_string();
    let mut env: Vec<(&str, String)> = Vec::new();
    // Kept alive until the spec has run.
    let _servers: Vec<Server> = match name {
        "logviewer" => {
            let repository = web_repository(&work)?;
            let (data, id) = log_fixture(binary, &work)?;
            let server =
                Server::start_keep_with(binary, &repository, &data, &["--console", &dist_arg])?;
            env.push(("APC_BENCH_LOG_URL", server.url("")));
            env.push(("APC_BENCH_LOG_ID", id));
            env.push(("APC_BENCH_LOG_DATA", data.to_string_lossy().to_string()));
            env.push(("APC_BENCH_SERVER_BIN", binary.to_string_lossy().to_string()));
            vec![server]
        }
        "report" => {
            let (server, id) = report_server(binary, &work, &dist_arg)?;
            env.push(("APC_BENCH_REPORT_URL", server.url("")));
            env.push(("APC_BENCH_REPORT_ID", id));
            vec![server]
        }
        "report-million" => {
            let (million, million_id) =
                crate::bench_lookup::million_console(binary, &work, &dist_arg)?;
            env.push(("APC_BENCH_MILLION_URL", million.url("")));
            env.push(("APC_BENCH_MILLION_ID", million_id));
            vec![million]
        }
        other => return Err(format!("no one-spec run for e2e/bench/{other}.spec.ts")),
    };
    run_specs(&[name.to_string()], &env, figures)
}

/// The console over the per-asset look-up's 100,000-asset repository
/// (`bench_lookup::big_repository`) with a finished run over all of it. The run is kept in
/// `web-report-data` and found again in the history by the next bench run (it takes minutes).
fn report_server(binary: &Path, work: &Path, dist_arg: &str) -> Result<(Server, String), String> {
    let repository = crate::bench_lookup::big_repository(work)?;
    let server = Server::start_keep_with(
        binary,
        &repository,
        &work.join("web-report-data"),
        &["--console", dist_arg],
    )?;
    let (_, body) = crate::server::get(
        &server.addr,
        "/bin/guides/v1/assets/process/history?limit=100",
        true,
    )?;
    let history: Value = serde_json::from_str(&body).map_err(|e| format!("history: {e}"))?;
    let earlier = history["executionHistory"].as_array().and_then(|runs| {
        runs.iter().find(|j| {
            j["path"] == "/content/dam/bulk"
                && j["status"] == "SUCCESS"
                && j["triggeredCount"] == 100_000
        })
    });
    let id = match earlier.and_then(|j| j["processingId"].as_str()) {
        Some(id) => id.to_string(),
        None => {
            let token = server.csrf_token()?;
            let id = crate::bench_common::start_job(&server.addr, &token, "/content/dam/bulk")?;
            crate::bench_lookup::wait_for_bulk_run(&server.addr, &id)?;
            id
        }
    };
    Ok((server, id))
}

/// Runs every spec of `e2e/bench/` (Playwright, Chromium) and merges the figures each wrote
/// to `target/bench/figures-<spec name>.json`.
pub fn playwright_specs(servers: &WebServers, figures: &mut Vec<Figure>) -> Result<(), String> {
    let env = vec![
        ("APC_BENCH_CONSOLE_URL", servers.console.url("")),
        ("APC_BENCH_MINIMAL_URL", servers.minimal.url("")),
        ("APC_BENCH_LIVE_URL", servers.live.url("")),
        ("APC_BENCH_LIVE_FOLDER", "/content/dam/paced".to_string()),
        ("APC_BENCH_LOG_URL", servers.log.url("")),
        ("APC_BENCH_LOG_ID", servers.log_id.clone()),
        (
            "APC_BENCH_LOG_DATA",
            servers.log_data.to_string_lossy().to_string(),
        ),
        ("APC_BENCH_REPORT_URL", servers.report.url("")),
        ("APC_BENCH_REPORT_ID", servers.report_id.clone()),
        ("APC_BENCH_MILLION_URL", servers.million.url("")),
        ("APC_BENCH_MILLION_ID", servers.million_id.clone()),
        (
            "APC_BENCH_SERVER_BIN",
            servers.binary.to_string_lossy().to_string(),
        ),
    ];
    run_specs(&spec_names()?, &env, figures)
}

/// Runs the specs `names` of `e2e/bench/` in one Playwright run with `env` set, and merges the
/// figures each wrote.
fn run_specs(
    specs: &[String],
    env: &[(&str, String)],
    figures: &mut Vec<Figure>,
) -> Result<(), String> {
    let out = work_dir("bench");
    for name in specs {
        let _ = std::fs::remove_file(out.join(format!("figures-{name}.json")));
    }
    let mut cmd = Command::new("npx");
    cmd.args(["playwright", "test", "-c", "playwright.bench.config.ts"])
        .args(specs.iter().map(|n| format!("{n}.spec.ts")))
        .current_dir(root().join("e2e"))
        .env("APC_BENCH_OUT", &out);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let (ok, _) = run_capture(&mut cmd)?;
    let mut missing = Vec::new();
    for name in specs {
        let file = out.join(format!("figures-{name}.json"));
        let Ok(text) = std::fs::read_to_string(&file) else {
            missing.push(format!(
                "e2e/bench/{name}.spec.ts wrote no {}",
                file.display()
            ));
            continue;
        };
        let list: Vec<Value> =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        for f in list {
            figures.push(figure_from_json(&f).map_err(|e| format!("{}: {e}", file.display()))?);
        }
    }
    if !missing.is_empty() || !ok {
        return Err(format!(
            "the browser benchmarks did not all complete{}{}",
            if ok {
                ""
            } else {
                " (Playwright reported failures)"
            },
            missing
                .iter()
                .map(|m| format!("\n    {m}"))
                .collect::<String>()
        ));
    }
    Ok(())
}

/// `foo` for each `e2e/bench/foo.spec.ts`.
fn spec_names() -> Result<Vec<String>, String> {
    let dir = root().join("e2e/bench");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".spec.ts")
                .map(str::to_string)
        })
        .collect();
    names.sort();
    Ok(names)
}

/// One entry of a figures file: {name, value, unit, goal, meetsGoal, detail}.
fn figure_from_json(f: &Value) -> Result<Figure, String> {
    Ok(Figure {
        name: f["name"]
            .as_str()
            .ok_or("a figure without a name")?
            .to_string(),
        value: f["value"]
            .as_f64()
            .ok_or_else(|| format!("figure {} has no numeric value", f["name"]))?,
        unit: f["unit"].as_str().unwrap_or("").to_string(),
        goal: f["goal"].as_str().map(str::to_string),
        meets_goal: f["meetsGoal"].as_bool(),
        detail: f["detail"].as_str().unwrap_or("").to_string(),
    })
}

/// Signs the demo user in as the login page does and returns the `login-token` cookie
/// ("login-token=…"), so Lighthouse can load the console as that person.
fn login_cookie(addr: &str) -> Result<String, String> {
    let body = "j_username=admin&j_password=admin&resource=%2F";
    let mut stream = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "POST /libs/granite/core/content/login.html/j_security_check HTTP/1.1\r\nHost: {addr}\r\n\
         Connection: close\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| e.to_string())?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|e| e.to_string())?;
    answer
        .lines()
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .find_map(|(_, v)| {
            let pair = v.trim().split(';').next()?.trim();
            pair.starts_with("login-token=").then(|| pair.to_string())
        })
        .ok_or_else(|| {
            format!(
                "sign-in set no login-token cookie: {}",
                answer.lines().next().unwrap_or("")
            )
        })
}

/// Lighthouse runs per preset: its performance score moves by several points from run to
/// run, so each figure is the median of these (issue 23), the runs' scores in its detail.
const LIGHTHOUSE_RUNS: usize = 3;
/// Issue 23's goal for the performance score on a phone (the median of three runs).
const LIGHTHOUSE_MOBILE_PERFORMANCE_GOAL: f64 = 98.0;

/// Lighthouse (performance, accessibility, best practices) on the console's history page,
/// signed in through the `login-token` cookie, for the mobile (Lighthouse's default) and
/// desktop presets, `LIGHTHOUSE_RUNS` times each: each score is the median of the runs, the
/// metrics are those of the run with the median performance score.
pub fn lighthouse(server: &Server, figures: &mut Vec<Figure>) -> Result<(), String> {
    let cookie = login_cookie(&server.addr)?;
    let headers = json!({ "Cookie": cookie }).to_string();
    let url = server.url("/");
    for preset in ["mobile", "desktop"] {
        let mut reports = Vec::new();
        for run in 1..=LIGHTHOUSE_RUNS {
            reports.push(lighthouse_once(&url, &headers, preset, run)?);
        }
        let performance = |r: &Value| {
            r["categories"]["performance"]["score"]
                .as_f64()
                .unwrap_or(0.0)
        };
        reports.sort_by(|a, b| performance(a).total_cmp(&performance(b)));
        let report = &reports[reports.len() / 2];
        // The median run's report is kept where the last session's was.
        let out = work_dir("bench").join(format!("lighthouse-{preset}.json"));
        let _ = std::fs::write(&out, report.to_string());
        let metrics = [
            "first-contentful-paint",
            "largest-contentful-paint",
            "total-blocking-time",
            "cumulative-layout-shift",
            "speed-index",
        ]
        .iter()
        .filter_map(|a| {
            let audit = &report["audits"][a];
            Some(format!(
                "{} {}",
                audit["title"].as_str()?,
                audit["displayValue"].as_str()?
            ))
        })
        .collect::<Vec<_>>()
        .join(", ");
        for (key, title) in [
            ("performance", "performance"),
            ("accessibility", "accessibility"),
            ("best-practices", "best practices"),
        ] {
            let mut scores = Vec::new();
            for r in &reports {
                scores.push(
                    r["categories"][key]["score"].as_f64().ok_or_else(|| {
                        format!(
                            "Lighthouse ({preset}) gave no {title} score (see {})",
                            out.display()
                        )
                    })? * 100.0,
                );
            }
            let runs = scores
                .iter()
                .map(|s| format!("{s:.0}"))
                .collect::<Vec<_>>()
                .join(", ");
            scores.sort_by(f64::total_cmp);
            let score = scores[scores.len() / 2];
            let category = &report["categories"][key];
            let failed = failed_audits(report, category);
            let detail = match (key, failed.is_empty()) {
                ("performance", _) => format!(
                    "median of {LIGHTHOUSE_RUNS} runs ({runs}); the median run: {metrics}; below 1: {}",
                    failed.join(", ")
                ),
                (_, true) => format!("median of {LIGHTHOUSE_RUNS} runs ({runs}); every audit passed"),
                (_, false) => format!(
                    "median of {LIGHTHOUSE_RUNS} runs ({runs}); below 1: {}",
                    failed.join(", ")
                ),
            };
            let goal = if (key, preset) == ("performance", "mobile") {
                LIGHTHOUSE_MOBILE_PERFORMANCE_GOAL
            } else {
                LIGHTHOUSE_GOAL
            };
            figures.push(Figure {
                name: format!("Lighthouse {title}, {preset}, median of {LIGHTHOUSE_RUNS}"),
                value: score,
                unit: "/100".into(),
                goal: Some(format!("≥ {goal:.0}")),
                meets_goal: Some(score >= goal),
                detail,
            });
        }
    }
    Ok(())
}

/// One Lighthouse run of `preset` on `url`: its report.
fn lighthouse_once(url: &str, headers: &str, preset: &str, run: usize) -> Result<Value, String> {
    let out = work_dir("bench").join(format!("lighthouse-{preset}-{run}.json"));
    let _ = std::fs::remove_file(&out);
    let mut cmd = Command::new("npx");
    cmd.current_dir(root().join("e2e"))
        .env("CHROME_PATH", CHROMIUM)
        .args(["lighthouse", url, "--quiet", "--output=json"])
        .arg(format!("--output-path={}", out.display()))
        .arg("--only-categories=performance,accessibility,best-practices")
        .arg(format!("--extra-headers={headers}"))
        .arg(
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-quic \
             --no-first-run --disable-background-networking --disable-component-update \
             --disable-sync",
        );
    if preset == "desktop" {
        cmd.arg("--preset=desktop");
    }
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run lighthouse: {e}"))?;
    let report: Value = std::fs::read_to_string(&out)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .ok_or_else(|| format!("Lighthouse ({preset}, {status}) wrote no report"))?;
    if let Some(e) = report["runtimeError"]["message"].as_str() {
        return Err(format!("Lighthouse ({preset}) failed: {e}"));
    }
    Ok(report)
}

/// The titles of a category's scored audits that did not get full marks.
fn failed_audits(report: &Value, category: &Value) -> Vec<String> {
    category["auditRefs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["weight"].as_f64().unwrap_or(0.0) > 0.0)
        .filter_map(|r| {
            let audit = &report["audits"][r["id"].as_str()?];
            let score = audit["score"].as_f64()?;
            (score < 1.0)
                .then(|| format!("{} ({:.2})", audit["title"].as_str().unwrap_or("?"), score))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_figure_written_by_a_spec() {
        let f = figure_from_json(&json!({"name": "x", "value": 2.5, "unit": "ms",
            "goal": "≤ 3", "meetsGoal": true, "detail": "d"}))
        .unwrap();
        assert_eq!(
            (f.name.as_str(), f.value, f.meets_goal),
            ("x", 2.5, Some(true))
        );
        assert!(figure_from_json(&json!({"name": "x", "value": null})).is_err());
    }
}
