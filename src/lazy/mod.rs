//! The split build's chunks (`--cfg apc_split`, set only by `cargo xtask`'s release build,
//! see xtask/src/split.rs): the pages the first screen does not need (`pages`), the
//! requests behind a row's actions and a log download (`actions`), and what every chunk
//! shares (`chunk`). Every other build uses the pages and requests as they are.

pub mod actions;
#[cfg(apc_split)]
pub mod app;
#[cfg(apc_split)]
mod chunk;
pub mod pages;
