//! Two runs side by side (`/compare/<a>/<b>`), pure: which run is the older, their figures
//! (duration, counts, throughput) and the differences, and the assets whose outcome changed:
//! newly failing, fixed, still failing, and failed before but not retried by the newer run.
//!
//! A run's failures are the assets its log names on an ERROR line: the log is the only
//! record kept per run (the per-asset status API keeps each asset's *latest* outcome across
//! jobs, so it cannot say what an older run did). The look-up is used where it can speak:
//! an asset the older run failed, that the newer run's log does not name, is "fixed" when
//! the newer run handled it; the latest outcome (SUCCESS) confirms that for a run that did
//! not handle everything (cancelled, failed, still running), says when it has not been
//! handled yet (PROCESSING), and when the asset is no longer in the repository.

use std::collections::{BTreeSet, HashMap};

use asset_processing_api::{is_at_or_below, AssetOutcome, AssetState, FileCategory, Job, Status};

use super::reasons::Reasons;

/// Which of the two runs in the address is the older: the one that started first; a run
/// that has not started yet (WAITING) counts as the newest. Equal start times keep the
/// address's order. True when `a` is the older (then `a` goes on the left).
pub fn a_is_older(a: &Job, b: &Job) -> bool {
    let start = |j: &Job| {
        if j.started_at > 0 {
            j.started_at
        } else {
            i64::MAX
        }
    };
    start(a) <= start(b)
}

/// The run of the same folder before `job` (the newest that started before it), from a
/// history: what the job page's "Compare with the previous run" link opens.
pub fn previous_run<'a>(history: &'a [Job], job: &Job) -> Option<&'a Job> {
    history
        .iter()
        .filter(|j| j.processing_id != job.processing_id && j.path == job.path)
        .filter(|j| j.started_at > 0 && (job.started_at <= 0 || j.started_at < job.started_at))
        .max_by_key(|j| j.started_at)
}

/// Whether a run took `path` in: below its folder, not below an excluded folder, and of one
/// of its file-type categories (when it named any). Its creation-time window cannot be
/// checked here (the console does not know when an asset was created).
pub fn covers(job: &Job, path: &str) -> bool {
    is_at_or_below(path, &job.path)
        && !job.excluded_paths.iter().any(|x| is_at_or_below(path, x))
        && (job.filter.file_types.is_empty()
            || job.filter.file_types.contains(&FileCategory::of_path(path)))
}

/// The counts a run's `comments` gives ("1,991 processed, 1 failed, 0 skipped."), each when
/// the summary has it. A server may word its summary otherwise: then they are unknown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SummaryCounts {
    pub processed: Option<u64>,
    pub failed: Option<u64>,
    pub skipped: Option<u64>,
}

impl SummaryCounts {
    pub fn of(comments: &str) -> SummaryCounts {
        let mut counts = SummaryCounts::default();
        let words: Vec<&str> = comments.split_whitespace().collect();
        for pair in words.windows(2) {
            let Some(n) = whole_number(pair[0]) else {
                continue;
            };
            let word = pair[1].trim_end_matches(['.', ',', ';', ':', ')']);
            let slot = match word.to_ascii_lowercase().as_str() {
                "processed" => &mut counts.processed,
                "failed" => &mut counts.failed,
                "skipped" => &mut counts.skipped,
                _ => continue,
            };
            slot.get_or_insert(n);
        }
        counts
    }
}

/// "1,991", "1.991", "1991" (a group separator between digits); not "1.5" or "12a".
fn whole_number(word: &str) -> Option<u64> {
    let word = word.trim_start_matches('(');
    let groups: Vec<&str> = word.split([',', '.', '\u{202f}', '\u{a0}']).collect();
    let well_formed = !groups[0].is_empty()
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
        && groups[1..].iter().all(|g| g.len() == 3);
    if !well_formed {
        return None;
    }
    groups.concat().parse().ok()
}

/// One run's figures, as far as they are known.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Figures {
    pub duration_ms: Option<i64>,
    /// Assets counted (known once the counting phase is over).
    pub counted: Option<u64>,
    /// Assets handled: processed, skipped or failed.
    pub handled: u64,
    pub summary: SummaryCounts,
    /// Failed assets: those its log names on an ERROR line (as far as it has been read).
    pub failed: u64,
    /// WARN lines in its log.
    pub warnings: u64,
    /// Assets handled per second of its duration.
    pub throughput: Option<f64>,
}

