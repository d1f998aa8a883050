//! The log viewer: every line of a log of any length, of which only the rows on screen (plus
//! a small overscan) are in the page. Tail and follow, pages, go to line, links to lines
//! (`#L1234`), search over what is loaded and, on request, over the whole log page by page.
//! The logic lives in `crate::log_model`; this file wires it to the DOM.

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{ApiClient, ClientError};
use crate::browser::{copy_text, number};
use crate::log_model::{
    at_bottom, highlight, level_of, line_from_hash, page_of, scan_plan, Follower, Grow, Layout,
    Level, LogCache, Search, MAX_SCROLL_PX, PAGE,
};
use crate::text;

/// Height of one row in CSS pixels (the stylesheet's `.apc-logv__row` says the same).
pub const ROW_PX: f64 = 20.0;
/// Rows rendered above and below the viewport.
const OVERSCAN: u64 = 20;
/// Pages kept in memory (20,000 lines).
const CACHE_PAGES: usize = 20;

/// The lines of a job's log the console knows, shared by the job view (which grows it while it
/// polls) and the viewer (which fetches the pages it shows).
#[derive(Clone, Copy)]
pub struct LogFeed {
    pub cache: RwSignal<LogCache>,
    follower: StoredValue<Follower>,
}

impl Default for LogFeed {
    fn default() -> Self {
        LogFeed::new()
    }
}

impl LogFeed {
    pub fn new() -> LogFeed {
        LogFeed {
            cache: RwSignal::new(LogCache::new(CACHE_PAGES)),
            follower: StoredValue::new(Follower::default()),
        }
    }

    /// Fetches the lines written since the last call (the first call: the tail). One request,
    /// or two when the log grew by more than a page since (then the tail, skipping the middle,
    /// which is fetched when someone scrolls to it).
    pub async fn grow(&self, client: &ApiClient, id: &str) -> Result<(), ClientError> {
        for _ in 0..2 {
            let ask = self
                .cache
                .with_untracked(|c| self.follower.with_value(|f| f.next(c)));
            let page = match ask {
                Grow::Tail(n) => client.log_tail(id, n).await?,
                Grow::From { offset, limit } => client.log_range(id, offset, limit).await?,
            };
            if !self.is_alive() {
                // The job view closed while the request was out.
                return Ok(());
            }
            if page.lines.is_empty() && self.cache.with_untracked(|c| c.is_known()) {
                // Nothing new: nothing to redraw.
                return Ok(());
            }
            let mut follower = self.follower.get_value();
            self.cache.update(|c| {
                follower.answered(c, page.offset, page.lines, page.has_more);
            });
            self.follower.set_value(follower);
            let behind = self
                .cache
                .with_untracked(|c| matches!(follower.next(c), Grow::Tail(_)));
            if !behind {
                break;
            }
        }
        Ok(())
    }

    /// Whether the view that owns this feed still exists (after an `await` it may not).
    pub fn is_alive(&self) -> bool {
        self.cache.try_with_untracked(|_| ()).is_some()
    }
}

/// A scan of the whole log in progress.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Scan {
    done: usize,
    total: usize,
}

fn location() -> web_sys::Location {
    window().location()
}

/// The URL of this page pointing at line `n` (1-based).
fn line_url(n: u64) -> String {
    let l = location();
    let base = l.href().unwrap_or_default();
    let base = base.split('#').next().unwrap_or_default().to_string();
    format!("{base}#L{n}")
}

