//! The viewer's effects and async work: the viewport's size, links to lines, following,
//! fetching the pages on screen, and scanning the whole log for a search.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiClient;
use crate::browser::number;
use crate::log_model::{line_from_hash, scan_plan, PAGE};
use crate::text;

use super::state::Viewer;

/// Keeps the viewport's height known (at mount and on every window resize).
pub(super) fn use_viewport_size(v: Viewer) {
    Effect::new(move |_| {
        if v.scroller.get().is_some() {
            v.measure();
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| v.measure());
    on_cleanup(move || resize.remove());
}

/// Links to lines: a changed `#L…` (a line number clicked, or typed into the address bar)
/// is shown once the log has that line.
pub(super) fn use_line_links(v: Viewer) {
    let hash = window_event_listener(leptos::ev::hashchange, move |_| {
        if let Some(n) = line_from_hash(&window().location().hash().unwrap_or_default()) {
            v.pending_jump.set(Some(n - 1));
        }
    });
    on_cleanup(move || hash.remove());
    Effect::new(move |_| {
        let (Some(target), total) = (v.pending_jump.get(), v.len.get()) else {
            return;
        };
        if target < total && v.scroller.get().is_some() {
            v.pending_jump.set(None);
            request_animation_frame(move || v.jump_to(target));
        }
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
        });
    });
}

/// Pages on screen that are not loaded are fetched one at a time, always for the rows on
/// screen now (pages scrolled past in the meantime are not fetched). Returns "load what is
/// missing" (for the retry button after an error).
pub(super) fn use_page_loading(v: Viewer, client: Option<ApiClient>, id: String) -> Callback<()> {
    let loading = StoredValue::new(false);
    let load_missing = Callback::new(move |_| {
        let Some(client) = client.clone() else { return };
        if loading.get_value() {
            return;
        }
        loading.set_value(true);
        let id = id.clone();
        spawn_local(async move {
            loop {
                let want = v.rows.get_untracked();
                let Some(p) = v
                    .cache
                    .with_untracked(|c| c.missing_pages(want).first().copied())
                else {
                    break;
                };
                let answer = client.log_range(&id, p * PAGE, PAGE).await;
                if loading.try_get_value().is_none() {
                    return; // the viewer is gone
                }
                match answer {
                    Ok(page) => {
                        v.load_error.set(None);
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
        let r = v.rows.get();
        v.cache.update_untracked(|c| c.touch(r.clone()));
        let missing = v.cache.with(|c| !c.has_all(r));
        if missing && v.load_error.get_untracked().is_none() {
            load_missing.run(());
        }
    });
    load_missing
}

/// A scan of the whole log in progress: pages searched of pages planned.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct ScanProgress {
    pub done: usize,
    pub total: usize,
}

/// Searching the whole log page by page, on request, forward or backward from the marked
/// line (or the screen); shows the first match found beyond where it began.
#[derive(Clone, Copy)]
pub(super) struct Scanner {
    pub progress: RwSignal<Option<ScanProgress>>,
    /// Bumped to stop a scan: a scan that finds it changed ends.
    generation: StoredValue<u64>,
    /// Starts a scan (`true`: towards the end).
    pub start: Callback<bool>,
}

impl Scanner {
    pub fn stop(&self) {
        self.generation.update_value(|g| *g += 1);
        self.progress.set(None);
    }
}

pub(super) fn use_scan(v: Viewer, client: Option<ApiClient>, id: String) -> Scanner {
    let progress = RwSignal::new(None::<ScanProgress>);
    let generation = StoredValue::new(0u64);
    let start = Callback::new(move |forward: bool| {
        let Some(client) = client.clone() else { return };
        if !v.search.with_untracked(|s| s.is_active()) {
            return;
        }
        let from = v.scan_start();
        let plan = v
            .search
            .with_untracked(|s| scan_plan(s, v.len.get_untracked(), from, forward));
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        let total = plan.len();
        progress.set(Some(ScanProgress { done: 0, total }));
        let id = id.clone();
        spawn_local(async move {
            let mut shown = false;
            for (k, p) in plan.into_iter().enumerate() {
                if generation.try_get_value() != Some(mine) {
                    return;
                }
                let answer = client.log_range(&id, p * PAGE, PAGE).await;
                // Stopped, replaced by another search, or the viewer is gone.
                if generation.try_get_value() != Some(mine) {
                    return;
                }
                let page = match answer {
                    Ok(page) => page,
                    Err(e) => {
                        v.load_error.set(Some(e));
                        break;
                    }
                };
                let offset = page.offset;
                v.search.update(|s| {
                    s.look(
                        page.lines
                            .iter()
                            .enumerate()
                            .map(|(j, l)| (offset + j as u64, l.as_str())),
                    )
                });
                v.cache.update(|c| {
                    c.insert(offset, page.lines);
                });
                if !shown {
                    if let Some(i) = v.search.with_untracked(|s| s.first_beyond(from, forward)) {
                        shown = true;
                        v.jump_to(i);
                    }
                }
                progress.set(Some(ScanProgress { done: k + 1, total }));
            }
            progress.set(None);
            let len = v.len.get_untracked();
            v.announcement.set(v.search.with_untracked(|s| {
                text::log_matches(
                    None,
                    s.count(),
                    &number(s.searched_lines()),
                    &number(len),
                    s.is_complete(len),
                )
            }));
        });
    });
    Scanner {
        progress,
        generation,
        start,
    }
}
