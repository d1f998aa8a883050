//! What may be done with a job, and what doing it sends: the status → flags rule
//! (`JobFlags`), the actions themselves (`JobAction`) and the one request each makes
//! (`ActionRequest`). Both the console and the reference server read these; nothing picks an
//! action by matching strings, so a misspelt action cannot silently turn into another.

use crate::endpoints;
use crate::enums::Status;
use crate::types::{Job, StartRequest};

/// What may be done with a job next.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JobFlags {
    pub cancellable: bool,
    pub resumable: bool,
    pub restartable: bool,
}

impl JobFlags {
    /// The contract's rule: cancellable while WAITING or RUNNING; resumable when CANCELLED
    /// or FAILED and a checkpoint exists; restartable when SUCCESS, FAILED or CANCELLED.
    /// Unknown statuses allow nothing.
    pub fn for_status(status: &Status, has_checkpoint: bool) -> Self {
        JobFlags {
            cancellable: status.is_active(),
            resumable: has_checkpoint && matches!(status, Status::Cancelled | Status::Failed),
            restartable: status.is_final(),
        }
    }

    /// Whether the flags allow `action`.
    pub fn allows(&self, action: JobAction) -> bool {
        match action {
            JobAction::Cancel => self.cancellable,
            JobAction::Resume => self.resumable,
            JobAction::Restart => self.restartable,
        }
    }

    /// The actions allowed, in the order a console offers them.
    pub fn actions(self) -> impl Iterator<Item = JobAction> {
        JobAction::ALL.into_iter().filter(move |a| self.allows(*a))
    }
}

// Written here rather than beside `Job` in `types.rs`, so that this module reads the wire
// types and the wire types know nothing of actions (one direction only).
impl Job {
    /// The actions the job's own flags allow (the server is the authority on them).
    pub fn flags(&self) -> JobFlags {
        JobFlags {
            cancellable: self.cancellable,
            resumable: self.resumable,
            restartable: self.restartable,
        }
    }
}

/// Something a person can do to a job.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum JobAction {
    /// Stop a WAITING or RUNNING job (what is done stays done).
    Cancel,
    /// Go on from a CANCELLED or FAILED job's checkpoint.
    Resume,
    /// Start a new job with a finished job's own request (restart has no endpoint).
    Restart,
}

/// The one request an action makes.
#[derive(Clone, Debug, PartialEq)]
pub enum ActionRequest {
    /// `POST <API base><endpoint>?processingId=<id>`, answered with the job.
    Post {
        endpoint: &'static str,
        processing_id: String,
    },
    /// `POST <API base>` (start) with this body, answered with a new job's id.
    Start(StartRequest),
}

impl JobAction {
    /// Every action, in the order a console offers them.
    pub const ALL: [JobAction; 3] = [JobAction::Cancel, JobAction::Resume, JobAction::Restart];

    /// A stable name (for `data-action` attributes and logs).
    pub fn name(self) -> &'static str {
        match self {
            JobAction::Cancel => "cancel",
            JobAction::Resume => "resume",
            JobAction::Restart => "restart",
        }
    }

    /// The action a name stands for; any other name is no action at all.
    pub fn from_name(name: &str) -> Option<JobAction> {
        JobAction::ALL.into_iter().find(|a| a.name() == name)
    }

    /// What doing it to `job` sends.
    pub fn request(self, job: &Job) -> ActionRequest {
        let post = |endpoint| ActionRequest::Post {
            endpoint,
            processing_id: job.processing_id.clone(),
        };
        match self {
            JobAction::Cancel => post(endpoints::CANCEL),
            JobAction::Resume => post(endpoints::RESUME),
            JobAction::Restart => ActionRequest::Start(job.restart_request()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job() -> Job {
        crate::parse_json(
            r#"{"processingId":"j1","path":"/content/dam/a","excludedPaths":["/content/dam/a/old"],
                "status":"CANCELLED","filter":{"fileTypes":["DITAMAP"],"filterProcessedAssets":true}}"#,
        )
        .unwrap()
    }

    #[test]
    fn every_action_maps_to_exactly_one_request_of_its_own() {
        let job = job();
        let requests: Vec<ActionRequest> = JobAction::ALL.iter().map(|a| a.request(&job)).collect();
        for (i, a) in requests.iter().enumerate() {
            for b in &requests[i + 1..] {
                assert_ne!(a, b, "two actions send the same request");
            }
        }
        assert_eq!(
            JobAction::Cancel.request(&job),
            ActionRequest::Post {
                endpoint: endpoints::CANCEL,
                processing_id: "j1".into()
            }
        );
        assert_eq!(
            JobAction::Resume.request(&job),
            ActionRequest::Post {
                endpoint: endpoints::RESUME,
                processing_id: "j1".into()
            }
        );
        // Only a restart starts a job, and it sends the job's own request again.
        assert_eq!(
            JobAction::Restart.request(&job),
            ActionRequest::Start(job.restart_request())
        );
        let starts = JobAction::ALL
            .iter()
            .filter(|a| matches!(a.request(&job), ActionRequest::Start(_)))
            .count();
        assert_eq!(starts, 1);
    }

    #[test]
    fn names_round_trip_and_an_unknown_name_is_no_action() {
        for a in JobAction::ALL {
            assert_eq!(JobAction::from_name(a.name()), Some(a));
        }
        // The old console restarted on any string it did not know ("_ =>" arm).
        for typo in ["", "cancle", "Cancel", "restart ", "stop", "resume!"] {
            assert_eq!(JobAction::from_name(typo), None, "{typo:?}");
        }
    }

    #[test]
    fn flags_allow_exactly_their_actions() {
        let f = |s: Status, cp| JobFlags::for_status(&s, cp).actions().collect::<Vec<_>>();
        assert_eq!(f(Status::Running, true), vec![JobAction::Cancel]);
        assert_eq!(f(Status::Waiting, false), vec![JobAction::Cancel]);
        assert_eq!(f(Status::Success, true), vec![JobAction::Restart]);
        assert_eq!(
            f(Status::Cancelled, true),
            vec![JobAction::Resume, JobAction::Restart]
        );
        assert_eq!(f(Status::Other("PAUSED".into()), true), vec![]);
    }
}
