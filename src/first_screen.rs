//! The history's runs shown before the console's app code is in.
//!
//! The page paints the console's frame (index.html) and fetches the main module. In the split
//! build the main module holds only this and what it needs (the history's request, its
//! decoding, the rows as one piece of HTML): the app itself (Leptos, the router, the views) is
//! a chunk (`lazy::app`) fetched once the runs are painted. This sends the history's request at
//! once and draws the history page into the painted frame, the same page in the same place as
//! the app's history page will draw it (the runs the window shows first, then the others, a
//! part a frame, so that no layout of them is a long task). The frame is `inert`
//! (nothing in it can be focused or clicked, and screen readers skip it, as they skip the
//! frame): the runs are for the eye until the app mounts, takes the same answer instead of
//! asking again (`ApiClient::send_history_early`) and removes the frame.
//!
//! Only the history's first view is drawn here: on another route, or with "Started by"
//! remembered as someone (the signed-in user is not known yet), the frame waits for the app.
//! docs/performance.md has what this changed.

use asset_processing_api::History;
use wasm_bindgen::JsCast;

use crate::api::{self, ApiClient};
use crate::config::Config;
use crate::pages::early_history;

/// The class of the runs drawn into the painted frame (the app removes them as it mounts).
pub const EARLY_RUNS_CLASS: &str = "apc-frame__runs";
/// The painted frame's history panel (its grey blocks give way to the page drawn here).
const FRAME_PANEL: &str = ".apc-frame .apc-panel";

