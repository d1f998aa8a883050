//! One job at its own URL (`/jobs/<id>`): live status, progress, facts, actions, the log.
//! The log takes the screen: a sticky bar keeps "Back to runs", the status and the percent
//! at hand, the facts fold into one line on narrow screens, and the log fills the height
//! left below the bar (`job_layout`).

use asset_processing_api::{Job, Status};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{ApiClient, ClientError};
use crate::components::{
    now_ms, use_job_actions, use_reprocess, use_triage_over, CompareWithPrevious, ErrorPanel,
    JobActions, JobActionsCtl, JobActionsOutlet, JobPastRuns, LocalTime, LogFeed, LogViewer,
    Problems, ProgressBar, ReprocessOffer, ReprocessPanel, RunChart, StatusBadge,
};
use crate::format::{self, Progress};
use crate::hooks::{use_fold_when, use_polling, Fold, Polled};
use crate::job_log::JobLog;
use crate::text;

use super::job_layout::use_log_fill;

/// Below this window height the job's facts open folded (their one-line summary): at
/// 1280×800 the status, the progress, the Problems panel and the log's first rows come first.
const FACTS_FOLD_BELOW_HEIGHT_PX: i32 = 880;

#[component]
pub fn JobPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    // A new id (a restart opened another job) is a new page.
    view! { {move || { let id = id(); view! { <JobView id/> } }} }
}

/// One poll asks for the status, then for the lines written since the last one: one request
/// in flight at a time, and after a final status the log is complete.
fn use_job_poll(client: ApiClient, log: JobLog, interval: u32) -> Polled<Job> {
    use_polling(
        interval,
        move || {
            let (client, log) = (client.clone(), log.clone());
            async move {
                let job = client.status(log.id()).await?;
                if job.has_logs {
                    log.grow().await?;
                } else if job.is_finished() {
                    // A job that ended without logs: say so rather than "loading".
                    log.feed().cache.update(|c| c.note_len(0));
                }
                Ok::<_, ClientError>(job)
            }
        },
        |job| job.is_finished(),
    )
}

/// The tab's title follows the job (status and percent); screen readers hear, and an
/// opted-in notification tells, when its status changes. Returns what is announced.
fn use_job_announcements(job: Memo<Option<Job>>, notify: RwSignal<bool>) -> RwSignal<String> {
    let announcement = RwSignal::new(String::new());
    Effect::new(move |previous: Option<Option<String>>| {
        let j = job.get();
        let now = j.as_ref().map(|j| j.status.to_string());
        if let Some(j) = j {
            let p = Progress::of(&j);
            document().set_title(&text::job_document_title(j.status.as_str(), p.percent()));
            if previous.is_some_and(|prev| prev != now) {
                announcement.set(text::status_announcement(
                    text::status_word(&j.status),
                    p.handled,
                    p.total,
                ));
                if notify.get_untracked() && j.is_finished() {
                    crate::browser::notify(
                        &text::job_document_title(j.status.as_str(), None),
                        &j.comments,
                    );
                }
            }
        }
        now
    });
    on_cleanup(|| document().set_title(text::APP_TITLE));
    announcement
}

