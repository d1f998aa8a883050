//! Reprocessing what failed, as pure rules tested natively: each asset is its own job (the
//! asset as `path`), at most [`AT_ONCE`] jobs at a time and never two in the same folder at
//! once (two jobs in one folder would race over its shared files); "Stop" leaves what has not
//! started unstarted and names the jobs to cancel; the batch is kept in session storage, and a
//! reload takes it back, saying plainly which assets are not known to have started.

use serde::{Deserialize, Serialize};

/// Jobs of one batch running at the same time.
pub const AT_ONCE: usize = 3;
/// Above this many assets the person confirms, told the count.
pub const CONFIRM_ABOVE: usize = 10;
/// Above this many, one job per asset is the wrong tool: process the folder instead.
pub const FOLDER_ABOVE: usize = 500;

/// Where one asset of the batch stands.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum State {
    Queued,
    /// Its start request is out: its job's id is not known yet.
    Starting,
    Running {
        job: String,
    },
    Succeeded {
        job: String,
    },
    /// Its job ended and the asset failed again (or the job did not succeed).
    Failed {
        job: String,
        why: String,
    },
    /// Stopped before it finished: never started, or its job was cancelled.
    Stopped {
        job: Option<String>,
    },
    /// Not started, and why (the start was refused, or the page was reloaded while it was
    /// being asked: the history tells whether it started).
    NotStarted {
        why: String,
    },
}

impl State {
    /// Its job, once known.
    pub fn job(&self) -> Option<&str> {
        match self {
            State::Running { job } | State::Succeeded { job } | State::Failed { job, .. } => {
                Some(job)
            }
            State::Stopped { job } => job.as_deref(),
            _ => None,
        }
    }

    /// Started and not ended: a job of the batch in flight.
    pub fn in_flight(&self) -> bool {
        matches!(self, State::Starting | State::Running { .. })
    }

    pub fn is_over(&self) -> bool {
        !matches!(self, State::Queued) && !self.in_flight()
    }
}

/// One asset and where it stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub path: String,
    pub state: State,
}

/// A batch started from one run's failures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    /// The run whose failures these are.
    pub origin: String,
    /// That run's path (its folder), for the comparison once all succeed.
    pub origin_path: String,
    pub items: Vec<Item>,
    pub stopped: bool,
}

/// The folder an asset is in: its path up to the last `/`.
pub fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

impl Batch {
    /// A batch of `paths` (each once, in the order given).
    pub fn new(origin: &str, origin_path: &str, paths: &[String]) -> Batch {
        let mut items: Vec<Item> = Vec::with_capacity(paths.len());
        for p in paths {
            if !items.iter().any(|i| &i.path == p) {
                items.push(Item {
                    path: p.clone(),
                    state: State::Queued,
                });
            }
        }
        Batch {
            origin: origin.to_string(),
            origin_path: origin_path.to_string(),
            items,
            stopped: false,
        }
    }

    /// The queued items to start now: while fewer than [`AT_ONCE`] are in flight, the first
    /// queued ones whose folder has no job of the batch in flight (nor one chosen here).
    pub fn to_start(&self) -> Vec<usize> {
        if self.stopped {
            return Vec::new();
        }
        let mut busy: Vec<&str> = self
            .items
            .iter()
            .filter(|i| i.state.in_flight())
            .map(|i| folder_of(&i.path))
            .collect();
        let mut picked = Vec::new();
        for (k, item) in self.items.iter().enumerate() {
            if busy.len() >= AT_ONCE {
                break;
            }
            let folder = folder_of(&item.path);
            if item.state == State::Queued && !busy.contains(&folder) {
                busy.push(folder);
                picked.push(k);
            }
        }
        picked
    }

    /// Sets item `k`'s state.
    pub fn set(&mut self, k: usize, state: State) {
        if let Some(item) = self.items.get_mut(k) {
            item.state = state;
        }
    }

    /// "Stop": nothing more starts; what is queued is stopped; returns the jobs to cancel
    /// (those running; one being started is cancelled when its id comes back, see
    /// [`Batch::started`]).
    pub fn stop(&mut self) -> Vec<String> {
        self.stopped = true;
        let mut cancel = Vec::new();
        for item in &mut self.items {
            match &item.state {
                State::Queued => item.state = State::Stopped { job: None },
                State::Running { job } => cancel.push(job.clone()),
                _ => {}
            }
        }
        cancel
    }

