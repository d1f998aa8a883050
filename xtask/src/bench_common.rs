//! What the benchmarks share: a figure of the report, and starting and watching a job over
//! the API as a script does. `bench.rs` runs the benchmarks; `bench_server.rs` (the
//! server's), `bench_web.rs` and `bench_browser.rs` (the console's) and `bench_lookup.rs`
//! (the per-asset status) use these without going back to it.

use serde_json::{json, Value};

use crate::server::{get, request, DEMO_AUTH};

/// One figure of the report.
pub struct Figure {
    pub name: String,
    pub value: f64,
    pub unit: String,
    pub goal: Option<String>,
    pub meets_goal: Option<bool>,
    pub detail: String,
}

/// Starts a job on the folder `path` (HTTP Basic and a CSRF token, as a script does);
/// returns its id.
/// A 429 (the user already has the most runs waiting that the server allows) is waited out:
/// the start is asked again as runs leave the queue, for at most two minutes.
pub fn start_job(addr: &str, token: &str, path: &str) -> Result<String, String> {
    let body = json!({"path": path, "type": "ASSET_PROCESSING"}).to_string();
    let give_up = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let (status, answer) = loop {
        let (status, answer) = request(
            addr,
            "POST",
            "/bin/guides/v1/assets/process",
            &[
                ("Authorization", DEMO_AUTH),
                ("CSRF-Token", token),
                ("Content-Type", "application/json"),
            ],
            &body,
        )?;
        if status != 429 || std::time::Instant::now() > give_up {
            break (status, answer);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    if status != 200 {
        return Err(format!("start failed: {status} {answer}"));
    }
    let v: Value = serde_json::from_str(&answer).map_err(|e| e.to_string())?;
    v["processingId"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| "no processingId".into())
}

/// The job's status answer, as JSON.
pub fn job_status(addr: &str, id: &str) -> Result<Value, String> {
    let (_, body) = get(
        addr,
        &format!("/bin/guides/v1/assets/process/status?processingId={id}"),
        true,
    )?;
    serde_json::from_str(&body).map_err(|e| e.to_string())
}

/// A job (its status answer) that will not change any more by itself.
pub fn has_ended(job: &Value) -> bool {
    job["status"] != "RUNNING" && job["status"] != "WAITING"
}