thread_local! {
    /// Whether the app has mounted (then the runs are its to draw).
    static APP_MOUNTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The app is mounting into `host`: the runs drawn here go at once (the frame they are in is
/// folded away by the app, and removed a second later, see `remove_painted_frame`), so the page
/// never holds two tables of the same runs.
pub fn app_mounting(host: &web_sys::Element) {
    APP_MOUNTED.set(true);
    if let Ok(Some(runs)) = host.query_selector(&format!(".{EARLY_RUNS_CLASS}")) {
        runs.remove();
    }
}

/// How long after the history's request the app's chunk waits for the runs to be painted here
/// before it is fetched anyway (a slow answer: then the app shows its own loading line, and
/// is usable, sooner). An answer that comes just before it may be laid out while the chunk
/// is on its way.
const APP_WAITS_MS: i32 = 500;

/// Sends the history's request and draws its runs into the painted frame when it answers,
/// unless the app has mounted by then: the runs the window shows first, the others a part a
/// frame after them (`Below`). `then` (fetching the app) runs once: when the last part is
/// painted, when nothing is to be drawn here, or after `APP_WAITS_MS`, whichever comes first.
/// The app's chunk is fetched after the runs are painted, not alongside them: on a slow network
/// its download would share the line with the first screen's, and its requests (and the
/// compiling they start) would share the main thread with the runs' first layout.
pub fn start(host: &web_sys::HtmlElement, config: &Config, then: impl FnOnce() + 'static) {
    let then = Once::new(then);
    if !on_history_route(config) || !early_history::first_view_is_everyone() {
        return then.run();
    }
    let Ok(Some(slot)) = host.query_selector(FRAME_PANEL) else {
        return then.run();
    };
    let client = ApiClient::new(&config.api_base);
    let Some(answer) = client.send_history_early(config.history_size) else {
        return then.run();
    };
    if let Some(window) = web_sys::window() {
        let later = then.clone();
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            wasm_bindgen::closure::Closure::once_into_js(move || later.run()).unchecked_ref(),
            APP_WAITS_MS,
        );
    }
    let config = config.clone();
    wasm_bindgen_futures::spawn_local(async move {
        if let Some(history) = api::early_history(answer).await {
            if let Some(below) = draw(&slot, history, &config, &client) {
                return after_next_paint(move || below.draw(then));
            }
        }
        then.run();
    });
}

/// The rows of the runs below the window, drawn once the first are painted, a part a frame.
struct Below {
    runs: web_sys::Element,
    /// The parts not drawn yet, the last first.
    parts: Vec<String>,
}

impl Below {
    /// Appends the next part of the rows to the early table and comes back for the next once
    /// it is painted; `then` once the last is (or at once if the app has taken the runs over).
    fn draw(mut self, then: Once) {
        let Some(part) = self.parts.pop() else {
            return then.run();
        };
        if !self.runs.is_connected() || APP_MOUNTED.get() {
            return then.run();
        }
        let Ok(Some(body)) = self.runs.query_selector("tbody") else {
            return then.run();
        };
        if body.insert_adjacent_html("beforeend", &part).is_err() {
            return then.run();
        }
        early_history::set_bar_widths(&body);
        after_next_paint(move || self.draw(then));
    }
}

/// Draws the history page in the frame's panel `slot` (in place of its grey blocks), unless
/// the app is in already, with the runs a window shows. The rows of the others, if it drew
/// the page.
///
/// Drawn with every run at once, the page's first layout and paint (of 100 runs, while the
/// renderer is still starting) took up to 60 ms, a task long enough to delay a key press; the
/// window's runs alone take a fraction of it, and the rest are laid out a part a frame
/// (docs/performance.md, seventeenth session).
fn draw(
    slot: &web_sys::Element,
    history: History,
    config: &Config,
    client: &ApiClient,
) -> Option<Below> {
    // The app mounted first (it removes the frame): it draws the runs itself.
    if !slot.is_connected() || APP_MOUNTED.get() {
        return None;
    }
    let formats = early_history::formats();
    let href = |id: &str| config.href(&format!("/jobs/{id}"));
    let logs = |id: &str| client.download_url(id);
    let height = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    let page = early_history::table_html(
        history,
        config.history_size,
        early_history::runs_first(height),
        &config.href("/new"),
        &href,
        &logs,
        &formats,
    )?;
    let runs = slot.owner_document()?.create_element("div").ok()?;
    runs.set_class_name(EARLY_RUNS_CLASS);
    runs.set_inner_html(&page.html);
    early_history::set_bar_widths(&runs);
    if let Some(frame) = slot.closest(".apc-frame").ok().flatten() {
        let _ = frame.set_attribute("inert", "");
    }
    slot.set_inner_html("");
    slot.append_child(&runs).ok()?;
    let mut parts = page.rest;
    parts.reverse();
    Some(Below { runs, parts })
}

/// Runs `f` in a task of its own once the browser has rendered its next frame: a callback of
/// the next animation frame runs just before that frame's style, layout and paint, and a task
/// it posts runs after them. The runs just drawn are laid out and painted first, on their own;
/// fetching the app (its requests and the compiling they start) waits until they are.
fn after_next_paint(f: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        return f();
    };
    // A hidden tab paints no frame (its animation frames wait until it is shown): nothing to
    // wait for.
    if window.document().is_some_and(|d| d.hidden()) {
        return f();
    }
    let posted = wasm_bindgen::closure::Closure::once_into_js(move || {
        if let Some(window) = web_sys::window() {
            let task = wasm_bindgen::closure::Closure::once_into_js(f);
            let _ = window.set_timeout_with_callback(task.unchecked_ref());
        }
    });
    let _ = window.request_animation_frame(posted.unchecked_ref());
}

/// A callback run once, by whichever of its holders comes first.
#[derive(Clone)]
struct Once(std::rc::Rc<std::cell::Cell<Option<Callback>>>);

type Callback = Box<dyn FnOnce()>;

impl Once {
    fn new(f: impl FnOnce() + 'static) -> Once {
        Once(std::rc::Rc::new(std::cell::Cell::new(Some(Box::new(f)))))
    }

    fn run(&self) {
        if let Some(f) = self.0.take() {
            f();
        }
    }
}

/// Whether the page's address is the history's route (the route base, with or without its
/// trailing slash).
fn on_history_route(config: &Config) -> bool {
    let Some(path) = web_sys::window().and_then(|w| w.location().pathname().ok()) else {
        return false;
    };
    let route = path.strip_prefix(config.route_base.as_str()).unwrap_or("-");
    route.is_empty() || route == "/"
}
