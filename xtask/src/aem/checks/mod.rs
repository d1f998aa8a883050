//! The checks every package must pass, read back from its ZIP: FileVault's rules for what
//! each package type may hold and for filter coverage, the typed ancestors of the Tools
//! entry, and the console's own needs (clientlib, hashed names, minifiers off, read access,
//! the MIME configuration).
//!
//! - `package.rs`: the package read back (files, filter roots, properties) and the XML reading
//!   every check shares;
//! - `filter.rs`: what the filter covers and what it would replace;
//! - `nodes.rs`: the nodes FileVault would create: well-formed docviews of known types, typed
//!   ancestors, parents that can hold their children;
//! - `package_type.rs`: what the package type allows, and the version;
//! - `clientlib.rs`: the clientlib's files, hashed names and minifiers;
//! - `access.rs`: read access for the processing groups (`rep:policy`, repoinit);
//! - `config.rs`: the OSGi configurations (the MIME type of `.wasm`);
//! - `embedded.rs`: the `all` package's two embedded packages.

mod access;
mod clientlib;
mod config;
mod embedded;
mod filter;
mod nodes;
mod package;
mod package_type;

use crate::aem::Role;

use access::{check_policies, check_repoinit};
use clientlib::{check_clientlib, check_hashed, check_processors};
use config::check_mime;
use embedded::check_embedded;
use filter::{check_covered, check_owned};
use nodes::{check_ancestors, check_docviews, nodes};
use package::read_package;
use package_type::{check_type, check_version};

pub const CHECK_READS: &str =
    "the package reads (ZIP, properties.xml naming one of the three packages, filter.xml)";
pub const CHECK_COVERED: &str = "every file is under a filter root or types an ancestor of one";
pub const CHECK_OWNED: &str = "no filter root would wipe content the package does not own";
pub const CHECK_XML: &str = "every docview is well-formed with a known jcr:primaryType";
pub const CHECK_ANCESTORS: &str =
    "ancestors are typed (no properties over /libs) and every node's parent can hold it";
pub const CHECK_TYPE: &str = "the package type allows everything the package holds";
pub const CHECK_VERSION: &str = "properties.xml has the crate's version";
pub const CHECK_CLIENTLIB: &str = "the clientlib's loader, styles, wasm and glue are present";
pub const CHECK_HASHED: &str =
    "the wasm and its glue carry the build's hash, and the loader names them";
pub const CHECK_PROCESSORS: &str = "the clientlib's JS and CSS minifiers are off";
pub const CHECK_ACCESS: &str = "the processing groups may read the page and the Tools entry";
pub const CHECK_MIME: &str =
    "application/wasm is configured on the MIME type service's own PID (not a factory)";
pub const CHECK_EMBEDDED: &str =
    "the embedded packages are both there, pass their checks, and own disjoint roots";
/// The checks a package must pass: (what, result). Which checks apply follows from the
/// package's name in its properties.xml.
pub fn verify(zip_bytes: &[u8]) -> Vec<(&'static str, Result<(), String>)> {
    let package = match read_package(zip_bytes) {
        Ok(p) => p,
        Err(e) => return vec![(CHECK_READS, Err(e))],
    };
    let nodes = nodes(&package.files);
    let mut checks = vec![
        (CHECK_READS, Ok(())),
        (CHECK_COVERED, check_covered(&package)),
        (CHECK_OWNED, check_owned(&package)),
        (CHECK_XML, check_docviews(&package)),
        (CHECK_ANCESTORS, check_ancestors(&package, &nodes)),
        (CHECK_TYPE, check_type(&package, &nodes)),
        (CHECK_VERSION, check_version(&package)),
    ];
    match package.role {
        Role::UiApps => checks.extend([
            (CHECK_CLIENTLIB, check_clientlib(&package)),
            (CHECK_HASHED, check_hashed(&package)),
            (CHECK_PROCESSORS, check_processors(&package)),
            (CHECK_ACCESS, check_policies(&package)),
        ]),
        Role::UiConfig => checks.extend([
            (CHECK_MIME, check_mime(&package)),
            (CHECK_ACCESS, check_repoinit(&package)),
        ]),
        Role::All => checks.push((CHECK_EMBEDDED, check_embedded(&package))),
    }
    checks
}
