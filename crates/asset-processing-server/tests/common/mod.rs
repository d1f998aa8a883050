//! A real server on a loopback port with its own temporary repository and data folder, and
//! a client that signs in the way scripts do (HTTP Basic) and sends the CSRF token.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use asset_processing_api::{Job, Status, API_BASE};
use asset_processing_server::{start, Config, Running};
use serde_json::{json, Value};

pub struct TestServer {
    pub base: String,
    pub repository: PathBuf,
    pub data: PathBuf,
    running: Option<Running>,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// Starts a server over an empty repository.
    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    /// Starts a server after `prepare` has filled the repository folder.
    pub async fn start_with(prepare: impl FnOnce(&Path)) -> TestServer {
        Self::start_full(prepare, |_| false).await
    }

    /// Starts a server that answers in another reading of the published pages.
    pub async fn start_variant(
        prepare: impl FnOnce(&Path),
        variant: asset_processing_server::Variant,
    ) -> TestServer {
        Self::start_config(prepare, |_| false, variant).await
    }

    /// Starts a server that serves a console folder filled by `console` (which returns
    /// whether there is one).
    pub async fn start_full(
        prepare: impl FnOnce(&Path),
        console: impl FnOnce(&Path) -> bool,
    ) -> TestServer {
        Self::start_config(prepare, console, Default::default()).await
    }

    async fn start_config(
        prepare: impl FnOnce(&Path),
        console: impl FnOnce(&Path) -> bool,
        variant: asset_processing_server::Variant,
    ) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let repository = dir.path().join("dam");
        let data = dir.path().join("data");
        let dist = dir.path().join("dist");
        std::fs::create_dir_all(&repository).unwrap();
        std::fs::create_dir_all(&dist).unwrap();
        prepare(&repository);
        let console = console(&dist).then_some(dist);
        let running = start(Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            repository: repository.clone(),
            data: data.clone(),
            console,
            workers: 2,
            pace_ms: 0,
            aem_shell: None,
            hold_after: None,
            read_only_database: false,
            users: None,
            variant,
        })
        .await
        .unwrap();
        TestServer {
            base: format!("http://{}", running.addr),
            repository,
            data,
            running: Some(running),
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn api(&self, endpoint: &str) -> String {
        format!("{}{API_BASE}{endpoint}", self.base)
    }

    pub fn client(&self) -> Client {
        Client::new(&self.base, Some(("admin", "admin")))
    }

    pub fn anonymous(&self) -> Client {
        Client::new(&self.base, None)
    }

    pub async fn stop(mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await.unwrap();
        }
    }
}

/// Writes files (path relative to the repository → content).
pub fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (rel, content) in files {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
}

pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub auth: Option<(String, String)>,
    pub csrf: Option<String>,
}

/// An answer: status and JSON body (Null when the body is not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub content_type: String,
}

impl Answer {
    pub fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or("")
    }
    pub fn job(&self) -> Job {
        serde_json::from_value(self.body.clone()).unwrap()
    }
}

impl Client {
    /// A client of the server at `base`, signing in with HTTP Basic as `auth` (user,
    /// password) when given; it fetches a CSRF token when it first needs one.
    pub fn new(base: &str, auth: Option<(&str, &str)>) -> Client {
        Client {
            http: reqwest::Client::new(),
            base: base.to_string(),
            auth: auth.map(|(user, password)| (user.into(), password.into())),
            csrf: None,
        }
    }

    fn with_auth(&self, rb: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.auth {
            Some((u, p)) => rb.basic_auth(u, Some(p)),
            None => rb,
        }
    }

    async fn answer(rb: reqwest::RequestBuilder) -> Answer {
        let response = rb.send().await.unwrap();
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let text = response.text().await.unwrap();
        Answer {
            status,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
            content_type,
        }
    }

    pub async fn get(&self, path_and_query: &str) -> Answer {
        Self::answer(self.with_auth(self.http.get(format!("{}{path_and_query}", self.base)))).await
    }

    pub async fn csrf_token(&mut self) -> String {
        if self.csrf.is_none() {
            let a = self.get("/libs/granite/csrf/token.json").await;
            assert_eq!(a.status, 200, "{a:?}");
            self.csrf = Some(a.body["token"].as_str().unwrap().to_string());
        }
        self.csrf.clone().unwrap()
    }

    pub async fn post_json(&mut self, path_and_query: &str, body: &Value) -> Answer {
        let token = self.csrf_token().await;
        Self::answer(
            self.with_auth(self.http.post(format!("{}{path_and_query}", self.base)))
                .header("CSRF-Token", token)
                .json(body),
        )
        .await
    }

    pub async fn post_empty(&mut self, path_and_query: &str) -> Answer {
        let token = self.csrf_token().await;
        Self::answer(
            self.with_auth(self.http.post(format!("{}{path_and_query}", self.base)))
                .header("CSRF-Token", token),
        )
        .await
    }

    /// Starts a job and returns its id.
    pub async fn start_job(&mut self, body: Value) -> String {
        let a = self.post_json(API_BASE, &body).await;
        assert_eq!(a.status, 200, "{a:?}");
        a.body["processingId"].as_str().unwrap().to_string()
    }

    pub async fn status(&self, id: &str) -> Job {
        let a = self
            .get(&format!("{API_BASE}/status?processingId={id}"))
            .await;
        assert_eq!(a.status, 200, "{a:?}");
        a.job()
    }

