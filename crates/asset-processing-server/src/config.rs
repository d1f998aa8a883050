//! What the server is started with (`serve`'s flags). Its own module, below everything that
//! reads it: `http` and the crate root both use it, and neither imports the other for it.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything the server is started with.
#[derive(Clone, Debug)]
pub struct Config {
    pub listen: SocketAddr,
    pub repository: PathBuf,
    pub data: PathBuf,
    pub console: Option<PathBuf>,
    pub workers: usize,
    /// JSON file of user id → password; None: the demo user admin/admin.
    pub users: Option<PathBuf>,
    /// Which reading of the published pages the API answers with.
    pub variant: Variant,
    /// Test fixture: a pause per asset (0: none), to watch a job run in demos and UI tests.
    #[cfg(feature = "dev-fixtures")]
    pub pace_ms: u64,
    /// Test fixture: the console built for AEM (no file hashes, with loader.js): serves an
    /// imitation of the AEM page it is installed into (`http::shell`).
    #[cfg(feature = "dev-fixtures")]
    pub aem_shell: Option<PathBuf>,
    /// Test fixture: once a job has this many assets committed, its run holds there until
    /// the process is killed (`tests/crash.rs` kills it at a known point, not a lucky one).
    #[cfg(feature = "dev-fixtures")]
    pub hold_after: Option<u64>,
    /// Test fixture: the HTTP side's database connection refuses every write (SQLite's
    /// `query_only`), as a database that cannot write does: the system status then reads
    /// `failed` (sign in with HTTP Basic: a sign-in session is a write).
    #[cfg(feature = "dev-fixtures")]
    pub read_only_database: bool,
}

/// The API's answers: the contract's (`reference`), or the other forms the published pages
/// allow (`published-docs`: a download that names log files, a history of its own size,
/// words the console does not know), to prove the console against both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Variant {
    #[default]
    Reference,
    PublishedDocs,
}
