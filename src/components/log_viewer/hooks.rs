//! The viewer's effects and async work: the viewport's size, links to lines, following,
//! fetching the pages on screen, and the keys of the log. (Scans of the whole log: `scan`.)

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::ResizeWatch;
use crate::job_log::JobLog;
use crate::log_model::{is_jump, span_from_hash, LevelFilter};

use super::scan::Scanner;
use super::state::Viewer;

/// Keeps the viewport's height known: measured whenever the log's scroller changes size (the
/// window, the page's layout around it, its own tool rows folding), by a `ResizeObserver` on
/// the scroller itself.
pub(super) fn use_viewport_size(v: Viewer) {
    let watch = StoredValue::new_local(None::<ResizeWatch>);
    Effect::new(move |_| {
        if let Some(el) = v.scroller.get() {
            v.measure();
            // A following viewer stays at the end when its scroller changes size (tool rows
            // folding, the page around it): at a scale of 20 (10,000,000 lines) 43 px short
            // of the bottom is 43 lines short of the tail.
            let w = ResizeWatch::new(move || {
                v.measure();
                if v.follow.get_untracked() {
                    v.scroll_to_bottom();
                }
            });
            w.watch(&el);
            // The one before, if any, is dropped: it stops watching.
            watch.set_value(Some(w));
        }
    });
    on_cleanup(move || watch.set_value(None));
}

/// Links to lines: a changed `#L…` or `#L…-L…` (a line number clicked, or typed into the
/// address bar) is marked and shown, in the log and in the browser window, once the log has
/// its first line.
pub(super) fn use_line_links(v: Viewer) {
    let hash = window_event_listener(leptos::ev::hashchange, move |_| {
        if let Some(span) = span_from_hash(&window().location().hash().unwrap_or_default()) {
            v.pending_jump.set(Some(span));
        }
    });
    on_cleanup(move || hash.remove());
    Effect::new(move |first: Option<bool>| {
        let (Some(target), total) = (v.pending_jump.get(), v.len.get()) else {
            return first.unwrap_or(true);
        };
        if target.first <= total && v.scroller.get().is_some() {
            v.pending_jump.set(None);
            // The page's first link settles with the page; a later one is shown at once.
            let opening = first.unwrap_or(true);
            request_animation_frame(move || {
                // A link the address no longer names is old news: a click's own `hashchange`
                // comes a task after the click (later on a busy machine), and a Shift+click
                // may have marked a range since. Marking the old link would undo the range.
                if span_from_hash(&window().location().hash().unwrap_or_default()) != Some(target) {
                    return;
                }
                v.mark_span(target);
                v.reveal(target.first - 1, opening);
            });
            return false;
        }
        first.unwrap_or(true)
    });
}

/// Following: new lines scroll into view while the reader is at the end; a search looks at
/// lines as they arrive.
pub(super) fn use_following(v: Viewer) {
    Effect::new(move |_| {
        v.len.track();
        if v.follow.get_untracked() && v.pending_jump.get_untracked().is_none() {
            request_animation_frame(move || v.scroll_to_bottom());
        }
    });
    Effect::new(move |_| {
        v.cache.with(|c| {
            if v.search.with_untracked(|s| s.is_active()) {
                v.search.update(|s| s.look_at_cache(c));
            }
            let unread = c
                .loaded_ranges()
                .iter()
                .any(|r| v.levels.with_untracked(|x| !x.read().covers(r)));
            if unread {
                v.keeping_place(|| v.levels.update(|x| x.look_at_cache(c)));
            }
        });
    });
}

/// Pages on screen that are not loaded are fetched one at a time, always for the rows on
/// screen now (pages scrolled past in the meantime are not fetched). While the window jumps
/// (a scroll over a scaled area moves thousands of lines a frame), nothing is fetched: the
/// page on screen is asked for once the window has stayed for a frame, not a page per frame
/// that is parsed after the screen has moved on. Returns "load what is missing" (for the
/// retry button after an error).
pub(super) fn use_page_loading(v: Viewer, log: JobLog) -> Callback<()> {
    let loading = StoredValue::new(false);
    // The window last seen, and whether it came by a jump that has not settled yet.
    let (last_rows, jumping) = (StoredValue::new(0..0u64), StoredValue::new(false));
    let load_missing = Callback::new(move |_| {
        if loading.get_value() || !log.can_fetch() {
            return;
        }
        loading.set_value(true);
        let log = log.clone();
        spawn_local(async move {
            while let Some(p) = v.first_missing_page().filter(|_| !jumping.get_value()) {
                let answer = log.fetch_page(p).await;
                if loading.try_get_value().is_none() {
                    return; // the viewer is gone
                }
                match answer {
                    Ok(page) => {
                        v.load_error.set(None);
                        if v.filter.get_untracked() != LevelFilter::All {
                            // A filtered screen's rows are problem lines: their texts are
                            // kept by the level index (the cache may let the page go).
                            v.levels.update(|x| {
                                x.remember(
                                    page.lines
                                        .iter()
                                        .enumerate()
                                        .map(|(k, l)| (page.offset + k as u64, l.as_str())),
                                )
                            });
                        }
                        v.cache.update(|c| {
                            c.insert(page.offset, page.lines);
                        });
                    }
                    Err(e) => {
                        v.load_error.set(Some(e));
                        break;
                    }
                }
            }
            loading.set_value(false);
        });
    });
    Effect::new(move |_| {
        // Filtered rows are problem lines, far apart: their pages are not kept on screen's
        // behalf (the level index keeps their texts, the nearest to the screen).
        let all = v.filter.get() == LevelFilter::All;
        let r = if all { v.rows.get() } else { 0..0 };
        let first = v.first_visible.get();
        v.row_lines
            .with(|rows| v.levels.update_untracked(|x| x.focus(first, rows)));
        v.cache.update_untracked(|c| c.touch(r.clone()));
        v.cache.track();
        v.levels.track();
        let now = v.rows.get();
        if is_jump(&last_rows.get_value(), &now) {
            jumping.set_value(true);
        }
        last_rows.set_value(now.clone());
        if jumping.get_value() {
            // Settled when the next frame finds the window where this one left it. (A frame
            // callback asked for now runs in this frame, after its scroll events: the check is
            // the one it asks for, in the next frame, after that frame's scroll events.)
            request_animation_frame(move || {
                request_animation_frame(move || {
                    let alive = loading.try_get_value().is_some();
                    if alive && jumping.get_value() && v.rows.get_untracked() == now {
                        jumping.set_value(false);
                        if v.first_missing_page().is_some()
                            && v.load_error.get_untracked().is_none()
                        {
                            load_missing.run(());
                        }
                    }
                })
            });
            return;
        }
        if v.first_missing_page().is_some() && v.load_error.get_untracked().is_none() {
            load_missing.run(());
        }
    });
    load_missing
}

/// The log's keys while focus is in it (not while typing in a field): `n` the next problem,
/// Shift+N the previous one.
pub(super) fn on_log_key(v: Viewer, scanner: Scanner, ev: leptos::ev::KeyboardEvent) {
    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.default_prevented() {
        return;
    }
    let typing = ev
        .target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
    if typing {
        return;
    }
    let forward = match ev.key().as_str() {
        "n" => true,
        "N" => false,
        _ => return,
    };
    ev.prevent_default();
    scanner.next_problem(v, forward);
}