#[component]
fn JobView(id: String) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let config = expect_context::<crate::config::Config>();
    let feed = LogFeed::new();
    let log = JobLog::new(Some(client.clone()), &id, feed);
    let polled = use_job_poll(client.clone(), log.clone(), config.poll_interval_ms);
    let job = Memo::new(move |_| polled.data.get());
    // A finished run's failures and warnings, for the Problems panel above the log.
    // It reads the lines the feed already holds and asks only for the rest.
    let triage = use_triage_over(client.clone(), log, job.into());
    let report_href = config.href(&format!("/jobs/{id}/report"));
    // Issue 24: reprocess this run's failed assets, one job each (kept across a reload).
    let reprocess = use_reprocess(Some(client.clone()), &id);
    let section = NodeRef::<leptos::html::Section>::new();
    let bar = NodeRef::<leptos::html::Div>::new();
    use_log_fill(section, bar);
    // Folded or not is decided once, from the section's own width (embedded, that is the
    // console's box, not the window's) and the window's height (a short window shows the
    // status, progress, problems and the log's first rows first); the person's toggle is
    // kept across polls.
    let facts = use_fold_when(move || {
        section.get().map(|el| {
            el.client_width() >= crate::hooks::FOLD_BELOW_PX
                && crate::browser::window_height() >= FACTS_FOLD_BELOW_HEIGHT_PX
        })
    });
    let running = Signal::derive(move || job.get().is_some_and(|j| !j.is_finished()));
    let actions = use_job_actions(Callback::new(move |updated: Job| {
        polled.data.set(Some(updated));
        polled.refresh.run(());
    }));
    Effect::new(move |_| job.with(|j| j.as_ref().map(|j| actions.observe(j))));
    let notify = RwSignal::new(false);
    let announcement = use_job_announcements(job, notify);
    let download = {
        let url = client.download_url(&id);
        Signal::derive(move || job.get().is_some_and(|j| j.has_logs).then(|| url.clone()))
    };

    view! {
        <section class="apc-panel apc-job" node_ref=section aria-labelledby="apc-job-title">
            <div class="apc-sr-only" aria-live="polite" role="status">{move || announcement.get()}</div>
            <JobBar job bar runs_href=config.href("/")/>
            {move || polled.retry_in.get().map(|n| view! {
                <div class="apc-alert apc-alert--notice" role="status">
                    <p class="apc-alert__text">{text::retrying_in(n)}</p>
                </div>
            })}
            {move || polled.error.get().filter(|e| *e == ClientError::SessionExpired || polled.data.get().is_none() && polled.retry_in.get().is_none())
                .map(|e| view! { <ErrorPanel error=e retry=polled.refresh/> })}
            <JobTools id=id.clone() job actions notify report_href=report_href.clone()/>
            <JobActionsOutlet ctl=actions/>
            <JobSummary job fold=facts/>
            <Problems t=triage report_href=report_href>
                <ReprocessOffer ctl=reprocess t=triage job/>
            </Problems>
            <ReprocessPanel ctl=reprocess/>
            <RunChart id=id.clone() job t=triage/>
            <section class="apc-log" aria-labelledby="apc-log-title">
                <h2 class="apc-section-title" id="apc-log-title">{text::LOG_TITLE}</h2>
                <LogViewer id=id.clone() feed running download started_at=Signal::derive(move || job.get().map(|j| j.started_at))/>
            </section>
        </section>
    }
}

/// The job's tools: its actions, copy the id, "notify me", the report once it has ended and
/// "compare with the previous run". Each control is drawn from a memo that changes only when
/// the control must: a poll that only moves the counts redraws no button or link a person
/// may be pressing at that moment.
#[component]
fn JobTools(
    id: String,
    job: Memo<Option<Job>>,
    actions: JobActionsCtl,
    notify: RwSignal<bool>,
    report_href: String,
) -> impl IntoView {
    let finished = Memo::new(move |_| job.with(|j| j.as_ref().is_some_and(Job::is_finished)));
    let actions_key = Memo::new(move |_| {
        job.with(|j| {
            j.as_ref().map(|j| {
                (
                    j.processing_id.clone(),
                    j.status.clone(),
                    j.flags(),
                    j.is_finished(),
                )
            })
        })
    });
    // The job as first seen: what "compare with the previous run" needs does not change.
    let first_seen =
        Memo::new(move |seen: Option<&Option<Job>>| seen.cloned().flatten().or_else(|| job.get()));
    let copied = RwSignal::new(false);
    let notify_note = RwSignal::new(None::<&'static str>);
    let copy_id = move |_| {
        crate::browser::copy_text(&id);
        copied.set(true);
        set_timeout(move || copied.set(false), std::time::Duration::from_secs(2));
    };
    let toggle_notify = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        notify.set(on);
        notify_note.set(None);
        if on {
            crate::browser::ask_notification_permission(move |granted| {
                if !granted {
                    notify.set(false);
                    notify_note.set(Some(text::NOTIFY_DENIED));
                }
            });
        }
    };
    view! {
        <div class="apc-job__head apc-job__tools">
            <div class="apc-actions" role="group" aria-label=text::COL_ACTIONS>
                {move || actions_key.with(Option::is_some).then(|| job.get_untracked().map(|j| view! { <JobActions job=j ctl=actions/> }))}
            </div>
            <button type="button" class="apc-button apc-button--quiet" on:click=copy_id>
                {move || if copied.get() { text::COPIED } else { text::COPY_ID }}
            </button>
            // Beside the other buttons (one line on a phone). Drawn once per job (its one
            // history request), not on every poll.
            {move || first_seen.get().map(|j| view! { <CompareWithPrevious job=j/> })}
            <label class="apc-check">
                <input type="checkbox" prop:checked=move || notify.get() on:change=toggle_notify/>
                {text::NOTIFY_ME}
            </label>
            {move || notify_note.get().map(|n| view! { <span class="apc-muted">{n}</span> })}
            {move || finished.get().then(|| view! {
                <a class="apc-job__report" href=report_href.clone()>{text::PROBLEMS_OPEN_REPORT}</a>
            })}
        </div>
    }
}