#[component]
pub fn LogViewer(
    /// The job whose log this is.
    #[prop(into)]
    id: String,
    feed: LogFeed,
    /// Whether the job still runs (the log may grow).
    #[prop(into)]
    running: Signal<bool>,
    /// The ZIP of the whole log, when the job has logs.
    #[prop(into)]
    download: Signal<Option<String>>,
) -> impl IntoView {
    let client = use_context::<ApiClient>();
    let cache = feed.cache;
    let scroller = NodeRef::<Div>::new();
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(400.0f64);
    let wrap = RwSignal::new(false);
    let selected = RwSignal::new(None::<u64>);
    // A deep link names a line: open there instead of at the end.
    let linked = line_from_hash(&location().hash().unwrap_or_default());
    let follow = RwSignal::new(linked.is_none());
    let pending_jump = RwSignal::new(linked.map(|n| n - 1));
    let paused_len = RwSignal::new(0u64);
    let load_error = RwSignal::new(None::<ClientError>);
    let search = RwSignal::new(Search::default());
    let query = RwSignal::new(String::new());
    let scan = RwSignal::new(None::<Scan>);
    let scan_generation = StoredValue::new(0u64);
    let goto_value = RwSignal::new(String::new());
    let goto_error = RwSignal::new(None::<String>);
    let announcement = RwSignal::new(String::new());

    let len = Memo::new(move |_| cache.with(|c| c.len()));
    let highlight_query = Memo::new(move |_| search.with(|s| s.query().to_string()));
    let known = Memo::new(move |_| cache.with(|c| c.is_known()));
    let layout = Memo::new(move |_| Layout {
        row_px: ROW_PX,
        len: len.get(),
        max_px: MAX_SCROLL_PX,
    });
    let window_rows = Memo::new(move |_| {
        let (l, top, h) = (layout.get(), scroll_top.get(), viewport.get());
        if wrap.get() {
            l.window_wrapped(top, h, OVERSCAN)
        } else {
            l.window(top, h, OVERSCAN)
        }
    });
    // Wrapped rows are taller than their slots: while following, the rows hang from the end
    // of the scroll area so the newest line is the last thing in view.
    let hang_from_end = Memo::new(move |_| {
        wrap.get() && follow.get() && window_rows.with(|w| w.rows.end == len.get())
    });
    let rows = Memo::new(move |_| window_rows.get().rows);
    let first_visible = Memo::new(move |_| window_rows.get().first_visible);

    // Scrolls so that the scroll area's top is at `px`.
    let scroll_to_px = move |px: f64| {
        if let Some(el) = scroller.get_untracked() {
            el.set_scroll_top(px.round() as i32);
            scroll_top.set(el.scroll_top() as f64);
        }
    };
    let scroll_to_bottom = move || {
        if let Some(el) = scroller.get_untracked() {
            el.set_scroll_top(el.scroll_height());
            scroll_top.set(el.scroll_top() as f64);
        }
    };
    // Stops following; "N new lines" counts from here.
    let pause = move || {
        follow.set(false);
        paused_len.set(len.get_untracked());
    };
    // Shows line `i` (0-based) a third down the viewport and marks it.
    let jump_to = move |i: u64| {
        pause();
        selected.set(Some(i));
        let (l, h) = (layout.get_untracked(), viewport.get_untracked());
        if wrap.get_untracked() {
            // Row heights are unknown: the line goes to the top.
            scroll_to_px(l.scroll_for(i, h));
            return;
        }
        // A line already on screen stays where it is.
        let w = window_rows.get_untracked();
        if i >= w.first_visible && i + 2 < w.first_visible + w.visible {
            return;
        }
        scroll_to_px(l.scroll_to_show(i, h));
    };
    let top_at = move |i: u64| {
        pause();
        let px = layout
            .get_untracked()
            .scroll_for(i, viewport.get_untracked());
        scroll_to_px(px);
    };
    let jump_latest = move || {
        follow.set(true);
        request_animation_frame(scroll_to_bottom);
    };

    // The viewport's size.
    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            // Never more than the window: a scroll area the page did not size (no stylesheet)
            // must not render every line.
            let window_h = window()
                .inner_height()
                .ok()
                .and_then(|h| h.as_f64())
                .unwrap_or(1_000.0);
            let h = (el.client_height() as f64).min(window_h);
            if h > 0.0 {
                viewport.set(h);
            }
        }
    };
    Effect::new(move |_| {
        if scroller.get().is_some() {
            measure();
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());

    // A changed `#L…` (a line number clicked, or typed into the address bar).
    let hash = window_event_listener(leptos::ev::hashchange, move |_| {
        if let Some(n) = line_from_hash(&location().hash().unwrap_or_default()) {
            pending_jump.set(Some(n - 1));
        }
    });
    on_cleanup(move || hash.remove());
    Effect::new(move |_| {
        let (Some(target), total) = (pending_jump.get(), len.get()) else {
            return;
        };
        if target < total && scroller.get().is_some() {
            pending_jump.set(None);
            request_animation_frame(move || jump_to(target));
        }
    });

    // Following: new lines scroll into view while the reader is at the end.
    Effect::new(move |_| {
        len.track();
        if follow.get_untracked() && pending_jump.get_untracked().is_none() {
            request_animation_frame(scroll_to_bottom);
        }
    });

    let on_scroll = move |_| {
        let Some(el) = scroller.get_untracked() else {
            return;
        };
        let top = el.scroll_top() as f64;
        scroll_top.set(top);
        let bottom = at_bottom(top, el.client_height() as f64, el.scroll_height() as f64);
        if bottom {
            follow.set(true);
        } else if follow.get_untracked() {
            pause();
        }
    };

    // Pages on screen that are not loaded are fetched one at a time, always for the rows on
    // screen now (pages scrolled past in the meantime are not fetched).
    let loading = StoredValue::new(false);
    let load_missing = {
        let client = client.clone();
        let id = id.clone();
        move || {
            let Some(client) = client.clone() else { return };
            if loading.get_value() {
                return;
            }
            loading.set_value(true);
            let id = id.clone();
            spawn_local(async move {
                loop {
                    let want = rows.get_untracked();
                    let Some(p) = cache.with_untracked(|c| c.missing_pages(want).first().copied())
                    else {
                        break;
                    };
                    let answer = client.log_range(&id, p * PAGE, PAGE).await;
                    if loading.try_get_value().is_none() {
                        return; // the viewer is gone
                    }
                    match answer {
                        Ok(page) => {
                            load_error.set(None);
                            cache.update(|c| {
                                c.insert(page.offset, page.lines);
                            });
                        }
                        Err(e) => {
                            load_error.set(Some(e));
                            break;
                        }
                    }
                }
                loading.set_value(false);
            });
        }
    };
    {
        let load_missing = load_missing.clone();
        Effect::new(move |_| {
            let r = rows.get();
            cache.update_untracked(|c| c.touch(r.clone()));
            let missing = cache.with(|c| !c.has_all(r));
            if missing && load_error.get_untracked().is_none() {
                load_missing();
            }
        });
    }

    // Search: what is loaded is searched as it arrives.
    Effect::new(move |_| {
        cache.with(|c| {
            if search.with_untracked(|s| s.is_active()) {
                search.update(|s| s.look_at_cache(c));
            }
        });
    });
    let set_query = move |q: String| {
        query.set(q.clone());
        scan_generation.update_value(|g| *g += 1);
        scan.set(None);
        let mut s = Search::new(&q);
        cache.with_untracked(|c| s.look_at_cache(c));
        search.set(s);
    };
    let step_match = move |forward: bool| {
        // From the marked line, or else from the top of the screen.
        let marked = selected.get_untracked();
        let top = first_visible.get_untracked();
        let next = search.with_untracked(|s| {
            if forward {
                s.next_after(marked.or(top.checked_sub(1)))
            } else {
                s.previous_before(Some(marked.unwrap_or(top)))
            }
        });
        if let Some(i) = next {
            jump_to(i);
        }
    };
    let start_scan = {
        let client = client.clone();
        let id = id.clone();
        move |forward: bool| {
            let Some(client) = client.clone() else { return };
            if !search.with_untracked(|s| s.is_active()) {
                return;
            }
            let total = len.get_untracked();
            let from = selected
                .get_untracked()
                .unwrap_or_else(|| first_visible.get_untracked());
            let plan = search.with_untracked(|s| scan_plan(s, total, from, forward));
            scan_generation.update_value(|g| *g += 1);
            let mine = scan_generation.get_value();
            let pages = plan.len();
            scan.set(Some(Scan {
                done: 0,
                total: pages,
            }));
            let id = id.clone();
            spawn_local(async move {
                let mut jumped = false;
                for (k, p) in plan.into_iter().enumerate() {
                    if scan_generation.try_get_value() != Some(mine) {
                        return;
                    }
                    let answer = client.log_range(&id, p * PAGE, PAGE).await;
                    // Stopped, replaced by another search, or the viewer is gone.
                    if scan_generation.try_get_value() != Some(mine) {
                        return;
                    }
                    match answer {
                        Ok(page) => {
                            let offset = page.offset;
                            search.update(|s| {
                                s.look(
                                    page.lines
                                        .iter()
                                        .enumerate()
                                        .map(|(j, l)| (offset + j as u64, l.as_str())),
                                )
                            });
                            cache.update(|c| {
                                c.insert(offset, page.lines);
                            });
                            // Show the first match found beyond where the scan began.
                            if !jumped {
                                let hit = search.with_untracked(|s| {
                                    if forward {
                                        s.next_after(Some(from)).filter(|i| *i > from)
                                    } else {
                                        s.previous_before(Some(from)).filter(|i| *i < from)
                                    }
                                });
                                if let Some(i) = hit {
                                    jumped = true;
                                    jump_to(i);
                                }
                            }
                            scan.set(Some(Scan {
                                done: k + 1,
                                total: pages,
                            }));
                        }
                        Err(e) => {
                            load_error.set(Some(e));
                            break;
                        }
                    }
                }
                scan.set(None);
                announcement.set(text::log_matches(
                    None,
                    search.with_untracked(|s| s.count()),
                    &number(search.with_untracked(|s| s.searched_lines())),
                    &number(len.get_untracked()),
                    search.with_untracked(|s| s.is_complete(len.get_untracked())),
                ));
            });
        }
    };
    let stop_scan = move || {
        scan_generation.update_value(|g| *g += 1);
        scan.set(None);
    };

    let go_to_line = move || {
        let total = len.get_untracked();
        match goto_value
            .get_untracked()
            .trim()
            .replace([',', '.', ' '], "")
            .parse::<u64>()
        {
            Ok(n) if n >= 1 && n <= total => {
                goto_error.set(None);
                set_hash(n);
                jump_to(n - 1);
            }
            _ => goto_error.set(Some(text::log_line_out_of_range(&number(total)))),
        }
    };

    let retry = {
        let load_missing = load_missing.clone();
        move |_| {
            load_error.set(None);
            load_missing();
        }
    };
    let scan_forward = {
        let start_scan = start_scan.clone();
        move |_| start_scan(true)
    };
    let scan_backward = move |_| start_scan(false);
    let page_count = move || len.get().div_ceil(PAGE).max(1);
    let current_page = move || page_of(first_visible.get());

    view! {
        <div class="apc-logv" class:apc-logv--wrap=move || wrap.get()>
            <div class="apc-sr-only" role="status" aria-live="polite">{move || announcement.get()}</div>
            <div class="apc-logv__bar">
                <div class="apc-logv__pages" role="group" aria-label=text::LOG_PAGES>
                    <button type="button" class="apc-button apc-button--quiet apc-button--icon" title=text::LOG_FIRST_PAGE aria-label=text::LOG_FIRST_PAGE
                        disabled=move || len.get() == 0 on:click=move |_| top_at(0)>"«"</button>
                    <button type="button" class="apc-button apc-button--quiet apc-button--icon" title=text::LOG_PREVIOUS_PAGE aria-label=text::LOG_PREVIOUS_PAGE
                        disabled=move || { current_page() == 0 }
                        on:click=move |_| top_at(current_page().saturating_sub(1) * PAGE)>"‹"</button>
                    <span class="apc-logv__where">
                        {move || text::log_page(&number(current_page() + 1), &number(page_count()))}
                    </span>
                    <button type="button" class="apc-button apc-button--quiet apc-button--icon" title=text::LOG_NEXT_PAGE aria-label=text::LOG_NEXT_PAGE
                        disabled=move || { current_page() + 1 >= page_count() }
                        on:click=move |_| top_at((current_page() + 1) * PAGE)>"›"</button>
                    <button type="button" class="apc-button apc-button--quiet apc-button--icon" title=text::LOG_LAST_PAGE aria-label=text::LOG_LAST_PAGE
                        disabled=move || len.get() == 0 on:click=move |_| jump_latest()>"»"</button>
                </div>
                <form class="apc-logv__goto" on:submit=move |ev| { ev.prevent_default(); go_to_line(); }>
                    <label for="apc-logv-goto">{text::LOG_GO_TO_LINE}</label>
                    <input id="apc-logv-goto" class="apc-input apc-logv__goto-input" type="text" inputmode="numeric"
                        autocomplete="off" aria-invalid=move || goto_error.get().is_some().to_string()
                        aria-describedby="apc-logv-goto-error"
                        prop:value=move || goto_value.get() on:input=move |ev| goto_value.set(event_target_value(&ev))/>
                    <button type="submit" class="apc-button apc-button--secondary">{text::LOG_GO}</button>
                </form>
                <label class="apc-check">
                    <input type="checkbox" prop:checked=move || wrap.get()
                        on:change=move |ev| wrap.set(event_target_checked(&ev))/>
                    {text::LOG_WRAP}
                </label>
                <Show when=move || running.get()>
                    <label class="apc-check">
                        <input type="checkbox" prop:checked=move || follow.get()
                            on:change=move |ev| if event_target_checked(&ev) { jump_latest() } else { pause() }/>
                        {text::LOG_FOLLOW}
                    </label>
                </Show>
                {move || download.get().map(|href| view! {
                    <a class="apc-button apc-button--secondary apc-link-button apc-logv__download" href=href download="" rel="external">
                        {text::DOWNLOAD_LOGS}
                    </a>
                })}
            </div>
            <p class="apc-field__error" id="apc-logv-goto-error" role="alert">{move || goto_error.get()}</p>
            <div class="apc-logv__bar apc-logv__search" role="search">
                <label for="apc-logv-find" class="apc-sr-only">{text::LOG_FIND}</label>
                <input id="apc-logv-find" class="apc-input apc-logv__find" type="search" placeholder=text::LOG_FIND
                    autocomplete="off" aria-describedby="apc-logv-count"
                    prop:value=move || query.get()
                    on:input=move |ev| set_query(event_target_value(&ev))
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                            step_match(!ev.shift_key());
                        }
                    }/>
                <button type="button" class="apc-button apc-button--quiet apc-button--icon" title=text::LOG_FIND_PREVIOUS aria-label=text::LOG_FIND_PREVIOUS
                    disabled=move || search.with(|s| s.count() == 0) on:click=move |_| step_match(false)>"↑"</button>
                <button type="button" class="apc-button apc-button--quiet apc-button--icon" title=text::LOG_FIND_NEXT aria-label=text::LOG_FIND_NEXT
                    disabled=move || search.with(|s| s.count() == 0) on:click=move |_| step_match(true)>"↓"</button>
                <span class="apc-muted apc-logv__count" id="apc-logv-count">
                    {move || search.with(|s| s.is_active().then(|| text::log_matches(
                        selected.get().and_then(|i| s.position(i)),
                        s.count(),
                        &number(s.searched_lines().min(len.get())),
                        &number(len.get()),
                        s.is_complete(len.get()),
                    )))}
                </span>
                {move || match scan.get() {
                    Some(Scan { done, total }) => view! {
                        <span class="apc-logv__scan">
                            <progress max=total.max(1).to_string() value=done.to_string() aria-label=text::LOG_FIND></progress>
                            <span>{text::log_scanning(&number(done as u64), &number(total as u64))}</span>
                            <button type="button" class="apc-button apc-button--secondary" on:click=move |_| stop_scan()>{text::LOG_SCAN_CANCEL}</button>
                        </span>
                    }.into_any(),
                    None => {
                        let (scan_backward, scan_forward) = (scan_backward.clone(), scan_forward.clone());
                        view! {
                            <Show when=move || search.with(|s| s.is_active() && !s.is_complete(len.get()))>
                                <button type="button" class="apc-button apc-button--secondary" on:click=scan_backward.clone()>{text::LOG_SCAN_BACKWARD}</button>
                                <button type="button" class="apc-button apc-button--secondary" on:click=scan_forward.clone()>{text::LOG_SCAN_FORWARD}</button>
                            </Show>
                        }.into_any()
                    }
                }}
            </div>
            {move || selected.get().filter(|i| *i < len.get()).map(|i| {
                let n = i + 1;
                view! {
                    <div class="apc-logv__bar apc-logv__selected">
                        <span>{text::log_line_selected(&number(n))}</span>
                        <button type="button" class="apc-button apc-button--quiet" on:click=move |_| {
                            if let Some(l) = cache.with_untracked(|c| c.line(i).map(str::to_owned)) { copy_text(&l); }
                        }>{text::LOG_COPY_LINE}</button>
                        <button type="button" class="apc-button apc-button--quiet" on:click=move |_| copy_text(&line_url(n))>
                            {text::LOG_COPY_LINK}</button>
                    </div>
                }
            })}
            {move || load_error.get().map(|e| view! {
                <div class="apc-alert apc-alert--notice" role="alert">
                    <p class="apc-alert__text">{text::log_load_failed(&e.message())}</p>
                    <button type="button" class="apc-button apc-button--secondary" on:click=retry.clone()>{text::LOG_RETRY}</button>
                </div>
            })}
            {move || pending_jump.get().filter(|t| known.get() && *t >= len.get()).map(|t| view! {
                <p class="apc-muted">{text::log_line_missing(&number(t + 1), &number(len.get()))}</p>
            })}
            <div class="apc-logv__frame">
                <div class="apc-logv__scroller" node_ref=scroller tabindex="0" role="region"
                    aria-label=text::LOG_LINES_LABEL on:scroll=on_scroll>
                    {move || (!known.get()).then(|| view! { <p class="apc-muted apc-logv__empty" role="status">{text::LOG_LOADING}</p> })}
                    {move || (known.get() && len.get() == 0).then(|| view! { <p class="apc-muted apc-logv__empty">{text::LOG_EMPTY}</p> })}
                    <div class="apc-logv__space" style:height=move || format!("{}px", layout.get().total_px())>
                        <div class="apc-logv__rows" role="list" aria-label=text::LOG_LINES_LABEL
                            class:apc-logv__rows--end=move || hang_from_end.get()
                            style:transform=move || if hang_from_end.get() {
                                "none".to_string()
                            } else {
                                format!("translateY({}px)", window_rows.get().top_px)
                            }>
                            <For each=move || rows.get() key=|i| *i
                                children=move |i| view! { <LogRow i cache search highlight_query selected len/> }/>
                        </div>
                    </div>
                </div>
                {move || {
                    let new = len.get().saturating_sub(paused_len.get());
                    (!follow.get() && running.get() && new > 0).then(|| view! {
                        <button type="button" class="apc-button apc-button--primary apc-logv__latest" on:click=move |_| jump_latest()>
                            {text::log_new_lines(&number(new), new == 1)}
                        </button>
                    })
                }}
            </div>
            <p class="apc-muted apc-logv__where">
                {move || {
                    let (w, total) = (window_rows.get(), len.get());
                    (total > 0).then(|| {
                        let first = w.first_visible + 1;
                        let last = (w.first_visible + w.visible).min(total);
                        text::log_position(&number(first), &number(last), &number(total))
                    })
                }}
            </p>
        </div>
    }
}

