//! The per-asset status look-up over a big repository: 1,000,000 assets, each with a result
//! of a finished job, looked up through the API as a console would (POST, then GET until the
//! look-up is SUCCESS, the whole answer read). Goal: within 10 s on the project's machine.
//!
//! The repository (1,000 folders of 1,000 small files) and the database with the finished
//! run over it are built once and kept under `target/bench/` (`lookup-million-*`): the run
//! takes minutes, the look-ups seconds. The console's report benchmark uses the 100,000-asset
//! repository (`big_repository`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{json, Value};

use crate::bench_common::{has_ended, job_status, start_job, Figure};
use crate::server::{get, request, Server, DEMO_AUTH};

/// The console's report benchmark's repository: 100 folders of 1,000 assets.
const ASSETS: usize = 100_000;
const FOLDERS: usize = 100;

/// The look-up benchmark's repository: 1,000 folders of 1,000 assets.
const MILLION: usize = 1_000_000;
const MILLION_FOLDERS: usize = 1_000;

/// Look-ups measured (the median is reported).
const LOOKUPS: usize = 3;

pub fn asset_status_lookup(
    binary: &Path,
    work: &Path,
    figures: &mut Vec<Figure>,
) -> Result<(), String> {
    let repository = repository(work, "lookup-million-repository", MILLION, MILLION_FOLDERS)?;
    let (server, _, built) = million_run(binary, work, &repository, &[])?;
    let token = server.csrf_token()?;
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..LOOKUPS {
        let (ms, size) = one_lookup(&server.addr, &token, MILLION)?;
        times.push(ms);
        bytes = size;
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    figures.push(Figure {
        name: "per-asset status of 1,000,000 assets (POST to full answer), median".into(),
        value: median,
        unit: "ms".into(),
        goal: Some("≤ 10000".into()),
        meets_goal: Some(median <= 10_000.0),
        detail: format!(
            "{LOOKUPS} look-ups after a job over the same assets{}; answer {:.1} MB, streamed; \
             fastest {:.0} ms",
            if built {
                " (built in this run)"
            } else {
                " (kept from an earlier run)"
            },
            bytes as f64 / 1e6,
            times[0]
        ),
    });
    Ok(())
}

/// A server (started with `extra` arguments) over the million-asset repository whose database
/// holds a finished run over all of it, and that run's id: the one kept from an earlier bench
/// run, or a new one (true).
fn million_run(
    binary: &Path,
    work: &Path,
    repository: &Path,
    extra: &[&str],
) -> Result<(Server, String, bool), String> {
    let data = work.join("lookup-million-data");
    let done = data.join("bench-run-done");
    if let Ok(id) = std::fs::read_to_string(&done) {
        let server = Server::start_keep_with(binary, repository, &data, extra)?;
        return Ok((server, id.trim().to_string(), false));
    }
    let server = Server::start(binary, repository, &data, extra)?;
    let token = server.csrf_token()?;
    let id = start_job(&server.addr, &token, "/content/dam/bulk")?;
    wait_for_run(&server.addr, &id, MILLION, Duration::from_secs(1_200))?;
    std::fs::write(&done, &id).map_err(|e| e.to_string())?;
    Ok((server, id, true))
}

/// The console (`--console dist`) over the million-asset repository and its finished run
/// (built once, shared with the look-up benchmark): the console's million-asset report.
pub(crate) fn million_console(
    binary: &Path,
    work: &Path,
    dist: &str,
) -> Result<(Server, String), String> {
    let repository = repository(work, "lookup-million-repository", MILLION, MILLION_FOLDERS)?;
    let (server, id, _) = million_run(binary, work, &repository, &["--console", dist])?;
    Ok((server, id))
}

/// Waits for the job `id` over the whole big repository to end, every asset handled
/// (also the console's report benchmark's run, `bench_browser::report_server`).
pub(crate) fn wait_for_bulk_run(addr: &str, id: &str) -> Result<(), String> {
    wait_for_run(addr, id, ASSETS, Duration::from_secs(900))
}

fn wait_for_run(addr: &str, id: &str, assets: usize, within: Duration) -> Result<(), String> {
    let started = Instant::now();
    loop {
        let job = job_status(addr, id)?;
        if has_ended(&job) {
            if job["status"] != "SUCCESS" || job["triggeredCount"] != assets {
                return Err(format!("the job over the big repository ended as {job}"));
            }
            return Ok(());
        }
        if started.elapsed() > within {
            return Err(format!(
                "the job over {assets} assets did not end within {} s",
                within.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// What the benchmark reads of a look-up's answer (the rest of it is parsed and skipped).
#[derive(Deserialize)]
struct Answer {
    status: String,
    #[serde(default)]
    assets: Vec<AnswerAsset>,
}

#[derive(Deserialize)]
struct AnswerAsset {
    status: String,
}

/// One look-up: (milliseconds from the POST to the whole answer read, answer size).
fn one_lookup(addr: &str, token: &str, expected: usize) -> Result<(f64, usize), String> {
    let t = Instant::now();
    let (status, body) = request(
        addr,
        "POST",
        "/bin/guides/v1/assets/status",
        &[
            ("Authorization", DEMO_AUTH),
            ("CSRF-Token", token),
            ("Content-Type", "application/json"),
        ],
        &json!({"paths": ["/content/dam/bulk"]}).to_string(),
    )?;
    if status != 200 {
        return Err(format!("look-up refused: {status} {body}"));
    }
    let job_id = serde_json::from_str::<Value>(&body).map_err(|e| e.to_string())?["jobId"]
        .as_str()
        .ok_or("no jobId")?
        .to_string();
    loop {
        let (status, body) = get(
            addr,
            &format!("/bin/guides/v1/assets/status?jobId={job_id}"),
            true,
        )?;
        if status != 200 {
            return Err(format!("look-up answer {status}"));
        }
        let ms = t.elapsed().as_secs_f64() * 1_000.0;
        let answer: Answer = serde_json::from_str(&body).map_err(|e| e.to_string())?;
        match answer.status.as_str() {
            "SUCCESS" => {
                let assets = answer.assets.len();
                let all_success = answer.assets.iter().all(|x| x.status == "SUCCESS");
                if assets != expected || !all_success {
                    return Err(format!(
                        "the look-up answered {assets} assets (all SUCCESS: {all_success})"
                    ));
                }
                return Ok((ms, body.len()));
            }
            "FAILED" => return Err("the look-up FAILED".into()),
            _ => std::thread::sleep(Duration::from_millis(10)),
        }
        if t.elapsed() > Duration::from_secs(120) {
            return Err("the look-up did not end within 2 minutes".into());
        }
    }
}

/// 100 folders of 1,000 small text assets (first run only), under `/content/dam/bulk`.
pub(crate) fn big_repository(work: &Path) -> Result<PathBuf, String> {
    repository(work, "lookup-repository", ASSETS, FOLDERS)
}

/// `folders` folders of small text assets, `assets` in all (first run only), under
/// `/content/dam/bulk` of `work/name`.
fn repository(work: &Path, name: &str, assets: usize, folders: usize) -> Result<PathBuf, String> {
    let repository = work.join(name);
    let bulk = repository.join("bulk");
    let per_folder = assets / folders;
    let last = bulk.join(format!("d{:03}", folders - 1));
    if last.join(format!("f{:04}.txt", per_folder - 1)).exists() {
        return Ok(repository);
    }
    let _ = std::fs::remove_dir_all(&repository);
    for d in 0..folders {
        let dir = bulk.join(format!("d{d:03}"));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for f in 0..per_folder {
            std::fs::write(dir.join(format!("f{f:04}.txt")), format!("asset {d}/{f}\n"))
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(repository)
}
