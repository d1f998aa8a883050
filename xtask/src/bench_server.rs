//! The reference server's benchmarks (`cargo xtask bench`, see `bench.rs`): the cost of a
//! deep log page, 200 pollers while two jobs run, processing throughput next to `sha256sum`,
//! and the per-asset status look-up (`bench_lookup.rs`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::bench_common::{has_ended, job_status, start_job, Figure};
use crate::server::{get, Server};
use crate::util::{run, step};

/// Every benchmark of the server, into `figures`; `seconds` of polling.
pub fn server_benches(
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
    step("per-asset status look-up of 1,000,000 assets", || {
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
    database_bytes_per_line(&data, 1_000_000, figures)?;
    let server = Server::start_keep(binary, &empty, &data)?;
    let page = |offset: u64| {
        format!("/bin/guides/v1/assets/process/logs?processingId={id}&offset={offset}&limit=1000")
    };
    // 998,500: a page that starts half-way through one of the log's sealed blocks of 1,000
    // lines and ends in the next (store/logs.rs), the dearest page to read.
    for _ in 0..20 {
        timed_get(&server.addr, &page(0))?;
        timed_get(&server.addr, &page(999_000))?;
        timed_get(&server.addr, &page(998_500))?;
    }
    let (mut first, mut deep, mut across) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..200 {
        let (ms, status, body) = timed_get(&server.addr, &page(0))?;
        check_page(status, &body, 0)?;
        first.push(ms);
        let (ms, status, body) = timed_get(&server.addr, &page(999_000))?;
        check_page(status, &body, 999_000)?;
        deep.push(ms);
        let (ms, status, body) = timed_get(&server.addr, &page(998_500))?;
        check_page(status, &body, 998_500)?;
        across.push(ms);
    }
    let (m0, m999) = (median(&mut first), median(&mut deep));
    let m998 = median(&mut across);
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
    let ratio = m998 / m0;
    figures.push(Figure {
        name: "log page cost ratio, offset 998,500 (across two blocks) / offset 0".into(),
        value: ratio,
        unit: "×".into(),
        goal: Some("≤ 1.5".into()),
        meets_goal: Some(ratio <= 1.5),
        detail: format!("{m998:.2} ms against {m0:.2} ms, interleaved"),
    });
    Ok(())
}

/// The database's size (its file and any write-ahead log) over the lines of the one log it
/// holds: what a log line costs on disk.
fn database_bytes_per_line(
    data: &Path,
    lines: u64,
    figures: &mut Vec<Figure>,
) -> Result<(), String> {
    let file = data.join("asset-processing.sqlite");
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let bytes = size(&file) + size(&data.join("asset-processing.sqlite-wal"));
    if bytes == 0 {
        return Err(format!("no database at {}", file.display()));
    }
    let per_line = bytes as f64 / lines as f64;
    figures.push(Figure {
        name: "database bytes per log line".into(),
        value: per_line,
        unit: "B".into(),
        goal: Some("≤ 100".into()),
        meets_goal: Some(per_line <= 100.0),
        detail: format!(
            "{:.1} MB of SQLite for a {lines}-line synthetic log of about 120-character lines",
            bytes as f64 / 1e6
        ),
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
    let controller = keep_two_jobs_running(&addr, &token, &running, &stop, &jobs_started);
    let tally = Arc::new(PollTally::default());
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut threads = Vec::new();
    for n in 0..200usize {
        let (running, tally, addr) = (running.clone(), tally.clone(), addr.clone());
        threads.push(std::thread::spawn(move || {
            poll_once_a_second(n, deadline, &running, &addr, &tally)
        }));
    }
    for t in threads {
        let _ = t.join();
    }
    stop.store(true, Ordering::SeqCst);
    let _ = controller.join();
    poller_figures(&tally, jobs_started.load(Ordering::SeqCst), figures);
    Ok(())
}

/// What the pollers measured, shared by their threads.
#[derive(Default)]
struct PollTally {
    status_ms: Mutex<Vec<f64>>,
    logs_ms: Mutex<Vec<f64>>,
    errors: AtomicU64,
    first_error: Mutex<Option<String>>,
}

impl PollTally {
    fn error(&self, e: String) {
        self.errors.fetch_add(1, Ordering::SeqCst);
        self.first_error.lock().unwrap().get_or_insert(e);
    }
}

/// Until `stop`: whenever one of the `running` jobs has ended, starts another in its slot
/// (counting it in `started`).
fn keep_two_jobs_running(
    addr: &str,
    token: &str,
    running: &Arc<Mutex<Vec<String>>>,
    stop: &Arc<AtomicBool>,
    started: &Arc<AtomicU64>,
) -> std::thread::JoinHandle<()> {
    let (running, stop, addr, token, started) = (
        running.clone(),
        stop.clone(),
        addr.to_string(),
        token.to_string(),
        started.clone(),
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
}

/// Poller `n` of 200: the status and the log's tail of job `n % 2`, once a second until
/// `deadline`.
fn poll_once_a_second(
    n: usize,
    deadline: Instant,
    running: &Mutex<Vec<String>>,
    addr: &str,
    tally: &PollTally,
) {
    // Spread the pollers over the first second, then poll once a second like the console.
    std::thread::sleep(Duration::from_millis((n as u64 * 5) % 1_000));
    while Instant::now() < deadline {
        let tick = Instant::now();
        let id = running.lock().unwrap()[n % 2].clone();
        for (path, sink) in [
            (
                format!("/bin/guides/v1/assets/process/status?processingId={id}"),
                &tally.status_ms,
            ),
            (
                format!("/bin/guides/v1/assets/process/logs?processingId={id}&tail=200"),
                &tally.logs_ms,
            ),
        ] {
            match timed_get(addr, &path) {
                Ok((ms, 200, _)) => sink.lock().unwrap().push(ms),
                Ok((_, status, body)) => tally.error(format!("{status} {body}")),
                Err(e) => tally.error(e),
            }
        }
        if let Some(rest) = Duration::from_secs(1).checked_sub(tick.elapsed()) {
            std::thread::sleep(rest);
        }
    }
}

/// The latency p50 and p99 of each request, and the errors (goal: none).
fn poller_figures(tally: &PollTally, jobs_started: u64, figures: &mut Vec<Figure>) {
    let mut s = tally.status_ms.lock().unwrap().clone();
    let mut l = tally.logs_ms.lock().unwrap().clone();
    let requests = s.len() + l.len();
    let errs = tally.errors.load(Ordering::SeqCst);
    let detail = format!(
        "{requests} answered requests, {jobs_started} jobs run during the test{}",
        tally
            .first_error
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
        // Issue 25's goal (it was half, issue 4's).
        goal: Some("≥ 0.7".into()),
        meets_goal: Some(ratio >= 0.7),
        detail: String::new(),
    });
    Ok(())
}
