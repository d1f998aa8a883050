//! `asset-processing-server`: run the reference server, or write the demo repository.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use asset_processing_server::{demo, Config};

/// mimalloc, not glibc's malloc: a job's file threads allocate what its writer thread frees,
/// and glibc's arenas made allocation about a fifth of a job's CPU time (`docs/performance.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    version,
    about = "Reference server of the AEM Guides bulk asset processing API"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (and the console, when --console is given).
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// The folder mapped to /content/dam.
        #[arg(long)]
        repository: PathBuf,
        /// Folder for the SQLite database and job logs (created when missing).
        #[arg(long)]
        data: PathBuf,
        /// The built console (trunk's dist folder), served at /.
        #[arg(long)]
        console: Option<PathBuf>,
        /// Jobs processed at the same time.
        #[arg(long, default_value_t = 2)]
        workers: usize,
        /// Test fixture: pause this many milliseconds per asset, to watch a job run (demos,
        /// UI tests).
        #[cfg(feature = "dev-fixtures")]
        #[arg(long, default_value_t = 0)]
        pace_ms: u64,
        /// Test fixture: the console built for AEM (`cargo xtask aem-package` writes it):
        /// also serve an imitation of the AEM page it is installed into.
        #[cfg(feature = "dev-fixtures")]
        #[arg(long)]
        aem_shell: Option<PathBuf>,
        /// Test fixture: hold every job once this many of its assets are committed (0: while
        /// it counts its assets), until the process is killed (the kill -9 tests stop it at a
        /// known point).
        #[cfg(feature = "dev-fixtures")]
        #[arg(long)]
        hold_after: Option<u64>,
        /// Test fixture: the HTTP side's database connection refuses every write, as a
        /// database that cannot write does (the system status then reads `failed`).
        #[cfg(feature = "dev-fixtures")]
        #[arg(long)]
        read_only_database: bool,
        /// JSON file of user id → password (default: the demo user admin/admin).
        #[arg(long)]
        users: Option<PathBuf>,
        /// `published-docs`: answer in the other forms the published pages allow (a download
        /// naming log files, history ignoring `limit`, unknown words), to test consoles.
        #[arg(long, value_enum, default_value_t = asset_processing_server::Variant::Reference)]
        variant: asset_processing_server::Variant,
    },
    /// Add a finished job with a synthetic log of N lines to the database in DATA (for
    /// benchmarks and tests of log viewers); prints its processingId. With --rate, the job
    /// shows RUNNING while its lines are written at that many per second (a server started
    /// on the same DATA serves them as they come), then SUCCESS. A test fixture.
    #[cfg(feature = "dev-fixtures")]
    SynthesizeLog {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        lines: u64,
        /// Lines per second; the id is printed first, before the lines are written.
        #[arg(long)]
        rate: Option<u64>,
    },
    /// Write the deterministic demo repository (a DITA set of about 2,000 assets) into DIR.
    GenerateDemo {
        dir: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match cli.command {
        #[cfg(feature = "dev-fixtures")]
        Command::SynthesizeLog { data, lines, rate } => {
            let created = |id: &str| {
                use std::io::Write;
                println!("{id}");
                let _ = std::io::stdout().flush();
            };
            match asset_processing_server::synthetic::log_job(&data, lines, rate, created) {
                Ok(_) => std::process::ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    std::process::ExitCode::FAILURE
                }
            }
        }
        Command::GenerateDemo { dir, seed } => match demo::generate(&dir, seed) {
            Ok(summary) => {
                println!("demo repository written to {}: {summary}", dir.display());
                std::process::ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!(
                    "error: could not write the demo repository to {}: {e}",
                    dir.display()
                );
                std::process::ExitCode::FAILURE
            }
        },
        Command::Serve {
            listen,
            repository,
            data,
            console,
            workers,
            #[cfg(feature = "dev-fixtures")]
            pace_ms,
            #[cfg(feature = "dev-fixtures")]
            aem_shell,
            #[cfg(feature = "dev-fixtures")]
            hold_after,
            #[cfg(feature = "dev-fixtures")]
            read_only_database,
            users,
            variant,
        } => {
            tracing_subscriber::fmt()
                .with_env_filter(
                    tracing_subscriber::EnvFilter::try_from_default_env()
                        .unwrap_or_else(|_| "info,tower_http=warn".into()),
                )
                .init();
            let config = Config {
                listen,
                repository,
                data,
                console,
                workers,
                users,
                variant,
                #[cfg(feature = "dev-fixtures")]
                pace_ms,
                #[cfg(feature = "dev-fixtures")]
                aem_shell,
                #[cfg(feature = "dev-fixtures")]
                hold_after,
                #[cfg(feature = "dev-fixtures")]
                read_only_database,
            };
            let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
            match runtime.block_on(asset_processing_server::run(config)) {
                Ok(()) => std::process::ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    std::process::ExitCode::FAILURE
                }
            }
        }
    }
}
