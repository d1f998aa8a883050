//! `cargo xtask serve`: the console with the reference server and a demo repository, or the
//! console alone (trunk serve) proxying to a real AEM.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::console;
use crate::tools;
use crate::util::{self, root, step, trunk};

/// Where `serve` keeps the demo repository and the server's data between runs.
pub fn demo_dir() -> PathBuf {
    root().join("target/demo")
}

pub fn run(args: &[String]) -> Result<(), String> {
    let mut backend = None;
    let mut port: u16 = 8080;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--backend" => {
                backend = Some(
                    it.next()
                        .ok_or("--backend needs a URL, e.g. http://localhost:4502")?
                        .clone(),
                )
            }
            "--port" => {
                port = it
                    .next()
                    .and_then(|p| p.parse().ok())
                    .ok_or("--port needs a port number, e.g. --port 8081")?
            }
            other => {
                return Err(format!(
                    "serve does not know \"{other}\" (see cargo xtask help)"
                ))
            }
        }
    }
    tools::setup()?;
    match backend {
        Some(url) => serve_against_aem(&url, port),
        None => serve_reference(port),
    }
}

/// Builds the reference server (native, `server` profile) and returns its binary. With its
/// test fixtures (`dev-fixtures`: `--pace-ms`, `--aem-shell`, `--hold-after`,
/// `synthesize-log`): every xtask use is a test, a demo or a benchmark.
pub fn build_server(profile: &str) -> Result<PathBuf, String> {
    step(
        &format!("building the reference server ({profile})"),
        || {
            util::run(
                Command::new(env!("CARGO"))
                    .args([
                        "build",
                        "--quiet",
                        "--profile",
                        profile,
                        "-p",
                        "asset-processing-server",
                        "--features",
                        "dev-fixtures",
                    ])
                    .current_dir(root()),
            )
        },
    )?;
    let dir = if profile == "dev" { "debug" } else { profile };
    Ok(root()
        .join("target")
        .join(dir)
        .join("asset-processing-server"))
}

fn serve_reference(port: u16) -> Result<(), String> {
    console::build()?;
    let server = build_server("server")?;
    let repository = demo_dir().join("repository");
    if !repository.exists() {
        step("writing the demo repository (first run only)", || {
            util::run(Command::new(&server).arg("generate-demo").arg(&repository))
        })?;
    }
    println!();
    println!("Console:  http://127.0.0.1:{port}/");
    println!("Demo repository (/content/dam): {}", repository.display());
    println!("Stop with Ctrl-C.");
    println!();
    exec(
        Command::new(&server)
            .arg("serve")
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .arg("--repository")
            .arg(&repository)
            .arg("--data")
            .arg(demo_dir().join("data"))
            .arg("--console")
            .arg(root().join("dist")),
    )
}

/// trunk serve with the console, proxying what a real AEM answers.
fn serve_against_aem(url: &str, port: u16) -> Result<(), String> {
    let url = url.trim_end_matches('/');
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(format!("--backend must be an http:// or https:// URL, e.g. http://localhost:4502 (got \"{url}\")"));
    }
    let config = root().join("target/xtask/Trunk.backend.toml");
    write_backend_config(&config, url, port)?;
    println!();
    println!("Console:  http://127.0.0.1:{port}/  (API, sign-in and repository proxied to {url})");
    println!("Sign in through the console's sign-in link with your AEM account. Stop with Ctrl-C.");
    println!();
    exec(
        trunk()
            .args(["serve", "--offline", "--config"])
            .arg(&config),
    )
}

fn write_backend_config(file: &Path, url: &str, port: u16) -> Result<(), String> {
    let root = root();
    let mut toml = format!(
        "# Written by `cargo xtask serve --backend`; do not edit.\n\
         [build]\ntarget = {:?}\ndist = {:?}\n\n[serve]\naddresses = [\"127.0.0.1\"]\nport = {port}\n\n\
         [watch]\nwatch = [{:?}, {:?}, {:?}]\n",
        root.join("index.html"),
        root.join("target/xtask/dist-backend"),
        root.join("src"),
        root.join("style"),
        root.join("index.html"),
    );
    for prefix in PROXIED {
        toml.push_str(&format!("\n[[proxy]]\nbackend = \"{url}{prefix}\"\n"));
    }
    std::fs::create_dir_all(file.parent().expect("has a parent")).map_err(|e| e.to_string())?;
    std::fs::write(file, toml).map_err(|e| format!("cannot write {}: {e}", file.display()))
}

/// The paths a real AEM answers for the console: the API, the CSRF token and login
/// (`/libs`), the login page's assets, and the repository's JSON rendering.
const PROXIED: &[&str] = &[
    "/bin",
    "/libs",
    "/etc.clientlibs",
    "/content/dam",
    // The root folder's own renderings (trunk matches whole path segments).
    "/content/dam.1.json",
    "/content/dam.json",
];

/// Replaces this process with `cmd` (so Ctrl-C reaches the server directly).
fn exec(cmd: &mut Command) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let err = cmd.exec();
        Err(format!(
            "could not start {}: {err}",
            crate::util::describe(cmd)
        ))
    }
    #[cfg(not(unix))]
    {
        util::run(cmd)
    }
}