    /// Item `k`'s job started with id `job`. Returns true when it must be cancelled at once
    /// (the batch was stopped while its start was out).
    pub fn started(&mut self, k: usize, job: String) -> bool {
        self.set(k, State::Running { job });
        self.stopped
    }

    /// The batch as a reload finds it: an asset whose start request was out when the page went
    /// may or may not have a job; it is not started again (that could make two) but named.
    pub fn reloaded(mut self, why: &str) -> Batch {
        for item in &mut self.items {
            if item.state == State::Starting {
                item.state = State::NotStarted {
                    why: why.to_string(),
                };
            }
        }
        self
    }

    /// Every asset's job has ended, or will never start.
    pub fn is_over(&self) -> bool {
        self.items.iter().all(|i| i.state.is_over())
    }

    /// Every asset was processed without failure.
    pub fn all_succeeded(&self) -> bool {
        self.items
            .iter()
            .all(|i| matches!(i.state, State::Succeeded { .. }))
    }

    /// (succeeded, failed, not started or stopped, still to go).
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let mut c = (0, 0, 0, 0);
        for i in &self.items {
            match i.state {
                State::Succeeded { .. } => c.0 += 1,
                State::Failed { .. } => c.1 += 1,
                State::Stopped { .. } | State::NotStarted { .. } => c.2 += 1,
                _ => c.3 += 1,
            }
        }
        c
    }

    /// The batch as session storage keeps it.
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A stored batch, as a reload finds it; None when there is none or it cannot be read.
    pub fn from_stored(text: &str, why_not_started: &str) -> Option<Batch> {
        serde_json::from_str::<Batch>(text)
            .ok()
            .map(|b| b.reloaded(why_not_started))
    }
}

/// The newest finished run of the batch's folder that started after the original run (the
/// comparison worth linking once every asset succeeded); None when there is none in `jobs`
/// (an older run of the folder compares backwards, and the original run must be in `jobs`
/// for its start to be known).
pub fn newest_after<'a>(
    jobs: &'a [asset_processing_api::Job],
    batch: &Batch,
) -> Option<&'a asset_processing_api::Job> {
    let origin = jobs.iter().find(|j| j.processing_id == batch.origin)?;
    jobs.iter()
        .filter(|j| j.path == batch.origin_path && j.processing_id != batch.origin)
        .filter(|j| j.is_finished() && j.started_at > origin.started_at)
        .max_by_key(|j| j.started_at)
}

/// The session storage key of the batch started from run `origin`.
pub fn storage_key(origin: &str) -> String {
    format!("apc-reprocess:{origin}")
}

/// What the offer to reprocess `n` assets asks of the person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offer {
    /// Start at once.
    Start,
    /// Confirm first, told the count.
    Confirm,
    /// Too many for one job each: process the folder instead.
    ProcessFolder,
}