/// The bar that stays at the top while the page scrolls: back to the runs, the heading, the
/// status and the percent.
#[component]
fn JobBar(
    job: Memo<Option<Job>>,
    bar: NodeRef<leptos::html::Div>,
    runs_href: String,
) -> impl IntoView {
    view! {
        <div class="apc-job__bar" node_ref=bar role="group" aria-label=text::JOB_BAR_LABEL>
            <a class="apc-job__back" href=runs_href>
                <span aria-hidden="true">"← "</span>{text::JOB_BACK_TO_RUNS}
            </a>
            <div class="apc-job__heading">
                <h1 class="apc-panel__title" id="apc-job-title">{text::JOB_TITLE}</h1>
                {move || job.get().map(|j| view! { <StatusBadge status=j.status.clone()/> })}
                <span class="apc-job__percent">{move || job.get()
                    .and_then(|j| Progress::of(&j).percent()).map(text::job_bar_percent)}</span>
            </div>
        </div>
    }
}

/// Progress, then the facts in a `<details>`: one line (status, progress, folder, duration)
/// when folded, every fact when open. It stays in the page across polls, so the toggle keeps
/// its focus and its state.
#[component]
fn JobSummary(job: Memo<Option<Job>>, fold: Fold) -> impl IntoView {
    let first_job =
        Memo::new(move |seen: Option<&Option<Job>>| seen.cloned().flatten().or_else(|| job.get()));
    let line = move || {
        job.get().map(|j| {
            let p = Progress::of(&j);
            text::job_summary_line(
                j.status.as_str(),
                &p.words(crate::browser::number),
                &format::job_duration(&j, now_ms()),
                &j.path,
            )
        })
    };
    view! {
        {move || match job.get() {
            None => view! { <p class="apc-loading" role="status">{text::JOB_LOADING}</p> }.into_any(),
            Some(j) => view! { <JobProgress job=j/> }.into_any(),
        }}
        <details class="apc-job__facts" prop:open=move || fold.is_open() on:toggle=move |ev| fold.toggled(ev)>
            <summary class="apc-job__summary">
                <span class="apc-job__summary-label apc-disclosure">{text::JOB_DETAILS}</span>
                <span class="apc-job__oneline">{line}</span>
            </summary>
            {move || job.get().map(|j| view! { <JobFacts job=j/> })}
            // Last among the facts (folded with them on a short window, so not on the first
            // screen): the folder's previous runs, asked for when opened. Drawn once per job,
            // from the job as first seen.
            {move || first_job.get().map(|j| view! { <JobPastRuns job=j/> })}
        </details>
    }
}

/// The progress bar with what it counts (waiting, counting, progress).
#[component]
fn JobProgress(job: Job) -> impl IntoView {
    let progress = Progress::of(&job);
    let counting = job.status == Status::Running && progress.total.is_none();
    let label = if job.status == Status::Waiting {
        text::WAITING_IN_QUEUE
    } else if counting {
        text::COUNTING
    } else {
        text::LABEL_PROGRESS
    };
    view! {
        <div class="apc-job__progress">
            <span class="apc-label">{label}</span>
            <ProgressBar progress=Signal::stored(progress) label=text::LABEL_PROGRESS/>
        </div>
    }
}

#[component]
fn JobFacts(job: Job) -> impl IntoView {
    let now = now_ms();
    let duration = format::job_duration(&job, now);
    let eta = if job.status == Status::Running {
        text::eta_of(&job.eta)
    } else {
        text::NOT_YET.into()
    };
    let excluded = format::excluded_words(&job.excluded_paths);
    let filter = format::filter_words(&job.filter, &crate::browser::short_date);
    view! {
        <dl class="apc-facts">
            <div><dt>{text::LABEL_ID}</dt><dd class="apc-mono">{job.processing_id.clone()}</dd></div>
            <div><dt>{text::COL_STATUS}</dt><dd class="apc-mono">{job.status.as_str().to_string()}</dd></div>
            <div><dt>{text::LABEL_PATH}</dt><dd class="apc-path">{job.path.clone()}</dd></div>
            <div><dt>{text::LABEL_EXCLUDED}</dt><dd class="apc-path">{excluded}</dd></div>
            <div><dt>{text::LABEL_FILTER}</dt><dd>{filter}</dd></div>
            <div><dt>{text::LABEL_TYPE}</dt><dd>{job.kind.to_string()}</dd></div>
            <div><dt>{text::LABEL_CREATED_BY}</dt><dd>{job.created_by.clone()}</dd></div>
            <div><dt>{text::LABEL_STARTED}</dt><dd><LocalTime ms=job.started_at now/></dd></div>
            <div><dt>{text::LABEL_ENDED}</dt><dd><LocalTime ms=job.completed_at now/></dd></div>
            <div><dt>{text::LABEL_DURATION}</dt><dd>{duration}</dd></div>
            <div><dt>{text::LABEL_ETA}</dt><dd>{eta}</dd></div>
            <div class="apc-facts__wide"><dt>{text::LABEL_COMMENTS}</dt><dd>{if job.comments.is_empty() { text::NOT_YET.to_string() } else { job.comments.clone() }}</dd></div>
        </dl>
    }
}
