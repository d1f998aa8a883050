//! What the actions of a page (the job view, or every row of the history) show between a
//! person's click and the server's final word, as a pure state machine tested natively:
//! - one action request in flight per page; its buttons are disabled meanwhile;
//! - a cancel the server accepted while the job still runs is "Cancelling…" (the worker stops
//!   at its next commit): the cancel button stays disabled and the job is never shown as
//!   cancelled until the server itself says CANCELLED;
//! - once the job is final (or it runs again after a resume elsewhere), that note goes;
//! - the jobs being cancelled outlive the page (`cancelling_record`, `restored`): the tab's
//!   session storage keeps them, so a reload or the other page still says "Cancelling…".

use std::collections::BTreeSet;

use asset_processing_api::{Job, JobAction};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActionState {
    /// The job and action whose request is out.
    in_flight: Option<(String, JobAction)>,
    /// Jobs whose cancel the server accepted while they were not final yet.
    cancelling: BTreeSet<String>,
}

/// At most this many cancels are remembered: a job nobody looks at again is never observed
/// final, so the record is bounded (beyond it, the first ids in order are kept).
const REMEMBERED_CANCELS: usize = 100;

impl ActionState {
    /// A state that knows the cancels `record` holds (what `cancelling_record` wrote; any
    /// other text is read as ids, one per line).
    pub fn restored(record: Option<&str>) -> Self {
        let cancelling = record
            .unwrap_or_default()
            .lines()
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .take(REMEMBERED_CANCELS)
            .map(String::from)
            .collect();
        ActionState {
            in_flight: None,
            cancelling,
        }
    }