impl Figures {
    pub fn of(job: &Job, reasons: &Reasons, now_ms: i64) -> Figures {
        let duration_ms = crate::format::job_duration_ms(job, now_ms);
        let counted = crate::format::Progress::of(job).total;
        let throughput = duration_ms
            .filter(|ms| *ms > 0)
            .map(|ms| job.triggered_count as f64 * 1_000.0 / ms as f64);
        Figures {
            duration_ms,
            counted,
            handled: job.triggered_count,
            summary: SummaryCounts::of(&job.comments),
            failed: reasons.errored().len() as u64,
            warnings: reasons.warnings(),
            throughput,
        }
    }
}

/// What a figure measures (how its values and difference are put into words).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    Duration,
    Counted,
    Handled,
    Processed,
    Failed,
    Skipped,
    Warnings,
    Throughput,
}

impl Measure {
    /// Whether a difference in this measure is good news or bad: shorter runs, fewer
    /// failures and warnings and more assets a second are better; counts of assets are
    /// what the runs took in, neither.
    pub fn verdict(self, diff: Diff) -> Verdict {
        let Diff::By(d) = diff else {
            return Verdict::Neutral;
        };
        let lower_is_better = match self {
            Measure::Duration | Measure::Failed | Measure::Warnings => true,
            Measure::Throughput => false,
            _ => return Verdict::Neutral,
        };
        if (d < 0.0) == lower_is_better {
            Verdict::Better
        } else {
            Verdict::Worse
        }
    }
}

/// A difference's meaning for the person (shown beside its words, never alone).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Better,
    Worse,
    Neutral,
}

/// The newer run's value against the older's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Diff {
    /// Either value is unknown.
    Unknown,
    Same,
    /// Newer minus older, never 0.
    By(f64),
}

impl Diff {
    pub fn of(older: Option<f64>, newer: Option<f64>) -> Diff {
        match (older, newer) {
            (Some(o), Some(n)) if (n - o).abs() < 1e-9 => Diff::Same,
            (Some(o), Some(n)) => Diff::By(n - o),
            _ => Diff::Unknown,
        }
    }
}

/// One line of the side-by-side table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FigureRow {
    pub measure: Measure,
    pub older: Option<f64>,
    pub newer: Option<f64>,
    pub diff: Diff,
}

/// The table's lines, in reading order. Processed and skipped appear only when either run's
/// summary gives them.
pub fn figure_rows(older: &Figures, newer: &Figures) -> Vec<FigureRow> {
    let pick = |f: &Figures, m: Measure| -> Option<f64> {
        match m {
            // In whole seconds, as durations are shown: two runs both under a second
            // took "the same", not "+< 1 s".
            Measure::Duration => f.duration_ms.map(|ms| (ms / 1_000 * 1_000) as f64),
            Measure::Counted => f.counted.map(|n| n as f64),
            Measure::Handled => Some(f.handled as f64),
            Measure::Processed => f.summary.processed.map(|n| n as f64),
            Measure::Failed => Some(f.failed as f64),
            Measure::Skipped => f.summary.skipped.map(|n| n as f64),
            Measure::Warnings => Some(f.warnings as f64),
            Measure::Throughput => f.throughput,
        }
    };
    [
        Measure::Duration,
        Measure::Counted,
        Measure::Handled,
        Measure::Processed,
        Measure::Failed,
        Measure::Skipped,
        Measure::Warnings,
        Measure::Throughput,
    ]
    .into_iter()
    .map(|measure| {
        let (o, n) = (pick(older, measure), pick(newer, measure));
        FigureRow {
            measure,
            older: o,
            newer: n,
            diff: Diff::of(o, n),
        }
    })
    .filter(|r| {
        !matches!(r.measure, Measure::Processed | Measure::Skipped)
            || r.older.is_some()
            || r.newer.is_some()
    })
    .collect()
}

