//! The viewer's tool bar: pages (first, previous, next, last), go to a line or a range
//! ("120-140"; Shift+Enter marks from the marked line), wrap, how timestamps read, follow,
//! and the ZIP of the whole log.

use leptos::prelude::*;

use crate::browser::number;
use crate::log_model::{page_lines, page_of, TimeMode, PAGE};
use crate::text;

use super::prefs;
use super::state::Viewer;

#[component]
pub(super) fn Toolbar(
    v: Viewer,
    running: Signal<bool>,
    download: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <div class="apc-logv__bar">
            <PageButtons v/>
            <form class="apc-logv__goto" on:submit=move |ev| { ev.prevent_default(); v.go_to_line(false); }>
                <label for="apc-logv-goto">{text::LOG_GO_TO_LINE}</label>
                <input id="apc-logv-goto" class="apc-input apc-logv__goto-input" type="text" inputmode="numeric"
                    autocomplete="off" aria-invalid=move || v.goto_error.get().is_some().to_string()
                    aria-describedby="apc-logv-goto-hint apc-logv-goto-error" title=text::LOG_GO_TO_HINT
                    aria-keyshortcuts="Shift+Enter"
                    prop:value=move || v.goto_value.get() on:input=move |ev| v.goto_value.set(event_target_value(&ev))
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" && ev.shift_key() {
                        ev.prevent_default();
                        v.go_to_line(true);
                    }/>
                <span class="apc-sr-only" id="apc-logv-goto-hint">{text::LOG_GO_TO_HINT}</span>
                <button type="submit" class="apc-button apc-button--secondary">{text::LOG_GO}</button>
            </form>
            <label class="apc-check">
                <input type="checkbox" prop:checked=move || v.wrap.get()
                    on:change=move |ev| v.wrap.set(event_target_checked(&ev))/>
                {text::LOG_WRAP}
            </label>
            <TimesChoice v/>
            <Show when=move || running.get()>
                <label class="apc-check">
                    <input type="checkbox" prop:checked=move || v.follow.get()
                        on:change=move |ev| if event_target_checked(&ev) { v.jump_latest() } else { v.pause() }/>
                    {text::LOG_FOLLOW}
                </label>
            </Show>
            {move || download.get().map(|href| view! {
                <span class="apc-logv__download-wrap">
                    <crate::components::LogDownload href label=text::DOWNLOAD_LOGS
                        class="apc-button apc-button--secondary apc-link-button apc-logv__download"/>
                </span>
            })}
        </div>
        <p class="apc-field__error" id="apc-logv-goto-error" role="alert">{move || v.goto_error.get()}</p>
    }
}

#[component]
fn PageButtons(v: Viewer) -> impl IntoView {
    let page_count = move || v.len.get().div_ceil(PAGE).max(1);
    let current_page = move || page_of(v.first_visible.get());
    view! {
        <div class="apc-logv__pages" role="group" aria-label=text::LOG_PAGES>
            <button type="button" class="apc-button apc-button--quiet apc-button--icon" title=text::LOG_FIRST_PAGE aria-label=text::LOG_FIRST_PAGE
                disabled=move || v.len.get() == 0 on:click=move |_| v.top_at(0)>"«"</button>
            <button type="button" class="apc-button apc-button--quiet apc-button--icon" title=text::LOG_PREVIOUS_PAGE aria-label=text::LOG_PREVIOUS_PAGE
                disabled=move || current_page() == 0
                on:click=move |_| v.top_at(page_lines(current_page().saturating_sub(1)).start)>"‹"</button>
            <span class="apc-logv__where">
                {move || text::log_page(&number(current_page() + 1), &number(page_count()))}
            </span>
            <button type="button" class="apc-button apc-button--quiet apc-button--icon" title=text::LOG_NEXT_PAGE aria-label=text::LOG_NEXT_PAGE
                disabled=move || { current_page() + 1 >= page_count() }
                on:click=move |_| v.top_at(page_lines(current_page() + 1).start)>"›"</button>
            <button type="button" class="apc-button apc-button--quiet apc-button--icon" title=text::LOG_LAST_PAGE aria-label=text::LOG_LAST_PAGE
                disabled=move || v.len.get() == 0 on:click=move |_| v.jump_latest()>"»"</button>
        </div>
    }
}

fn times_label(m: TimeMode) -> &'static str {
    match m {
        TimeMode::AsWritten => text::LOG_TIMES_UTC,
        TimeMode::Local => text::LOG_TIMES_LOCAL,
        TimeMode::SinceStart => text::LOG_TIMES_SINCE_START,
        TimeMode::Hidden => text::LOG_TIMES_HIDDEN,
    }
}

/// Timestamps as written (UTC), in local time, since the run's start, or hidden; remembered.
#[component]
fn TimesChoice(v: Viewer) -> impl IntoView {
    let choose = move |ev| {
        let m = TimeMode::from_key(&event_target_value(&ev)).unwrap_or_default();
        prefs::set_times(m);
        v.times.set(m);
    };
    view! {
            <span class="apc-logv__field">
                <label for="apc-logv-times">{text::LOG_TIMES}</label>
                <select id="apc-logv-times" class="apc-input apc-logv__select" on:change=choose
                    prop:value=move || v.times.get().key().to_string()>
                    {TimeMode::ALL.into_iter().map(|m| view! {
                        <option value=m.key() selected=move || v.times.get_untracked() == m>{times_label(m)}</option>
                    }).collect_view()}
                </select>
            </span>
    }
}