    /// The jobs being cancelled, to keep across reloads (ids, one per line; empty when none).
    pub fn cancelling_record(&self) -> String {
        self.cancelling
            .iter()
            .take(REMEMBERED_CANCELS)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// A request for `action` on job `id` may start now; if so it is counted as in flight.
    pub fn begin(&mut self, id: &str, action: JobAction) -> bool {
        if self.in_flight.is_some() {
            return false;
        }
        self.in_flight = Some((id.to_string(), action));
        true
    }

    /// The server answered the request in flight with the job as it is now (cancel, resume).
    pub fn answered(&mut self, job: &Job) {
        let asked = self.in_flight.take();
        let cancelled_it = asked
            .as_ref()
            .is_some_and(|(id, a)| *a == JobAction::Cancel && *id == job.processing_id);
        if cancelled_it && !job.is_finished() {
            self.cancelling.insert(job.processing_id.clone());
        } else {
            self.cancelling.remove(&job.processing_id);
        }
    }

    /// The request in flight ended without a job to show (it failed, or a restart answered
    /// a new job's id).
    pub fn ended(&mut self) {
        self.in_flight = None;
    }

    /// A fresh look at a job (a poll): a final job is no longer being cancelled.
    /// Returns whether that changed anything (so a page redraws only then).
    pub fn observe(&mut self, job: &Job) -> bool {
        job.is_finished() && self.cancelling.remove(&job.processing_id)
    }

    /// Whether the job shows "Cancelling…": its cancel was accepted and the server has not
    /// said it is final yet.
    pub fn is_cancelling(&self, job: &Job) -> bool {
        !job.is_finished() && self.cancelling.contains(&job.processing_id)
    }

    /// Whether a request is out (every action button waits for it).
    pub fn is_busy(&self) -> bool {
        self.in_flight.is_some()
    }

    /// Whether `action`'s button for `job` can be pressed: not while a request is out, and
    /// not a second cancel while one is under way.
    pub fn enabled(&self, job: &Job, action: JobAction) -> bool {
        !self.is_busy() && (action != JobAction::Cancel || !self.is_cancelling(job))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use asset_processing_api::Status;

    #[test]
    fn cancels_are_remembered_across_reloads() {
        let mut s = ActionState::default();
        assert!(s.begin("a", JobAction::Cancel));
        s.answered(&job("a", Status::Running));
        assert_eq!(s.cancelling_record(), "a");
        // A reload: the new page's state knows the cancel, and a poll still ends it.
        let mut again = ActionState::restored(Some(&s.cancelling_record()));
        assert!(again.is_cancelling(&job("a", Status::Running)));
        assert!(!again.is_busy());
        assert!(again.observe(&job("a", Status::Cancelled)));
        assert_eq!(again.cancelling_record(), "");
        // Nothing or rubbish remembered: nothing is being cancelled.
        assert_eq!(ActionState::restored(None), ActionState::default());
        assert_eq!(
            ActionState::restored(Some("\n  \n")),
            ActionState::default()
        );
        let many: String = (0..500).map(|i| format!("{i:04}\n")).collect();
        assert_eq!(
            ActionState::restored(Some(&many))
                .cancelling_record()
                .lines()
                .count(),
            100
        );
    }

    fn job(id: &str, status: Status) -> Job {
        let mut j: Job = serde_json::from_str(&format!(r#"{{"processingId":"{id}"}}"#)).unwrap();
        let flags = asset_processing_api::JobFlags::for_status(&status, true);
        j.status = status;
        j.cancellable = flags.cancellable;
        j.resumable = flags.resumable;
        j.restartable = flags.restartable;
        j
    }

    #[test]
    fn a_cancel_answered_while_running_is_cancelling_until_the_server_says_cancelled() {
        let mut s = ActionState::default();
        let running = job("a", Status::Running);
        assert_eq!(
            running.flags().actions().collect::<Vec<_>>(),
            [JobAction::Cancel]
        );
        assert!(s.enabled(&running, JobAction::Cancel));
        assert!(s.begin("a", JobAction::Cancel));
        assert!(
            !s.enabled(&running, JobAction::Cancel),
            "no second click while it is out"
        );
        // The server recorded the cancel; the worker stops at its next commit.
        s.answered(&running);
        assert!(s.is_cancelling(&running));
        assert!(!s.is_busy());
        assert!(
            !s.enabled(&running, JobAction::Cancel),
            "the cancel button stays disabled"
        );
        // Polls that still say RUNNING keep it so; only CANCELLED ends it.
        assert!(!s.observe(&running));
        assert!(s.is_cancelling(&running));
        let cancelled = job("a", Status::Cancelled);
        assert!(s.observe(&cancelled));
        assert!(!s.is_cancelling(&cancelled));
        // Resumed later (here or elsewhere): running again, and not "Cancelling…".
        assert!(!s.is_cancelling(&running));
    }

    #[test]
    fn a_cancel_answered_final_is_simply_final() {
        let mut s = ActionState::default();
        assert!(s.begin("a", JobAction::Cancel));
        s.answered(&job("a", Status::Cancelled));
        assert!(!s.is_cancelling(&job("a", Status::Running)));
    }

    #[test]
    fn one_request_per_page_and_other_rows_are_not_cancelling() {
        let mut s = ActionState::default();
        assert!(s.begin("a", JobAction::Cancel));
        assert!(!s.begin("b", JobAction::Restart), "one request at a time");
        s.answered(&job("a", Status::Running));
        assert!(!s.is_cancelling(&job("b", Status::Running)));
        assert!(s.begin("b", JobAction::Restart));
        s.ended();
        assert!(!s.is_busy());
        assert!(s.is_cancelling(&job("a", Status::Running)));
    }

    #[test]
    fn a_resume_answer_clears_an_old_cancel() {
        let mut s = ActionState::default();
        assert!(s.begin("a", JobAction::Cancel));
        s.answered(&job("a", Status::Running));
        assert!(s.begin("a", JobAction::Resume));
        s.answered(&job("a", Status::Waiting));
        assert!(!s.is_cancelling(&job("a", Status::Waiting)));
    }

    #[test]
    fn a_word_nobody_named_that_says_the_job_ended_ends_cancelling() {
        let mut s = ActionState::default();
        assert!(s.begin("a", JobAction::Cancel));
        s.answered(&job("a", Status::Running));
        assert!(s.is_cancelling(&job("a", Status::Running)));
        // The server's own word for the end, with an end time and no cancel left.
        let mut ended = job("a", Status::Other("Cancelled".into()));
        ended.completed_at = 1_700_000_000_000;
        assert!(s.observe(&ended));
        assert!(!s.is_cancelling(&job("a", Status::Running)));
    }
}
