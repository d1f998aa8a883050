//! The Asset Processing Console: a Leptos client-side app that watches and drives AEM Guides
//! bulk asset processing through its REST API.
//!
//! Layout: pure logic (`api::decode`, `config`, `format`, `text`) is plain Rust with native
//! tests; `pages/` and `components/` are thin views over it.

pub mod api;
mod browser;
pub mod components;
pub mod config;
pub mod first_screen;
pub mod fold;
pub mod format;
pub mod hooks;
pub mod job_log;
pub mod lazy;
pub mod log_model;
pub mod pages;
pub mod polling;
pub mod text;
pub mod triage;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use wasm_bindgen::JsCast;

use crate::config::Config;

/// The element the console mounts into; its data attributes are the console's options.
pub const HOST_ELEMENT_ID: &str = "asset-processing-console";

/// A bug must never leave a dead page: the panic is logged for developers and the person
/// is told what happened and what to do, inside the console's own element.
fn install_panic_message() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let document = leptos::prelude::document();
        let host = document
            .get_element_by_id(HOST_ELEMENT_ID)
            .or_else(|| document.body().map(Into::into));
        if let (Some(host), Ok(message)) = (host, document.create_element("div")) {
            message.set_class_name("apc-root apc-crash");
            let _ = message.set_attribute("role", "alert");
            let payload = info
                .payload()
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| info.payload().downcast_ref::<&str>().copied())
                .unwrap_or_default();
            message.set_text_content(Some(crash_words(payload)));
            let _ = host.prepend_with_node_1(&message);
        }
    }));
}

/// Mounts the console into its host element. Granite's shell page includes clientlibs in
/// `<head>`, before the element is parsed: then the console waits for DOMContentLoaded. It
/// never takes the body instead (that would lose the element's `data-base`, and every route
/// of a console inside an AEM page with it).
pub fn start() {
    install_panic_message();
    let document = leptos::prelude::document();
    if document.ready_state() == "loading" {
        // A plain listener (no Leptos): in the split build the main module holds no app code.
        let once = wasm_bindgen::closure::Closure::once_into_js(mount_into_host);
        let options = web_sys::AddEventListenerOptions::new();
        options.set_once(true);
        let _ = document.add_event_listener_with_callback_and_add_event_listener_options(
            "DOMContentLoaded",
            once.unchecked_ref(),
            &options,
        );
    } else {
        mount_into_host();
    }
}

fn mount_into_host() {
    let host = leptos::prelude::document()
        .get_element_by_id(HOST_ELEMENT_ID)
        .and_then(|h| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(h).ok());
    let Some(host) = host else {
        leptos::logging::error!(
            "Asset Processing Console: the page has no <div id=\"{HOST_ELEMENT_ID}\"> to start in"
        );
        return;
    };
    let config = Config::from_attributes(|name| host.get_attribute(name));
    start_app(host, config);
}

/// Mounts the app at once (a build that is not split has its code already: the app draws the
/// first screen itself).
#[cfg(not(apc_split))]
fn start_app(host: web_sys::HtmlElement, config: Config) {
    mount_app(host, config);
}

/// The split build: the main module holds only the first screen (`first_screen.rs`), which
/// shows the history's runs; the app's chunk (`lazy::app`) is fetched after them and mounted.
#[cfg(apc_split)]
fn start_app(host: web_sys::HtmlElement, config: Config) {
    let first = (host.clone(), config.clone());
    first_screen::start(&first.0, &first.1, move || {
        wasm_bindgen_futures::spawn_local(async move {
            let mount = lazy::app::app_chunk().await;
            mount(host, config);
        })
    });
}

/// Mounts the console's app into `host`, in place of the painted frame.
pub fn mount_app(host: web_sys::HtmlElement, config: Config) {
    first_screen::app_mounting(&host);
    remove_painted_frame(&host);
    leptos::mount::mount_to(host, move || view! { <App config=config.clone()/> }).forget();
}

/// The class of the frame the page paints before the wasm has run (index.html, the AEM page).
pub const PAINTED_FRAME_CLASS: &str = "apc-frame";

/// The class that folds the painted frame away while it waits to be removed.
const FRAME_GONE_CLASS: &str = "apc-frame--gone";

/// How long the folded frame stays in the document before it is removed.
const FRAME_REMOVAL_DELAY: std::time::Duration = std::time::Duration::from_secs(1);

/// Takes away the frame the page painted before the wasm ran: the console draws the same
/// header in the same place as it mounts, in the same frame of the browser.
///
/// The frame is folded away at once (no height, invisible, so nothing moves) and removed a
/// second later. The browser times the largest contentful paint when it has shown a frame, a
/// frame or two after painting it. If the painted header is already gone by then, its paint
/// is not counted, and the LCP becomes the console's own header, drawn only after the wasm
/// has arrived. docs/performance.md has the measurements.
fn remove_painted_frame(host: &web_sys::HtmlElement) {
    let selector = format!(":scope > .{PAINTED_FRAME_CLASS}:not(.{FRAME_GONE_CLASS})");
    while let Ok(Some(frame)) = host.query_selector(&selector) {
        frame.set_class_name(&format!("{} {FRAME_GONE_CLASS}", frame.class_name()));
        leptos::prelude::set_timeout(move || frame.remove(), FRAME_REMOVAL_DELAY);
    }
}

/// What the person is told when the console stops: a part of its code that could not be
/// fetched (wasm-split's loader panics with "load callback should succeed") is the network's
/// doing, not a bug of the console's.
pub fn crash_words(panic_message: &str) -> &'static str {
    if panic_message.contains("load callback should succeed") {
        text::CODE_NOT_LOADED
    } else {
        text::CRASHED
    }
}

#[component]
pub fn App(config: Config) -> impl IntoView {
    let base = config.route_base.clone();
    provide_context(api::ApiClient::new(&config.api_base));
    provide_context(config);
    view! {
        <div class="apc-root">
            <Router base=base>
                <components::Header/>
                <main class="apc-main" id="apc-main">
                    <Routes fallback=|| view! { <pages::NotFound/> }>
                        <Route path=path!("/") view=pages::HistoryPage/>
                        <Route path=path!("/new") view=lazy::pages::StartPage/>
                        <Route path=path!("/jobs/:id") view=lazy::pages::JobPage/>
                        <Route path=path!("/jobs/:id/report") view=lazy::pages::ReportPage/>
                        <Route path=path!("/compare/:a/:b") view=lazy::pages::ComparePage/>
                    </Routes>
                </main>
            </Router>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chunk_that_could_not_be_fetched_is_the_connection_not_a_bug() {
        // The message wasm-split's loader panics with when a chunk's fetch fails.
        let failed_fetch = "load callback should succeed: SplitLoaderError(())";
        assert_eq!(crash_words(failed_fetch), text::CODE_NOT_LOADED);
        assert!(text::CODE_NOT_LOADED.contains("Reload the page"));
        assert_eq!(crash_words("index out of bounds"), text::CRASHED);
        assert_eq!(crash_words(""), text::CRASHED);
    }
}
