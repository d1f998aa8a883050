//! The job view's layout: the log fills the height of the box the console scrolls in, below
//! the job's sticky bar. That box is the window when the console is the page, and may be a
//! panel of AEM's Granite shell (whose own header takes space) when it is embedded: so the
//! height is measured on the console's own scrolling ancestor, never assumed from the window.
//!
//! The CSS does the arithmetic (`style/console.css`, "Job view layout") from two custom
//! properties set here on the job's section: `--apc-view-h` (the scrolling box's visible
//! height) and `--apc-jobbar-h` (the sticky bar's height). Without them (before the first
//! measure) it falls back to `100dvh` and a one-line bar, so nothing moves when they arrive
//! on a page the window scrolls.
//!
//! The log viewer watches its own scroller's size (`components::log_viewer`), so whatever
//! changes the log's height here reaches it without help.

use leptos::html::{Div, Section};
use leptos::prelude::*;

use crate::browser::ResizeWatch;

/// Sizes the job view's log (see the module's comment). `section` is the job's section,
/// `bar` its sticky bar.
pub fn use_log_fill(section: NodeRef<Section>, bar: NodeRef<Div>) {
    let watch = StoredValue::new_local(None::<ResizeWatch>);
    Effect::new(move |_| {
        let (Some(section_el), Some(bar_el)) = (section.get(), bar.get()) else {
            return;
        };
        apply(&section_el, &bar_el);
        let w = ResizeWatch::new(move || {
            if let (Some(s), Some(b)) = (section.get_untracked(), bar.get_untracked()) {
                apply(&s, &b);
            }
        });
        w.watch(&bar_el);
        if let Some(scroll_box) = scrolling_ancestor(&section_el) {
            w.watch(&scroll_box);
        }
        // The one before, if any, is dropped: it stops watching.
        watch.set_value(Some(w));
    });
    // The window's own resizes (the scrolling box may be the window).
    let resize = window_event_listener(leptos::ev::resize, move |_| {
        if let (Some(s), Some(b)) = (section.get_untracked(), bar.get_untracked()) {
            apply(&s, &b);
        }
    });
    on_cleanup(move || {
        resize.remove();
        watch.set_value(None);
    });
}

/// Writes the two custom properties when they changed.
fn apply(section: &web_sys::HtmlElement, bar: &web_sys::HtmlElement) {
    let view_h = scrolling_ancestor(section)
        .map(|el| el.client_height() as f64)
        .or_else(|| window().inner_height().ok().and_then(|h| h.as_f64()))
        .unwrap_or(0.0);
    let bar_h = bar.offset_height() as f64;
    if view_h <= 0.0 {
        return;
    }
    let style = section.style();
    for (name, px) in [("--apc-view-h", view_h), ("--apc-jobbar-h", bar_h)] {
        let value = format!("{px}px");
        if style.get_property_value(name).ok().as_deref() != Some(value.as_str()) {
            let _ = style.set_property(name, &value);
        }
    }
}

/// The nearest ancestor that scrolls its content (overflow other than visible, and more
/// content than room), below the document's own scrolling (body and html: the window).
fn scrolling_ancestor(el: &web_sys::Element) -> Option<web_sys::Element> {
    let w = window();
    let mut at = el.parent_element();
    while let Some(a) = at {
        let tag = a.tag_name();
        if tag.eq_ignore_ascii_case("body") || tag.eq_ignore_ascii_case("html") {
            return None;
        }
        let overflow = w
            .get_computed_style(&a)
            .ok()
            .flatten()
            .and_then(|s| s.get_property_value("overflow-y").ok())
            .unwrap_or_default();
        let scrolls = matches!(overflow.as_str(), "auto" | "scroll" | "overlay");
        if scrolls && a.scroll_height() > a.client_height() + 1 {
            return Some(a);
        }
        at = a.parent_element();
    }
    None
}
