//! Test fixtures that need the real server process (feature `dev-fixtures`, which `cargo
//! xtask` turns on for tests, demos and benchmarks; the server users run has none of this):
//! a pace per asset, a hold at a known point of a job (`--hold-after N`: once N assets are
//! committed; 0: while it counts its assets), and (elsewhere, behind the same
//! feature) the AEM look-alike page (`http::shell`) and the synthetic log writer
//! (`synthetic`, the `synthesize-log` command).

use std::sync::Arc;
use std::time::Duration;

use crate::engine::{Hooks, Options};
use crate::Config;

/// The engine's options for `config`'s fixtures.
pub fn engine_options(config: &Config) -> Options {
    let mut hooks = Hooks::default();
    if config.hold_after == Some(0) {
        // Held while counting its assets: a kill there leaves a job with no checkpoint.
        hooks.while_counting = Some(Arc::new(|id: &str| {
            tracing::warn!("holding job {id} while it counts its assets (--hold-after 0)");
            loop {
                std::thread::park();
            }
        }));
    } else if let Some(limit) = config.hold_after {
        hooks.after_commit = Some(Arc::new(move |id: &str, handled: u64| {
            if handled >= limit {
                tracing::warn!("holding job {id} after {handled} asset(s) (--hold-after {limit})");
                // Until the process is killed: that is what the fixture is for.
                loop {
                    std::thread::park();
                }
            }
        }));
    }
    Options {
        pace: Duration::from_millis(config.pace_ms),
        hooks,
        ..Options::default()
    }
}
