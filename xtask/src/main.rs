//! `cargo xtask <command>`: the project's automation, in Rust so it runs wherever cargo does.
//!
//! - `setup`: installs every tool the project needs, idempotently (versions in `tools.rs`).
//! - `serve`: builds the console and runs the reference server with a demo repository, or
//!   serves the console against a real AEM (`--backend URL`).
//! - `build`: the console's release build (split, see `split.rs`) into `dist/`.
//! - `test`: every suite in order, one summary.

mod aem;
mod bench;
mod bench_browser;
mod bench_common;
mod bench_lookup;
mod bench_server;
mod bench_web;
mod console;
mod serve;
mod server;
mod split;
mod test;
mod tools;
mod util;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup                  install every tool the project needs (idempotent)
  build [--dist DIR]     build the console for release into dist/ (split into chunks;
                         APC_SPLIT=0: one module, trunk alone)
  serve [--port N]       build the console and serve it with the reference server and a demo
                         repository on http://127.0.0.1:8080/
  serve --backend URL    serve the console with trunk, proxying the API to a real AEM
  test                   run every test suite (native, server, API fuzzing, wasm in Chromium,
                         end-to-end)
  bench [--readme]       run the benchmarks: a table, target/bench/report.json (and the
                         README's Performance table with --readme)
  screenshots            PNGs of every view (light, dark, 360 px) in target/screenshots/
  aem-package            the AEM content packages (ui.apps, ui.config, all) in target/aem/, checked
";

fn build(args: &[String]) -> Result<(), String> {
    let dist = match args {
        [] => util::root().join("dist"),
        [flag, dir] if flag == "--dist" => std::path::absolute(dir).map_err(|e| e.to_string())?,
        _ => return Err(format!("usage: cargo xtask build [--dist DIR]\n\n{USAGE}")),
    };
    console::build_into(&dist)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => tools::setup(),
        Some("build") => build(&args[1..]),
        Some("serve") => serve::run(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("bench") => bench::run_bench(&args[1..]),
        Some("screenshots") => test::screenshots(&args[1..]),
        Some("aem-package") => aem::package(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command \"{other}\"\n\n{USAGE}")),
        None => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nerror: {message}");
            ExitCode::FAILURE
        }
    }
}
