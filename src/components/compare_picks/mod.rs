//! The ways into a comparison of two runs that other pages draw: "Compare with the previous
//! run of this folder" on a job's page, and the history's "Compare" boxes with "Compare
//! selected". The comparison itself is `pages::ComparePage`.

use asset_processing_api::Job;
use leptos::prelude::*;

use crate::api::ApiClient;
use crate::config::Config;
mod picks;

use crate::text;
use picks::compare_route;
pub use picks::toggle_pick;

/// "Compare with the previous run of this folder", for a job's page. The history is asked
/// (the last 100 runs) only when the button is pressed, so a job view makes no request for it:
/// then the comparison opens, or the button says that the folder has no earlier run there.
#[component]
pub fn CompareWithPrevious(job: Job) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let navigate = leptos_router::hooks::use_navigate();
    let note = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let look_up = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        note.set(None);
        let (client, job, navigate) = (client.clone(), job.clone(), navigate.clone());
        leptos::task::spawn_local(async move {
            let answer = client
                .history(asset_processing_api::HISTORY_LIMIT_MAX)
                .await;
            if busy.try_update(|b| *b = false).is_none() {
                return; // the page is gone
            }
            match answer {
                Ok(history) => {
                    match crate::triage::compare::previous_run(&history.execution_history, &job) {
                        Some(before) => navigate(
                            &format!("/compare/{}/{}", before.processing_id, job.processing_id),
                            Default::default(),
                        ),
                        None => note.set(Some(text::COMPARE_NO_PREVIOUS.to_string())),
                    }
                }
                Err(e) => note.set(Some(text::compare_previous_failed(&e.message()))),
            }
        });
    };
    view! {
        // On a phone it shows "Compare" (the rest for screen readers only, and its title),
        // so the job's buttons hold one line.
        <button type="button" class="apc-button apc-button--secondary apc-button--small apc-compare__previous"
            aria-describedby="apc-compare-previous-note" aria-busy=move || busy.get().to_string() on:click=look_up title=text::COMPARE_WITH_PREVIOUS>
            {text::COMPARE_WITH_PREVIOUS_PARTS.iter().enumerate().map(|(i, part)| view! {
                <span class:apc-narrow-sr=i % 2 == 1>{*part}</span>
            }).collect_view()}
        </button>
        <span class="apc-muted" id="apc-compare-previous-note" role="status">{move || note.get()}</span>
    }
}

/// "Compare selected": a link once exactly two runs are ticked, with what is still needed.
#[component]
pub fn CompareSelected(picked: RwSignal<Vec<String>>) -> impl IntoView {
    let config = expect_context::<Config>();
    let route = move || picked.with(|p| compare_route(p));
    view! {
        <span class="apc-toolbar__item apc-compare__select">
            {move || match route() {
                Some(r) => view! {
                    <a class="apc-button apc-button--secondary apc-link-button" href=config.href(&r)>{text::COMPARE_SELECTED}</a>
                }.into_any(),
                None => view! {
                    <button type="button" class="apc-button apc-button--secondary" disabled=true>{text::COMPARE_SELECTED}</button>
                }.into_any(),
            }}
            <span class="apc-muted" role="status">{move || text::compare_picked(picked.with(Vec::len))}</span>
        </span>
    }
}
