//! The history of runs: the last N jobs, filtered, sorted, with the actions each allows,
//! refreshed by itself while any run is active.

use asset_processing_api::{History, Job, Status};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{ApiClient, ClientError};
use crate::components::{
    now_ms, use_job_actions, CompareSelected, ErrorPanel, FolderPath, JobActions, JobActionsCtl,
    JobActionsOutlet, LocalTime, LogDownload, PickForCompare, StatusBadge,
};
use crate::config::Config;
use crate::format::short_id;
use crate::format::{self, Progress};
mod rules;

pub use rules::Sort;

use crate::hooks::use_polling;
use crate::text;
use rules::{Column, StartedBy, StatusFilter, Whose};

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
        leptos::task::spawn_local(async move {
            let who = client.current_user().await;
            let _ = me.try_set(who);
        });
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

fn column_label(c: Column) -> &'static str {
    match c {
        Column::Status => text::COL_STATUS,
        Column::Id => text::COL_ID,
        Column::Folder => text::COL_FOLDER,
        Column::CreatedBy => text::COL_STARTED_BY,
        Column::Started => text::COL_STARTED,
        Column::Duration => text::COL_DURATION,
    }
}

/// The runs as a table (rows already filtered and sorted): one line per run where the
/// window allows, a card per run on a narrow box (the CSS decides, by the box's width).
#[component]
pub fn HistoryTable(
    #[prop(into)] rows: Signal<Vec<Job>>,
    sort: RwSignal<Sort>,
    /// The page's actions; without them the rows offer only their link and Logs.
    #[prop(optional)]
    actions: Option<JobActionsCtl>,
    /// Runs ticked for comparison; without it the rows have no "Compare" box.
    #[prop(optional)]
    picks: Option<RwSignal<Vec<String>>>,
) -> impl IntoView {
    let header = move |c: Column| {
        let aria_sort = move || {
            let s = sort.get();
            if s.column != c {
                "none"
            } else if s.descending {
                "descending"
            } else {
                "ascending"
            }
        };
        view! {
            <th scope="col" aria-sort=aria_sort class=format!("apc-runs__{}", column_class(c))>
                <button type="button" class="apc-sort" on:click=move |_| sort.update(|s| *s = s.toggle(c))>
                    {column_label(c)}
                    <span class="apc-sort__mark" aria-hidden="true">{move || match aria_sort() { "ascending" => "▲", "descending" => "▼", _ => "" }}</span>
                </button>
            </th>
        }
    };
    // The feature type is said once above the table while every run shown has the same one.
    let kinds = Memo::new(move |_| rows.with(|r| rules::one_kind(r)));
    view! {
        {move || match kinds.get() {
            Some(Some(kind)) => Some(view! { <p class="apc-runs__kind apc-muted">{text::every_run_is(&kind)}</p> }),
            _ => None,
        }}
        <div class="apc-runs-wrap" role="region" aria-label=text::RUNS_TABLE>
            <table class="apc-table apc-runs">
                <thead>
                    <tr>
                        {picks.map(|_| view! { <th scope="col" class="apc-runs__pick"><span class="apc-sr-only">{text::COL_COMPARE}</span></th> })}
                        {header(Column::Status)}
                        {header(Column::Folder)}
                        {header(Column::Id)}
                        {move || (kinds.get() == Some(None)).then(|| view! { <th scope="col" class="apc-runs__type">{text::COL_TYPE}</th> })}
                        {header(Column::Started)}
                        {header(Column::Duration)}
                        {header(Column::CreatedBy)}
                        <th scope="col" class="apc-runs__actions">{text::COL_ACTIONS}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let rows = rows.get();
                        if rows.is_empty() {
                            return view! { <tr><td colspan="9" class="apc-muted">{text::NO_MATCH}</td></tr> }.into_any();
                        }
                        let now = now_ms();
                        let with_type = kinds.get_untracked() == Some(None);
                        rows.into_iter().map(|job| view! { <HistoryRow job now actions picks with_type/> }).collect_view().into_any()
                    }}
                </tbody>
            </table>
        </div>
    }
}

fn column_class(c: Column) -> &'static str {
    match c {
        Column::Status => "status",
        Column::Id => "id",
        Column::Folder => "folder",
        Column::CreatedBy => "by",
        Column::Started => "started",
        Column::Duration => "duration",
    }
}

#[component]
fn HistoryRow(
    job: Job,
    now: i64,
    actions: Option<JobActionsCtl>,
    picks: Option<RwSignal<Vec<String>>>,
    with_type: bool,
) -> impl IntoView {
    let duration = format::job_duration(&job, now);
    let ended = (job.completed_at > 0)
        .then(|| text::ended_at(&crate::browser::date_time(job.completed_at)));
    let client = use_context::<ApiClient>();
    let view_href = use_context::<Config>()
        .unwrap_or_default()
        .href(&format!("/jobs/{}", job.processing_id));
    let label = |what: &str, job: &Job| text::action_on(what, &job.path);
    // While running: a slim bar and the percent beside the word.
    let percent = (!job.is_finished())
        .then(|| Progress::of(&job).percent())
        .flatten();
    let more = rules::second_line(&job, &crate::browser::short_date);
    let failed = rules::failures_so_far(&job);
    view! {
        <tr class="apc-table__row" data-processing-id=job.processing_id.clone()>
            {picks.map(|picked| view! { <td class="apc-runs__pick"><PickForCompare job=job.clone() picked/></td> })}
            <td class="apc-runs__status">
                <StatusBadge status=job.status.clone()/>
                {percent.map(|p| view! {
                    <span class="apc-runs__percent">{text::job_bar_percent(p)}</span>
                    <span class="apc-runs__bar" aria-hidden="true"><span style:width=format!("{p}%")></span></span>
                })}
                {failed.map(|n| view! { <span class="apc-runs__failed">{text::failed_so_far(n)}</span> })}
            </td>
            <td class="apc-runs__folder">
                <a href=view_href class="apc-link apc-runs__link" aria-label=label(text::VIEW, &job)><FolderPath path=job.path.clone()/></a>
                {more.map(|(excluded, filter)| view! {
                    <div class="apc-runs__more apc-muted">
                        {excluded.map(|e| view! { <span>{e}</span> })}
                        {filter.map(|f| view! { <span class="apc-filter-words">{f}</span> })}
                    </div>
                })}
            </td>
            <td class="apc-mono apc-runs__id" title=job.processing_id.clone()>{short_id(&job.processing_id)}</td>
            {with_type.then(|| view! { <td class="apc-runs__type">{job.kind.to_string()}</td> })}
            <td class="apc-runs__started"><LocalTime ms=job.started_at now/></td>
            <td class="apc-runs__duration" title=ended>{duration}</td>
            <td class="apc-runs__by">{job.created_by.clone()}</td>
            <td class="apc-row-actions apc-runs__actions">
                {actions.map(|ctl| view! { <JobActions job=job.clone() ctl compact=true/> })}
                {(job.has_logs).then(|| client.map(|c| view! {
                    <LogDownload href=c.download_url(&job.processing_id) class="apc-link-action" aria_label=label(text::DOWNLOAD_LOGS, &job) label=text::LOGS/>
                })).flatten()}
            </td>
        </tr>
    }
}