pub fn offer(n: usize) -> Offer {
    if n > FOLDER_ABOVE {
        Offer::ProcessFolder
    } else if n > CONFIRM_ABOVE {
        Offer::Confirm
    } else {
        Offer::Start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_comparison_linked_is_with_a_later_run_of_the_folder() {
        let job = |id: &str, path: &str, status: &str, started: i64| -> asset_processing_api::Job {
            serde_json::from_value(serde_json::json!({
                "processingId": id, "path": path, "status": status,
                "startedAt": started, "completedAt": started + 10,
            }))
            .expect("a job")
        };
        let b = Batch::new("run2", "/content/dam/d", &paths(&["/content/dam/d/a.dita"]));
        let mut jobs = vec![
            job("run1", "/content/dam/d", "SUCCESS", 100),
            job("run2", "/content/dam/d", "FAILED", 200),
            job("asset", "/content/dam/d/a.dita", "SUCCESS", 300),
        ];
        // Only an older run of the folder: nothing to link.
        assert_eq!(newest_after(&jobs, &b), None);
        jobs.push(job("run3", "/content/dam/d", "SUCCESS", 400));
        jobs.push(job("run4", "/content/dam/d", "RUNNING", 500));
        assert_eq!(
            newest_after(&jobs, &b).map(|j| j.processing_id.as_str()),
            Some("run3")
        );
        // The original run out of the history asked: its start is unknown.
        assert_eq!(newest_after(&jobs[2..], &b), None);
    }

    fn paths(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn never_two_in_one_folder_and_at_most_a_few_at_once() {
        let mut b = Batch::new(
            "run",
            "/content/dam/d",
            &paths(&[
                "/content/dam/d/a/1.dita",
                "/content/dam/d/a/2.dita",
                "/content/dam/d/b/1.dita",
                "/content/dam/d/c/1.dita",
                "/content/dam/d/e/1.dita",
                "/content/dam/d/a/1.dita", // named twice: once in the batch
            ]),
        );
        assert_eq!(b.items.len(), 5);
        // a/2 waits for a/1; e waits for a free place.
        assert_eq!(b.to_start(), vec![0, 2, 3]);
        for k in [0, 2, 3] {
            b.set(k, State::Starting);
        }
        assert_eq!(b.to_start(), Vec::<usize>::new());
        assert!(!b.started(0, "j0".into()));
        b.set(0, State::Succeeded { job: "j0".into() });
        // a/ is free again, and one place: the first queued wins.
        assert_eq!(b.to_start(), vec![1]);
        b.set(
            2,
            State::NotStarted {
                why: "refused".into(),
            },
        );
        assert_eq!(b.to_start(), vec![1, 4]);
    }

    #[test]
    fn stop_starts_nothing_more_and_names_the_jobs_to_cancel() {
        let mut b = Batch::new(
            "run",
            "/content/dam/d",
            &paths(&[
                "/content/dam/d/1.dita",
                "/content/dam/e/2.dita",
                "/content/dam/f/3.dita",
            ]),
        );
        b.started(0, "j0".into());
        b.set(1, State::Starting);
        assert_eq!(b.stop(), vec!["j0".to_string()]);
        assert_eq!(b.items[2].state, State::Stopped { job: None });
        assert!(b.to_start().is_empty());
        // The one being started when "Stop" was pressed is cancelled once its id is known.
        assert!(b.started(1, "j1".into()));
        assert!(!b.is_over());
        b.set(
            0,
            State::Stopped {
                job: Some("j0".into()),
            },
        );
        b.set(
            1,
            State::Stopped {
                job: Some("j1".into()),
            },
        );
        assert!(b.is_over() && !b.all_succeeded());
        assert_eq!(b.counts(), (0, 0, 3, 0));
    }

    #[test]
    fn a_reload_keeps_the_batch_and_names_what_may_not_have_started() {
        let mut b = Batch::new(
            "run",
            "/content/dam/d",
            &paths(&[
                "/content/dam/d/1.dita",
                "/content/dam/e/2.dita",
                "/content/dam/f/3.dita",
            ]),
        );
        b.started(0, "j0".into());
        b.set(1, State::Starting);
        let back = Batch::from_stored(&b.to_stored(), "reloaded").unwrap();
        assert_eq!(back.items[0].state, State::Running { job: "j0".into() });
        assert_eq!(
            back.items[1].state,
            State::NotStarted {
                why: "reloaded".into()
            }
        );
        // Not started again: the queued one goes on.
        assert_eq!(back.items[2].state, State::Queued);
        assert_eq!(back.to_start(), vec![2]);
        assert_eq!(Batch::from_stored("not json", "x"), None);
        assert_eq!(storage_key("abc"), "apc-reprocess:abc");
    }

    #[test]
    fn all_succeeded_once_every_job_succeeded() {
        let mut b = Batch::new("run", "/content/dam/d", &paths(&["/content/dam/d/1.dita"]));
        assert!(!b.is_over());
        b.set(0, State::Succeeded { job: "j".into() });
        assert!(b.is_over() && b.all_succeeded());
        assert_eq!(b.counts(), (1, 0, 0, 0));
        assert_eq!(b.items[0].state.job(), Some("j"));
    }

    #[test]
    fn the_offer_confirms_above_ten_and_sends_to_the_folder_above_five_hundred() {
        assert_eq!(offer(1), Offer::Start);
        assert_eq!(offer(10), Offer::Start);
        assert_eq!(offer(11), Offer::Confirm);
        assert_eq!(offer(500), Offer::Confirm);
        assert_eq!(offer(501), Offer::ProcessFolder);
        assert_eq!(folder_of("/content/dam/a/b.dita"), "/content/dam/a");
    }
}
