//! What every chunk of the split build shares (`cfg(apc_split)` only): where a chunk's
//! export is kept once its code is in, and loading it once, now or in the background.

use std::cell::Cell;
use std::future::Future;
use std::thread::LocalKey;

pub use crate::browser::idle;

/// Where a chunk's export is kept once its code is in (a page's view, the actions).
pub type Cache<T> = LocalKey<Cell<Option<T>>>;

/// Loads a chunk into its cache (unless it is there); returns at once.
pub fn load<T: Copy + 'static, F: Future<Output = T> + 'static>(
    cache: &'static Cache<T>,
    chunk: fn() -> F,
) {
    if cache.get().is_none() {
        leptos::task::spawn_local(async move {
            loaded(cache, chunk).await;
        });
    }
}

/// What a chunk exports, from its cache or once its code is in.
pub async fn loaded<T: Copy + 'static, F: Future<Output = T>>(
    cache: &'static Cache<T>,
    chunk: fn() -> F,
) -> T {
    if let Some(t) = cache.get() {
        return t;
    }
    let t = chunk().await;
    cache.set(Some(t));
    t
}
