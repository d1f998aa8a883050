//! What every chunk of the split build shares (`cfg(apc_split)` only): where a chunk's
//! export is kept once its code is in, and loading it once, now or in the background.

use std::cell::Cell;
use std::future::Future;
use std::thread::LocalKey;

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

/// Resolves in a task of its own once the browser is idle (`requestIdleCallback`; a zero
/// timeout where the browser has none): one chunk's work at a time after the first screen,
/// instead of every chunk's in one long task.
pub async fn idle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let Some(window) = web_sys::window() else {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            return;
        };
        let has_idle = js_sys::Reflect::has(&window, &"requestIdleCallback".into()).unwrap_or(false);
        let asked = if has_idle {
            window.request_idle_callback(&resolve).map(|_| ())
        } else {
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
                .map(|_| ())
        };
        if asked.is_err() {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
