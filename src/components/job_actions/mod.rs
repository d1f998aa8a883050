//! A job's actions (cancel, resume, restart) for both the job view and every history row:
//! the buttons its flags allow, their confirmations, "Cancelling…" while an accepted cancel
//! waits for the worker, and what the page does with the answer. The rules are
//! `state` (pure, tested natively); the requests are `ApiClient::act`.

use asset_processing_api::{Job, JobAction};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

mod state;

use crate::api::{Acted, ApiClient, ClientError};
use crate::components::{Confirm, ErrorPanel};
use crate::text;
use state::ActionState;

/// The actions of one page: what is in flight, which confirmation is open, the last error.
/// Made by `use_job_actions`; drawn by `JobActions` (buttons) and `JobActionsOutlet`
/// (confirmations and errors).
#[derive(Clone, Copy)]
pub struct JobActionsCtl {
    state: RwSignal<ActionState>,
    /// The job a confirmation is open for.
    target: RwSignal<Option<Job>>,
    confirm_cancel: RwSignal<bool>,
    confirm_restart: RwSignal<bool>,
    error: RwSignal<Option<ClientError>>,
    run: Callback<(JobAction, Job)>,
}

/// Where the tab keeps the jobs being cancelled, so a reload or the other page still says
/// "Cancelling…" (`ActionState::cancelling_record`).
const CANCELLING_KEY: &str = "apc-cancelling";

/// The actions of a page. `on_updated` gets the job a cancel or resume answered; a restart
/// opens the new job's page.
pub fn use_job_actions(on_updated: Callback<Job>) -> JobActionsCtl {
    let client = use_context::<ApiClient>();
    let navigate = use_navigate();
    let state = RwSignal::new(ActionState::restored(
        crate::browser::session_get(CANCELLING_KEY).as_deref(),
    ));
    Effect::new(move |written: Option<String>| {
        let record = state.with(ActionState::cancelling_record);
        if written.as_ref() != Some(&record) {
            if record.is_empty() {
                crate::browser::session_remove(CANCELLING_KEY);
            } else {
                crate::browser::session_set(CANCELLING_KEY, &record);
            }
        }
        record
    });
    let error = RwSignal::new(None::<ClientError>);
    let run = Callback::new(move |(action, job): (JobAction, Job)| {
        let Some(client) = client.clone() else { return };
        if !state
            .try_update(|s| s.begin(&job.processing_id, action))
            .unwrap_or(false)
        {
            return;
        }
        error.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            let answer = crate::lazy::actions::act(client, action, job).await;
            if state.try_get_untracked().is_none() {
                return; // the page is gone
            }
            match answer {
                Ok(Acted::Updated(now)) => {
                    state.update(|s| s.answered(&now));
                    on_updated.run(*now);
                }
                Ok(Acted::Started(id)) => {
                    state.update(ActionState::ended);
                    navigate(&format!("/jobs/{id}"), Default::default());
                }
                Err(e) => {
                    state.update(ActionState::ended);
                    error.set(Some(e));
                }
            }
        });
    });
    JobActionsCtl {
        state,
        target: RwSignal::new(None),
        confirm_cancel: RwSignal::new(false),
        confirm_restart: RwSignal::new(false),
        error,
        run,
    }
}

impl JobActionsCtl {
    /// A button was pressed: cancel and restart ask first (one stops work, the other makes
    /// a new job); resume only goes on with what was asked before.
    pub fn ask(&self, action: JobAction, job: Job) {
        let open = match action {
            JobAction::Cancel => self.confirm_cancel,
            JobAction::Restart => self.confirm_restart,
            JobAction::Resume => return self.run.run((action, job)),
        };
        self.target.set(Some(job));
        open.set(true);
    }

    /// A fresh answer about a job (a poll): ends "Cancelling…" once the job is final.
    pub fn observe(&self, job: &Job) {
        self.state.maybe_update(|s| s.observe(job));
    }

    /// Whether `action` may be pressed now for `job` (read reactively).
    pub fn enabled(&self, job: &Job, action: JobAction) -> bool {
        self.state.with(|s| s.enabled(job, action))
    }

    /// Whether an accepted cancel of `job` waits for its worker (read reactively).
    pub fn is_cancelling(&self, job: &Job) -> bool {
        self.state.with(|s| s.is_cancelling(job))
    }

    fn confirmed(&self, action: JobAction) -> Callback<()> {
        let (target, run) = (self.target, self.run);
        Callback::new(move |_| {
            if let Some(job) = target.get_untracked() {
                run.run((action, job));
            }
        })
    }
}

/// The buttons of one job. `compact`: link-like buttons for a table row, each naming the
/// job's folder for screen readers.
#[component]
pub fn JobActions(job: Job, ctl: JobActionsCtl, #[prop(optional)] compact: bool) -> impl IntoView {
    let class = move |a: JobAction| match (compact, a) {
        (true, _) => "apc-link-action",
        (false, JobAction::Cancel) => "apc-button apc-button--negative",
        (false, JobAction::Resume) => "apc-button apc-button--primary",
        (false, JobAction::Restart) => "apc-button apc-button--secondary",
    };
    let buttons = job
        .flags()
        .actions()
        .map(|action| {
            let label = text::action_label(action);
            let aria_label = compact.then(|| text::action_on(label, &job.path));
            let (for_state, for_click) = (job.clone(), job.clone());
            view! {
                <button type="button" class=class(action) data-action=action.name() aria-label=aria_label
                    disabled=move || !ctl.state.with(|s| s.enabled(&for_state, action))
                    on:click=move |_| ctl.ask(action, for_click.clone())>{label}</button>
            }
        })
        .collect_view();
    let cancelling = move || ctl.state.with(|s| s.is_cancelling(&job));
    view! {
        {buttons}
        // A closure, not `<Show>` (a memo and an owner more, in every row of the history).
        {move || cancelling().then(|| view! {
            <span class="apc-actions__note" role="status">{text::CANCELLING}</span>
        })}
    }
}

/// The page's confirmations and the error of its last action (drawn once per page, where an
/// error should appear).
#[component]
pub fn JobActionsOutlet(ctl: JobActionsCtl) -> impl IntoView {
    view! {
        {move || ctl.error.get().map(|e| view! { <ErrorPanel error=e/> })}
        <Confirm open=ctl.confirm_cancel title=text::CONFIRM_CANCEL_TITLE body=text::CONFIRM_CANCEL_BODY
            confirm_label=text::CANCEL dismiss_label=text::KEEP_RUNNING on_confirm=ctl.confirmed(JobAction::Cancel)/>
        <Confirm open=ctl.confirm_restart title=text::CONFIRM_RESTART_TITLE body=text::CONFIRM_RESTART_BODY
            confirm_label=text::RESTART dismiss_label=text::DONT_RESTART on_confirm=ctl.confirmed(JobAction::Restart)/>
    }
}
