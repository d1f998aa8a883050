//! The console's release build into `dist/` (`cargo xtask build`, and before `serve`, `test`
//! and `bench`): split (`split.rs`) unless `APC_SPLIT=0`, then compressed ahead. Its own
//! module so that `util`, which `split` uses, depends on nothing of xtask's.

use std::path::Path;

use crate::split;
use crate::util::{precompress, root, step, trunk_release};

/// Builds the console for release into `dist/`, with its wasm, JS and CSS also compressed
/// ahead (`.br`, `.gz`) for the reference server to send as they are.
///
/// Split (xtask/src/split.rs: the first screen in the main wasm, the other pages in chunks)
/// unless `APC_SPLIT=0`, which builds it with trunk alone, in one module.
pub fn build() -> Result<(), String> {
    build_into(&root().join("dist"))
}

/// `build` into another folder (`cargo xtask build --dist DIR`).
pub fn build_into(dist: &Path) -> Result<(), String> {
    if split::enabled() {
        split::build_into(dist)?;
        return step("compressing dist ahead (brotli, gzip)", || {
            precompress(dist)
        });
    }
    step("building the console (trunk, release)", || {
        trunk_release(dist, None)?;
        precompress(dist)
    })
}
