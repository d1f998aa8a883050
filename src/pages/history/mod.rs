//! The history of runs: the last N jobs, filtered, sorted, with the actions each allows,
//! refreshed by itself while any run is active.

use asset_processing_api::{History, Status};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{ApiClient, ClientError};
use crate::components::{now_ms, use_job_actions, CompareSelected, ErrorPanel, JobActionsOutlet};
use crate::config::Config;
pub mod early;
mod rows;
mod rules;
mod table;

pub use rules::Sort;
pub use table::HistoryTable;

use crate::hooks::use_polling;
use crate::text;
use rules::{StartedBy, StatusFilter, Whose};

/// While a run is active the history refreshes this often.
const REFRESH_MS: u32 = 3_000;
const SIZES: [u32; 4] = [10, 25, 50, 100];
/// Where the tab keeps "Started by" and the name typed for "others than".
const STARTED_BY_KEY: &str = "apc-history-started-by";
const OTHERS_THAN_KEY: &str = "apc-history-others-than";

#[component]
pub fn HistoryPage() -> impl IntoView {
    let config = expect_context::<Config>();
    let limit = RwSignal::new(config.history_size);
    let filter = RwSignal::new(StatusFilter::All);
    let text_filter = RwSignal::new(String::new());
    let sort = RwSignal::new(Sort::default());
    // Runs ticked for comparison (ids, in the order ticked); kept when the list changes.
    let picked = RwSignal::new(Vec::<String>::new());
    let whose = use_started_by();

    view! {
        <section class="apc-panel" aria-labelledby="apc-history-title">
            <div class="apc-panel__head">
                <h1 class="apc-panel__title" id="apc-history-title">{text::HISTORY_TITLE}</h1>
                <A href=config.href("/new") attr:class="apc-button apc-button--primary apc-link-button">{text::NEW_JOB}</A>
            </div>
            <div class="apc-toolbar">
                <label class="apc-toolbar__item">
                    {text::SHOW}
                    <select class="apc-input" on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse() { limit.set(n) }
                    }>
                        {SIZES.iter().chain(std::iter::once(&config.history_size)).copied()
                            .collect::<std::collections::BTreeSet<u32>>().into_iter().map(|n| view! {
                            <option value=n.to_string() selected=move || limit.get() == n>{n}</option>
                        }).collect_view()}
                    </select>
                    {text::RUNS}
                </label>
                <label class="apc-toolbar__item">
                    {text::FILTER_STATUS}
                    <select class="apc-input" on:change=move |ev| filter.set(StatusFilter::from_key(&event_target_value(&ev)))>
                        <option value=StatusFilter::All.key()>{text::ALL_STATUSES}</option>
                        <option value=StatusFilter::Active.key()>{text::ACTIVE_STATUSES}</option>
                        {Status::KNOWN.iter().map(|s| view! { <option value=StatusFilter::Only(s.clone()).key()>{text::status_word(s)}</option> }).collect_view()}
                    </select>
                </label>
                <StartedByFilter whose/>
                <input type="search" class="apc-input apc-toolbar__search" placeholder=text::FILTER_TEXT aria-label=text::FILTER_TEXT
                    prop:value=move || text_filter.get() on:input=move |ev| text_filter.set(event_target_value(&ev))/>
                <CompareSelected picked/>
            </div>
            // A new size is a new list: its polling starts over.
            {move || { let limit = limit.get(); view! { <HistoryList limit filter whose=whose.applied text_filter sort picked/> } }}
        </section>
    }
}

/// "Started by": the choice, the signed-in user (from AEM's `currentuser.json`, asked once)
/// and the name typed for "others than" when that user is not known; the tab remembers the
/// choice and the name.
#[derive(Clone, Copy)]
struct StartedByCtl {
    by: RwSignal<StartedBy>,
    me: RwSignal<Option<String>>,
    typed: RwSignal<String>,
    applied: Memo<Whose>,
}

fn use_started_by() -> StartedByCtl {
    let remembered = crate::browser::session_get(STARTED_BY_KEY);
    let by = RwSignal::new(StartedBy::from_key(
        remembered.as_deref().unwrap_or_default(),
    ));
    let typed = RwSignal::new(crate::browser::session_get(OTHERS_THAN_KEY).unwrap_or_default());
    let me = RwSignal::new(None::<String>);
    if let Some(client) = use_context::<ApiClient>() {
        // After the history's own request is out (a task after its microtask).
        set_timeout(
            move || {
                leptos::task::spawn_local(async move {
                    let who = client.current_user().await;
                    let _ = me.try_set(who);
                })
            },
            std::time::Duration::ZERO,
        );
    }
    Effect::new(move |_| crate::browser::session_set(STARTED_BY_KEY, by.get().key()));
    Effect::new(move |_| crate::browser::session_set(OTHERS_THAN_KEY, &typed.get()));
    let applied = Memo::new(move |_| Whose::new(by.get(), me.get().as_deref(), &typed.get()));
    StartedByCtl {
        by,
        me,
        typed,
        applied,
    }
}

