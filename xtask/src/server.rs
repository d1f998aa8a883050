//! A reference server started for a suite or a benchmark: fresh data, a loopback port the
//! server picks itself (`--listen 127.0.0.1:0`; its address is the one it prints, so no other
//! process can take the port in between), stopped (SIGTERM, then kill) when dropped. Plus the smallest HTTP client that can talk to
//! it, so xtask needs no HTTP dependency.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    child: Child,
    pub addr: String,
}

impl Server {
    /// Starts `binary serve` over `repository`, with its data in `data` (emptied first).
    pub fn start(
        binary: &Path,
        repository: &Path,
        data: &Path,
        extra: &[&str],
    ) -> Result<Server, String> {
        let _ = std::fs::remove_dir_all(data);
        Self::start_keep_with(binary, repository, data, extra)
    }

    /// Starts over existing data.
    pub fn start_keep(binary: &Path, repository: &Path, data: &Path) -> Result<Server, String> {
        Self::start_keep_with(binary, repository, data, &[])
    }

    pub fn start_keep_with(
        binary: &Path,
        repository: &Path,
        data: &Path,
        extra: &[&str],
    ) -> Result<Server, String> {
        let mut child = Command::new(binary)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .arg("--repository")
            .arg(repository)
            .arg("--data")
            .arg(data)
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let addr = match printed_address(&mut child) {
            Some(addr) => addr,
            None => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "the reference server {} stopped before it listened",
                    binary.display()
                ));
            }
        };
        let server = Server { child, addr };
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if get(&server.addr, "/bin/guides/v1/assets/process/history", true)
                .is_ok_and(|(s, _)| s == 200)
            {
                return Ok(server);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(format!(
            "the reference server did not answer on {} within 30 s",
            server.addr
        ))
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A CSRF token for the demo user.
    pub fn csrf_token(&self) -> Result<String, String> {
        let (status, body) = get(&self.addr, "/libs/granite/csrf/token.json", true)?;
        let json: serde_json::Value = serde_json::from_str(&body)
            .map_err(|e| format!("token answer ({status}) is not JSON: {e}"))?;
        json["token"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("no token in {body}"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads the server's output up to "Asset processing server on http://ADDR/" and returns
/// ADDR; the rest of its output is read (and dropped) on a thread so it never blocks.
fn printed_address(child: &mut Child) -> Option<String> {
    use std::io::BufRead;
    let mut lines = std::io::BufReader::new(child.stdout.take()?).lines();
    let addr = lines.by_ref().map_while(Result::ok).find_map(|line| {
        line.strip_prefix("Asset processing server on http://")
            .map(|rest| rest.trim_end_matches('/').to_string())
    })?;
    std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
    Some(addr)
}

/// Basic credentials of the demo user.
pub const DEMO_AUTH: &str = "Basic YWRtaW46YWRtaW4=";

/// One HTTP/1.1 request; (status, body). Only for this project's own server on loopback.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<(u16, String), String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(|e| e.to_string())?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    stream
        .write_all(req.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&raw);
    let (head, rest) = text
        .split_once("\r\n\r\n")
        .ok_or("no HTTP header in the answer")?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no status in the answer")?;
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    Ok((
        status,
        if chunked {
            dechunk(rest)
        } else {
            rest.to_string()
        },
    ))
}

pub fn get(addr: &str, path: &str, auth: bool) -> Result<(u16, String), String> {
    let headers: &[(&str, &str)] = if auth {
        &[("Authorization", DEMO_AUTH)]
    } else {
        &[]
    };
    request(addr, "GET", path, headers, "")
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// Where generated data of the xtask commands lives.
pub fn work_dir(name: &str) -> PathBuf {
    crate::util::root().join("target").join(name)
}