/// How an asset's outcome changed from the older run to the newer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Change {
    /// Failed in the newer run, not in the older.
    NewlyFailing,
    /// Failed in the older run; the newer run handled it without failing.
    Fixed,
    /// Failed in both.
    StillFailing,
    /// Failed in the older run; the newer run did not handle it (see `Note`).
    NotRetried,
}

/// Why an asset is where it is, when that needs saying.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Note {
    None,
    /// Newly failing, but the older run did not take it in (another folder, excluded,
    /// filtered out).
    NotInOlder,
    /// Not retried: outside the newer run's folder, excluded or filtered out.
    OutsideNewer,
    /// Not retried yet: the newer run is still running and has not handled it.
    NotYet,
    /// Not retried: the newer run ended before it handled it (cancelled or failed), or its
    /// creation-time window left it out.
    NotReached,
    /// Not retried: the asset is no longer in the repository.
    Gone,
}

/// A log line about the asset in one run: 1-based line number and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Said {
    pub line: u64,
    pub message: String,
}

/// One asset whose outcome differs (or that failed in both).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub path: String,
    pub change: Change,
    pub note: Note,
    /// What the older run's log says about it (its first ERROR line, else first WARN).
    pub older: Option<Said>,
    pub newer: Option<Said>,
}

/// The assets of each change, each list sorted by path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub newly_failing: Vec<Item>,
    pub fixed: Vec<Item>,
    pub still_failing: Vec<Item>,
    pub not_retried: Vec<Item>,
}

impl Changes {
    pub fn list(&self, change: Change) -> &[Item] {
        match change {
            Change::NewlyFailing => &self.newly_failing,
            Change::Fixed => &self.fixed,
            Change::StillFailing => &self.still_failing,
            Change::NotRetried => &self.not_retried,
        }
    }
}

/// One run as the comparison reads it: its job and what its log has said so far.
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub job: &'a Job,
    pub reasons: &'a Reasons,
}

/// Each asset's latest outcome, from the per-asset status look-up.
pub type Latest = HashMap<String, AssetOutcome>;

pub fn latest_of(assets: &[AssetState]) -> Latest {
    assets
        .iter()
        .filter(|a| a.exists)
        .map(|a| (a.path.clone(), a.status.clone()))
        .collect()
}

/// Sorts every asset either run failed into its change. `latest` is None without the
/// per-asset status API.
pub fn changes(older: Side, newer: Side, latest: Option<&Latest>) -> Changes {
    let failed_older: BTreeSet<&str> = older.reasons.errored().iter().map(String::as_str).collect();
    let failed_newer: BTreeSet<&str> = newer.reasons.errored().iter().map(String::as_str).collect();
    let mut out = Changes::default();
    for path in failed_older.union(&failed_newer).copied() {
        let (change, note) = match (failed_older.contains(path), failed_newer.contains(path)) {
            (true, true) => (Change::StillFailing, Note::None),
            (false, _) if covers(older.job, path) => (Change::NewlyFailing, Note::None),
            (false, _) => (Change::NewlyFailing, Note::NotInOlder),
            (true, false) => settle_older_failure(newer.job, path, latest),
        };
        let said = |side: Side| {
            side.reasons.main(path).map(|r| Said {
                line: r.line,
                message: r.message.clone(),
            })
        };
        let item = Item {
            path: path.to_string(),
            change,
            note,
            older: said(older),
            newer: said(newer),
        };
        match change {
            Change::NewlyFailing => out.newly_failing.push(item),
            Change::Fixed => out.fixed.push(item),
            Change::StillFailing => out.still_failing.push(item),
            Change::NotRetried => out.not_retried.push(item),
        }
    }
    out
}