    /// Polls until the job reaches a final status.
    pub async fn wait_final(&self, id: &str) -> Job {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let job = self.status(id).await;
            if job.status.is_final() {
                return job;
            }
            assert!(
                Instant::now() < deadline,
                "job {id} did not finish: {job:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Polls until `pred` holds for the job.
    pub async fn wait_for(&self, id: &str, pred: impl Fn(&Job) -> bool) -> Job {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let job = self.status(id).await;
            if pred(&job) {
                return job;
            }
            assert!(
                Instant::now() < deadline,
                "job {id} never reached the expected state: {job:?}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Every line of a job's log, read page by page.
    pub async fn all_log_lines(&self, id: &str) -> Vec<String> {
        let mut lines = Vec::new();
        loop {
            let a = self
                .get(&format!(
                    "{API_BASE}/logs?processingId={id}&offset={}&limit=1000",
                    lines.len()
                ))
                .await;
            assert_eq!(a.status, 200, "{a:?}");
            let page: Vec<String> = serde_json::from_value(a.body["lines"].clone()).unwrap();
            let more = a.body["hasMore"].as_bool().unwrap();
            lines.extend(page);
            if !more {
                return lines;
            }
        }
    }
}

pub fn start_body(path: &str) -> Value {
    json!({ "path": path, "type": "ASSET_PROCESSING" })
}

pub fn is_final(s: &Status) -> bool {
    s.is_final()
}

/// A GET sent byte for byte, for paths an HTTP client library would normalise before sending
/// (`%2e%2e`): (status, body).
pub async fn raw_get(base: &str, path: &str) -> (u16, serde_json::Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let status: u16 = response.split(' ').nth(1).unwrap().parse().unwrap();
    let body = response.split("\r\n\r\n").nth(1).unwrap_or("");
    // The body may be chunked: take the JSON object inside.
    let json = body
        .find('{')
        .and_then(|s| body.rfind('}').map(|e| &body[s..=e]))
        .unwrap_or("null");
    (
        status,
        serde_json::from_str(json).unwrap_or(serde_json::Value::Null),
    )
}

/// `serve` over `repository` and `data` with `extra` arguments and `env`, on a port it picks
/// (`--listen 127.0.0.1:0`): its stdout piped for the caller to read, its stderr read to the end
/// by a thread (the lines it printed there, once it has exited).
fn start_serve(
    repository: &Path,
    data: &Path,
    extra: &[&str],
    env: &[(&str, &str)],
) -> (std::process::Child, std::thread::JoinHandle<Vec<String>>) {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_asset-processing-server"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .arg("--repository")
        .arg(repository)
        .arg("--data")
        .arg(data)
        .args(extra)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let errors = std::thread::spawn(move || {
        std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<String>>()
    });
    (child, errors)
}

/// The real server binary as users run it, started with `--listen 127.0.0.1:0`: the port is
/// the one the server bound and printed ("Asset processing server on http://ADDR/"), never a
/// guess that another process could take in between.
pub struct ServerProcess {
    pub child: std::process::Child,
    pub base: String,
    /// What it printed before it listened (log lines: migrations, recovered jobs…).
    pub startup: Vec<String>,
    /// What it printed since, as it comes.
    pub later: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl ServerProcess {
    /// Starts `serve` over `repository` and `data` with `extra` arguments; waits for the
    /// address it prints. Err: everything it printed, when it exited instead.
    pub fn spawn(repository: &Path, data: &Path, extra: &[&str]) -> Result<ServerProcess, String> {
        use std::io::BufRead;
        let (mut child, errors) = start_serve(repository, data, extra, &[("RUST_LOG", "info")]);
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let mut startup = Vec::new();
        for line in lines.by_ref() {
            let Ok(line) = line else { break };
            if let Some(rest) = line.strip_prefix("Asset processing server on http://") {
                let base = format!("http://{}", rest.trim_end_matches('/'));
                let later = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
                let sink = later.clone();
                std::thread::spawn(move || {
                    for line in lines.map_while(Result::ok) {
                        sink.lock().unwrap().push(line);
                    }
                });
                return Ok(ServerProcess {
                    child,
                    base,
                    startup,
                    later,
                });
            }
            startup.push(line);
        }
        let _ = child.wait();
        startup.extend(errors.join().unwrap_or_default());
        Err(startup.join("\n"))
    }

    /// SIGKILL, without warning.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    pub fn client(&self) -> Client {
        Client::new(&self.base, Some(("admin", "admin")))
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `serve` expecting a refusal: its exit code and everything it printed (stdout, then
/// stderr). Panics, after killing it, when it listens instead.
pub fn refused_start(repository: &Path, data: &Path, extra: &[&str]) -> (Option<i32>, String) {
    use std::io::BufRead;
    let (mut child, errors) = start_serve(repository, data, extra, &[]);
    let mut printed = Vec::new();
    // A refused server exits, which closes its output: the loop ends on that, not a clock.
    for line in std::io::BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
    {
        if line.starts_with("Asset processing server on http://") {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the server started where it should have refused: {printed:#?}");
        }
        printed.push(line);
    }
    let status = child.wait().unwrap();
    printed.extend(errors.join().unwrap_or_default());
    (status.code(), printed.join("\n"))
}

/// A small folder `docs/` of the repository: a good topic, a malformed one (it fails), one
/// below `old/` and a text file.
pub fn docs_folder(root: &std::path::Path) {
    write_files(
        root,
        &[
            (
                "docs/good.dita",
                "<topic id=\"g\"><title>Good</title></topic>",
            ),
            (
                "docs/bad.dita",
                "<topic id=\"b\"><title>never closed</topic>",
            ),
            (
                "docs/old/legacy.dita",
                "<topic id=\"l\"><title>Legacy</title></topic>",
            ),
            ("docs/notes.txt", "text"),
        ],
    );
}