/// Puts `#L<n>` in the address bar without a navigation (the link to this line).
fn set_hash(n: u64) {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("#L{n}")),
        );
    }
}

#[component]
fn LogRow(
    i: u64,
    cache: RwSignal<LogCache>,
    search: RwSignal<Search>,
    /// What to mark in the text: changes only with the query, not with each searched page.
    highlight_query: Memo<String>,
    selected: RwSignal<Option<u64>>,
    len: Memo<u64>,
) -> impl IntoView {
    let is_match = Memo::new(move |_| search.with(|s| s.is_match(i)));
    let n = i + 1;
    let line = Memo::new(move |_| cache.with(|c| c.line(i).map(str::to_owned)));
    let level = move || line.with(|l| l.as_deref().map_or(Level::Other, level_of));
    let class = move || {
        let mut c = String::from("apc-logv__row");
        match level() {
            Level::Error => c.push_str(" apc-logv__row--error"),
            Level::Warn => c.push_str(" apc-logv__row--warn"),
            Level::Other => {}
        }
        if selected.get() == Some(i) {
            c.push_str(" apc-logv__row--selected");
        }
        if is_match.get() {
            c.push_str(" apc-logv__row--match");
        }
        c
    };
    view! {
        <div role="listitem" class=class aria-posinset=n.to_string() aria-setsize=move || len.get().to_string()
            aria-busy=move || line.with(|l| l.is_none()).to_string() data-line=n.to_string()
            aria-current=move || (selected.get() == Some(i)).then_some("true")>
            <a class="apc-logv__num" href=format!("#L{n}") rel="external" tabindex="-1"
                aria-label=text::log_line(&n.to_string()) on:click=move |_| selected.set(Some(i))>{n}</a>
            <span class="apc-logv__mark" title=move || match level() {
                Level::Error => text::LOG_ERROR_MARK, Level::Warn => text::LOG_WARN_MARK, Level::Other => "" }>
                {move || match level() { Level::Error => "✖", Level::Warn => "▲", Level::Other => "" }}
            </span>
            <span class="apc-logv__text">
                {move || match line.get() {
                    None => view! { <span class="apc-muted">{text::LOG_LINE_LOADING}</span> }.into_any(),
                    Some(l) => {
                        let q = highlight_query.get();
                        highlight(&l, &q).into_iter().map(|(piece, hit)| {
                            let piece = piece.to_string();
                            if hit {
                                view! { <mark class="apc-logv__hit">{piece}</mark> }.into_any()
                            } else {
                                piece.into_any()
                            }
                        }).collect_view().into_any()
                    }
                }}
            </span>
        </div>
    }
}