/// An asset the older run failed and the newer run's log does not fail: fixed, or not
/// retried (and why).
fn settle_older_failure(newer: &Job, path: &str, latest: Option<&Latest>) -> (Change, Note) {
    if !covers(newer, path) {
        return (Change::NotRetried, Note::OutsideNewer);
    }
    let outcome = latest.map(|l| l.get(path));
    if outcome == Some(None) {
        return (Change::NotRetried, Note::Gone);
    }
    let outcome = outcome.flatten();
    if outcome == Some(&AssetOutcome::Success) {
        return (Change::Fixed, Note::None);
    }
    // A run that ended SUCCESS handled every asset it took in; a creation-time window may
    // have left this one out, which only the look-up could tell.
    let window = newer.filter.start_time.is_some() || newer.filter.end_time.is_some();
    if newer.status == Status::Success && !window {
        return (Change::Fixed, Note::None);
    }
    if !newer.is_finished() {
        return (Change::NotRetried, Note::NotYet);
    }
    (Change::NotRetried, Note::NotReached)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(id: &str, path: &str, status: Status, started: i64, ended: i64) -> Job {
        let mut j: Job = serde_json::from_str(&format!(r#"{{"processingId":"{id}"}}"#)).unwrap();
        j.path = path.into();
        j.status = status;
        j.started_at = started;
        j.completed_at = ended;
        j
    }

    fn log(lines: &[&str]) -> Reasons {
        let mut r = Reasons::default();
        let lines: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        r.add_page(0, &lines);
        r
    }

    fn paths(items: &[Item]) -> Vec<(&str, Note)> {
        items.iter().map(|i| (i.path.as_str(), i.note)).collect()
    }

    #[test]
    fn the_older_run_goes_left_whatever_the_address_says() {
        let old = job("a", "/content/dam/x", Status::Success, 100, 200);
        let new = job("b", "/content/dam/x", Status::Success, 300, 400);
        let waiting = job("c", "/content/dam/x", Status::Waiting, 0, 0);
        assert!(a_is_older(&old, &new));
        assert!(!a_is_older(&new, &old));
        assert!(a_is_older(&new, &waiting) && !a_is_older(&waiting, &new));
        // Equal starts keep the address's order.
        assert!(a_is_older(&old, &old.clone()));
    }

    #[test]
    fn the_previous_run_of_the_same_folder() {
        let this = job("t", "/content/dam/x", Status::Success, 500, 600);
        let history = vec![
            job("later", "/content/dam/x", Status::Success, 700, 800),
            this.clone(),
            job("other", "/content/dam/y", Status::Success, 400, 450),
            job("prev", "/content/dam/x", Status::Failed, 300, 350),
            job("first", "/content/dam/x", Status::Success, 100, 200),
        ];
        assert_eq!(
            previous_run(&history, &this).map(|j| j.processing_id.as_str()),
            Some("prev")
        );
        assert_eq!(previous_run(&history[4..], &history[4]), None);
        // A run still waiting: the newest that started.
        let waiting = job("w", "/content/dam/x", Status::Waiting, 0, 0);
        assert_eq!(
            previous_run(&history, &waiting).map(|j| j.processing_id.as_str()),
            Some("later")
        );
    }

    #[test]
    fn newly_failing_fixed_still_failing_and_not_retried() {
        let older = job("o", "/content/dam/d", Status::Success, 100, 200);
        let mut newer = job("n", "/content/dam/d", Status::Success, 300, 400);
        newer.excluded_paths = vec!["/content/dam/d/old".into()];
        let older_log = log(&[
            "t INFO Started",
            "t ERROR Malformed XML in /content/dam/d/a.dita: eof",
            "t ERROR Malformed XML in /content/dam/d/e.dita: eof",
            "t ERROR Malformed XML in /content/dam/d/old/x.dita: eof",
            "t WARN Unresolved href \"q\" in /content/dam/d/b.dita",
        ]);
        let newer_log = log(&[
            "t ERROR Malformed XML in /content/dam/d/e.dita: still",
            "t ERROR Malformed XML in /content/dam/d/b.dita: new",
        ]);
        let c = changes(
            Side {
                job: &older,
                reasons: &older_log,
            },
            Side {
                job: &newer,
                reasons: &newer_log,
            },
            None,
        );
        assert_eq!(
            paths(&c.newly_failing),
            [("/content/dam/d/b.dita", Note::None)]
        );
        assert_eq!(paths(&c.fixed), [("/content/dam/d/a.dita", Note::None)]);
        assert_eq!(
            paths(&c.still_failing),
            [("/content/dam/d/e.dita", Note::None)]
        );
        assert_eq!(
            paths(&c.not_retried),
            [("/content/dam/d/old/x.dita", Note::OutsideNewer)]
        );
        // Each side's own line and reason.
        let b = &c.newly_failing[0];
        assert_eq!(
            b.older,
            Some(Said {
                line: 5,
                message: "Unresolved href \"q\" in /content/dam/d/b.dita".into()
            })
        );
        assert_eq!(b.newer.as_ref().map(|s| s.line), Some(2));
        let e = &c.still_failing[0];
        assert_eq!(
            (
                e.older.as_ref().unwrap().line,
                e.newer.as_ref().unwrap().line
            ),
            (3, 1)
        );
        assert_eq!(c.list(Change::Fixed), c.fixed.as_slice());
    }

    #[test]
    fn the_look_up_settles_what_an_unfinished_newer_run_did() {
        let older = job("o", "/content/dam/d", Status::Success, 100, 200);
        let older_log = log(&[
            "t ERROR bad /content/dam/d/1.dita",
            "t ERROR bad /content/dam/d/2.dita",
            "t ERROR bad /content/dam/d/3.dita",
            "t ERROR bad /content/dam/d/4.dita",
        ]);
        let empty = Reasons::default();
        let latest: Latest = [
            ("/content/dam/d/1.dita", AssetOutcome::Success),
            ("/content/dam/d/2.dita", AssetOutcome::Processing),
            ("/content/dam/d/3.dita", AssetOutcome::Failure),
        ]
        .into_iter()
        .map(|(p, o)| (p.to_string(), o))
        .collect();
        let settled = |newer: &Job, latest: Option<&Latest>| {
            let c = changes(
                Side {
                    job: &older,
                    reasons: &older_log,
                },
                Side {
                    job: newer,
                    reasons: &empty,
                },
                latest,
            );
            let mut all: Vec<(String, Change, Note)> = [&c.fixed, &c.not_retried]
                .into_iter()
                .flatten()
                .map(|i| (i.path.clone(), i.change, i.note))
                .collect();
            all.sort_by(|a, b| a.0.cmp(&b.0));
            all
        };
        let running = job("n", "/content/dam/d", Status::Running, 300, 0);
        let p = |n: u8| format!("/content/dam/d/{n}.dita");
        assert_eq!(
            settled(&running, Some(&latest)),
            [
                (p(1), Change::Fixed, Note::None),
                (p(2), Change::NotRetried, Note::NotYet),
                (p(3), Change::NotRetried, Note::NotYet),
                (p(4), Change::NotRetried, Note::Gone),
            ]
        );
        let cancelled = job("n", "/content/dam/d", Status::Cancelled, 300, 400);
        assert_eq!(
            settled(&cancelled, Some(&latest))[2],
            (p(3), Change::NotRetried, Note::NotReached)
        );
        // Without the look-up: a run that ended SUCCESS handled them all.
        let done = job("n", "/content/dam/d", Status::Success, 300, 400);
        assert!(settled(&done, None)
            .iter()
            .all(|(_, c, _)| *c == Change::Fixed));
        assert!(settled(&cancelled, None)
            .iter()
            .all(|(_, _, n)| *n == Note::NotReached));
        // A creation-time window may have left them out: not claimed as fixed.
        let mut windowed = done.clone();
        windowed.filter.start_time = Some(5);
        assert!(settled(&windowed, None)
            .iter()
            .all(|(_, c, _)| *c == Change::NotRetried));
    }

    #[test]
    fn runs_of_different_folders_and_file_types() {
        let mut older = job("o", "/content/dam/a", Status::Success, 100, 200);
        older.filter.file_types = vec![FileCategory::DitaMap];
        let newer = job("n", "/content/dam", Status::Success, 300, 400);
        assert!(covers(&older, "/content/dam/a/m.ditamap"));
        assert!(!covers(&older, "/content/dam/a/t.dita"));
        assert!(!covers(&older, "/content/dam/ab/m.ditamap"));
        let c = changes(
            Side {
                job: &older,
                reasons: &Reasons::default(),
            },
            Side {
                job: &newer,
                reasons: &log(&[
                    "t ERROR bad /content/dam/b/x.dita",
                    "t ERROR bad /content/dam/a/m.ditamap",
                ]),
            },
            None,
        );
        assert_eq!(
            paths(&c.newly_failing),
            [
                ("/content/dam/a/m.ditamap", Note::None),
                ("/content/dam/b/x.dita", Note::NotInOlder)
            ]
        );
    }

    #[test]
    fn summary_counts_from_the_comments() {
        assert_eq!(
            SummaryCounts::of("1,991 processed, 1 failed, 0 skipped."),
            SummaryCounts {
                processed: Some(1_991),
                failed: Some(1),
                skipped: Some(0)
            }
        );
        assert_eq!(
            SummaryCounts::of("Interrupted: the server stopped (12 processed)"),
            SummaryCounts {
                processed: Some(12),
                ..Default::default()
            }
        );
        assert_eq!(SummaryCounts::of(""), SummaryCounts::default());
        assert_eq!(
            SummaryCounts::of("1.5 processed 12a failed"),
            SummaryCounts::default()
        );
        assert_eq!(SummaryCounts::of("1.234 Processed").processed, Some(1_234));
    }

    #[test]
    fn figures_differences_and_throughput() {
        let mut older = job("o", "/content/dam/d", Status::Success, 1_000, 11_000);
        older.triggered_count = 100;
        older.migration_set.total_files = 100;
        older.migration_set.calculation_status = asset_processing_api::CalculationStatus::Success;
        older.comments = "98 processed, 2 failed, 0 skipped.".into();
        let mut newer = older.clone();
        newer.started_at = 20_000;
        newer.completed_at = 25_000;
        newer.comments = "Done".into();
        let logs = log(&["t ERROR x /content/dam/d/a", "t WARN y /content/dam/d/b"]);
        let (o, n) = (
            Figures::of(&older, &logs, 0),
            Figures::of(&newer, &Reasons::default(), 0),
        );
        assert_eq!(o.throughput, Some(10.0));
        assert_eq!(n.throughput, Some(20.0));
        assert_eq!((o.failed, o.warnings), (1, 1));
        let rows = figure_rows(&o, &n);
        let get = |m: Measure| rows.iter().find(|r| r.measure == m).copied();
        assert_eq!(get(Measure::Duration).unwrap().diff, Diff::By(-5_000.0));
        let quick = |ms: i64| Figures {
            duration_ms: Some(ms),
            ..Figures::default()
        };
        let rows = figure_rows(&quick(300), &quick(900));
        assert_eq!(rows[0].diff, Diff::Same);
        assert_eq!(
            figure_rows(&quick(900), &quick(2_100))[0].diff,
            Diff::By(2_000.0)
        );
        assert_eq!(get(Measure::Counted).unwrap().diff, Diff::Same);
        assert_eq!(get(Measure::Throughput).unwrap().diff, Diff::By(10.0));
        assert_eq!(get(Measure::Failed).unwrap().diff, Diff::By(-1.0));
        // The newer summary does not say: the row stays, its difference is unknown.
        assert_eq!(get(Measure::Processed).unwrap().diff, Diff::Unknown);
        assert_eq!(rows[0].measure, Measure::Duration);
        // Neither says how many were skipped... the older does; with neither, no row.
        older.comments.clear();
        let rows = figure_rows(&Figures::of(&older, &logs, 0), &n);
        assert!(rows.iter().all(|r| r.measure != Measure::Skipped));
        // A run not started yet has no duration or throughput.
        let waiting = job("w", "/content/dam/d", Status::Waiting, 0, 0);
        let w = Figures::of(&waiting, &Reasons::default(), 50_000);
        assert_eq!((w.duration_ms, w.throughput, w.counted), (None, None, None));
        assert_eq!(Diff::of(Some(1.0), None), Diff::Unknown);
        assert_eq!(Measure::Duration.verdict(Diff::By(-1.0)), Verdict::Better);
        assert_eq!(Measure::Failed.verdict(Diff::By(2.0)), Verdict::Worse);
        assert_eq!(Measure::Throughput.verdict(Diff::By(2.0)), Verdict::Better);
        assert_eq!(Measure::Handled.verdict(Diff::By(2.0)), Verdict::Neutral);
        assert_eq!(Measure::Failed.verdict(Diff::Same), Verdict::Neutral);
    }
}
