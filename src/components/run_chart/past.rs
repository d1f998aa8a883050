//! The previous runs of one folder, from the history, as the start form and the job view draw
//! them: small bars of duration, newest first, and the last run in words. Pure, tested
//! natively.

use asset_processing_api::{normalize_path, Job, Status};

/// Bars drawn.
pub const SHOWN: usize = 5;

/// One finished run of the folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PastRun {
    pub id: String,
    pub duration_ms: i64,
    pub handled: u64,
}

/// The runs of `path` that ended SUCCESS with a start and an end, newest first, up to
/// [`SHOWN`]. Paths compare as the API normalises them (a trailing slash is the same folder).
pub fn past_runs(jobs: &[Job], path: &str) -> Vec<PastRun> {
    let Ok(wanted) = normalize_path(path) else {
        return Vec::new();
    };
    let mut runs: Vec<&Job> = jobs
        .iter()
        .filter(|j| {
            j.status == Status::Success && j.started_at > 0 && j.completed_at >= j.started_at
        })
        .filter(|j| normalize_path(&j.path).is_ok_and(|p| p == wanted))
        .collect();
    runs.sort_by_key(|j| std::cmp::Reverse(j.started_at));
    runs.into_iter()
        .take(SHOWN)
        .map(|j| PastRun {
            id: j.processing_id.clone(),
            duration_ms: j.completed_at - j.started_at,
            handled: j.triggered_count,
        })
        .collect()
}

/// The runs of `job`'s folder that ended before it started, as [`past_runs`] picks them (the
/// job view's "previous runs": the job itself and later runs are left out).
pub fn runs_before(jobs: &[Job], job: &Job) -> Vec<PastRun> {
    let earlier: Vec<Job> = jobs
        .iter()
        .filter(|j| j.processing_id != job.processing_id)
        .filter(|j| job.started_at == 0 || j.completed_at <= job.started_at)
        .cloned()
        .collect();
    past_runs(&earlier, &job.path)
}

/// Each bar's length out of `full`, in the runs' order: the longest run fills it, and a run
/// of any length shows at least one unit.
pub fn bar_lengths(runs: &[PastRun], full: f64) -> Vec<f64> {
    let longest = runs.iter().map(|r| r.duration_ms).max().unwrap_or(0);
    runs.iter()
        .map(|r| {
            if longest <= 0 {
                1.0
            } else {
                (r.duration_ms as f64 / longest as f64 * full).max(1.0)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(id: &str, path: &str, status: Status, started: i64, ended: i64, n: u64) -> Job {
        serde_json::from_value(serde_json::json!({
            "processingId": id, "path": path, "status": status.as_str(),
            "startedAt": started, "completedAt": ended, "triggeredCount": n,
        }))
        .expect("a job")
    }

    #[test]
    fn the_folder_s_successful_runs_newest_first() {
        let jobs = vec![
            job("a", "/content/dam/docs", Status::Success, 1_000, 61_000, 10),
            job(
                "b",
                "/content/dam/docs/",
                Status::Success,
                100_000,
                352_000,
                1_992,
            ),
            job(
                "c",
                "/content/dam/docs",
                Status::Failed,
                200_000,
                210_000,
                3,
            ),
            job(
                "d",
                "/content/dam/other",
                Status::Success,
                300_000,
                310_000,
                5,
            ),
            job("e", "/content/dam/docs", Status::Running, 400_000, 0, 7),
        ];
        let runs = past_runs(&jobs, "/content/dam/docs");
        assert_eq!(
            runs,
            vec![
                PastRun {
                    id: "b".into(),
                    duration_ms: 252_000,
                    handled: 1_992
                },
                PastRun {
                    id: "a".into(),
                    duration_ms: 60_000,
                    handled: 10
                },
            ]
        );
        assert!(past_runs(&jobs, "not a path").is_empty());
        let many: Vec<Job> = (0..9)
            .map(|k| {
                job(
                    &k.to_string(),
                    "/content/dam/docs",
                    Status::Success,
                    k,
                    k + 1,
                    1,
                )
            })
            .collect();
        assert_eq!(past_runs(&many, "/content/dam/docs").len(), SHOWN);
    }

    #[test]
    fn the_job_view_shows_the_runs_that_ended_before_this_one() {
        let jobs = vec![
            job("a", "/content/dam/docs", Status::Success, 1_000, 61_000, 10),
            job(
                "b",
                "/content/dam/docs",
                Status::Success,
                100_000,
                160_000,
                20,
            ),
            job(
                "c",
                "/content/dam/docs",
                Status::Success,
                200_000,
                230_000,
                30,
            ),
        ];
        let ids = |runs: Vec<PastRun>| runs.into_iter().map(|r| r.id).collect::<Vec<_>>();
        // Run b's view: a only (b is itself, c came after).
        assert_eq!(ids(runs_before(&jobs, &jobs[1])), vec!["a"]);
        assert_eq!(ids(runs_before(&jobs, &jobs[2])), vec!["b", "a"]);
        assert!(runs_before(&jobs, &jobs[0]).is_empty());
    }

    #[test]
    fn the_longest_run_fills_the_bar() {
        let runs = vec![
            PastRun {
                id: "a".into(),
                duration_ms: 100,
                handled: 1,
            },
            PastRun {
                id: "b".into(),
                duration_ms: 50,
                handled: 1,
            },
            PastRun {
                id: "c".into(),
                duration_ms: 0,
                handled: 1,
            },
        ];
        assert_eq!(bar_lengths(&runs, 200.0), vec![200.0, 100.0, 1.0]);
        assert!(bar_lengths(&[], 10.0).is_empty());
    }
}