#[component]
fn StartedByFilter(whose: StartedByCtl) -> impl IntoView {
    let StartedByCtl { by, me, typed, .. } = whose;
    let label = move |choice: StartedBy| match (choice, me.get()) {
        (StartedBy::Anyone, _) => text::STARTED_BY_ANYONE.to_string(),
        (StartedBy::Me, Some(me)) => text::started_by_me(&me),
        (StartedBy::Me, None) => String::new(),
        (StartedBy::Others, Some(_)) => text::STARTED_BY_OTHERS.to_string(),
        (StartedBy::Others, None) => text::STARTED_BY_OTHERS_THAN.to_string(),
    };
    view! {
        <label class="apc-toolbar__item">
            {text::FILTER_STARTED_BY}
            <select class="apc-input" on:change=move |ev| by.set(StartedBy::from_key(&event_target_value(&ev)))>
                {move || StartedBy::offered(me.with(Option::is_some)).iter().map(|&choice| view! {
                    <option value=choice.key() selected=move || by.get() == choice>{label(choice)}</option>
                }).collect_view()}
            </select>
        </label>
        {move || (by.get() == StartedBy::Others && me.with(Option::is_none)).then(|| view! {
            <input type="text" class="apc-input apc-toolbar__name" aria-label=text::OTHERS_THAN_NAME
                placeholder=text::OTHERS_THAN_NAME autocomplete="off" spellcheck="false"
                prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
        })}
    }
}

#[component]
fn HistoryList(
    limit: u32,
    filter: RwSignal<StatusFilter>,
    whose: Memo<Whose>,
    text_filter: RwSignal<String>,
    sort: RwSignal<Sort>,
    picked: RwSignal<Vec<String>>,
) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let polled = {
        let client = client.clone();
        use_polling(
            REFRESH_MS,
            move || {
                let client = client.clone();
                async move {
                    client
                        .history(limit)
                        .await
                        .map(|h| rules::as_asked(h, limit))
                }
            },
            |h: &History| !rules::any_active(&h.execution_history),
        )
    };
    // A task after the microtask that sends the history's request.
    set_timeout(crate::browser::warm_up_formats, std::time::Duration::ZERO);
    let actions = use_job_actions(Callback::new(move |_| polled.refresh.run(())));
    Effect::new(move |_| {
        polled.data.with(|h| {
            for job in h.iter().flat_map(|h| &h.execution_history) {
                actions.observe(job);
            }
        })
    });

    // Once the list (or its error) has rendered, the other pages' chunks are fetched.
    Effect::new(move |_| {
        if polled.data.with(Option::is_some) || polled.error.with(Option::is_some) {
            set_timeout(crate::lazy::pages::prefetch, std::time::Duration::ZERO);
        }
    });

    view! {
        <JobActionsOutlet ctl=actions/>
        {move || polled.retry_in.get().map(|n| view! {
            <div class="apc-alert apc-alert--notice" role="status"><p class="apc-alert__text">{text::retrying_in(n)}</p></div>
        })}
        {move || match (polled.data.get(), polled.error.get()) {
            (_, Some(e)) if e == ClientError::SessionExpired => view! { <ErrorPanel error=e retry=polled.refresh/> }.into_any(),
            (None, Some(e)) => view! { <ErrorPanel error=e retry=polled.refresh/> }.into_any(),
            (None, None) => view! { <p class="apc-loading" role="status" aria-busy="true">{text::HISTORY_LOADING}</p> }.into_any(),
            (Some(h), _) if h.execution_history.is_empty() => view! { <EmptyHistory/> }.into_any(),
            (Some(h), _) => {
                let rows = Memo::new(move |_| rules::view(&h.execution_history, &filter.get(), &whose.get(), &text_filter.get(), sort.get(), now_ms()));
                view! { <HistoryTable rows sort actions picks=picked/> }.into_any()
            }
        }}
    }
}

#[component]
fn EmptyHistory() -> impl IntoView {
    let new_job = expect_context::<Config>().href("/new");
    view! {
        <div class="apc-empty">
            <h2 class="apc-empty__title">{text::HISTORY_EMPTY_TITLE}</h2>
            <p>{text::HISTORY_EMPTY_BODY}</p>
            <A href=new_job attr:class="apc-button apc-button--primary apc-link-button">{text::NEW_JOB}</A>
        </div>
    }
}
