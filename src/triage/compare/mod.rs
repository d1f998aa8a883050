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
mod tests;
