//! The app itself as a chunk (`cfg(apc_split)` only): Leptos, the router, the shell and the
//! history page's view. The main module keeps the first screen (`first_screen.rs`), which
//! shows the history's runs while this chunk comes.

use leptos::lazy;

/// Mounts the app (`crate::mount_app`).
pub type Mount = fn(web_sys::HtmlElement, crate::config::Config);

/// The app's mount, once its chunk is in.
#[lazy]
pub fn app_chunk() -> Mount {
    crate::mount_app
}
