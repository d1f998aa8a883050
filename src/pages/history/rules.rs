//! What the history table shows: filtered by status, by who started a run and by text,
//! sorted by a column. Pure.

use asset_processing_api::{Job, Status};

use crate::fold;

/// A sortable column of the history table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Status,
    Id,
    Folder,
    CreatedBy,
    Started,
    Duration,
}

/// Which runs to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatusFilter {
    All,
    /// WAITING or RUNNING.
    Active,
    Only(Status),
}

impl StatusFilter {
    pub fn matches(&self, status: &Status) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::Active => status.is_active(),
            StatusFilter::Only(s) => s == status,
        }
    }

    /// The value of the filter's `<select>` option.
    pub fn key(&self) -> String {
        match self {
            StatusFilter::All => "all".into(),
            StatusFilter::Active => "active".into(),
            StatusFilter::Only(s) => s.as_str().to_string(),
        }
    }

    pub fn from_key(key: &str) -> StatusFilter {
        match key {
            "all" | "" => StatusFilter::All,
            "active" => StatusFilter::Active,
            other => StatusFilter::Only(Status::from_wire(other)),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub descending: bool,
}

impl Default for Sort {
    /// Newest first, as the server sends them.
    fn default() -> Self {
        Sort {
            column: Column::Started,
            descending: true,
        }
    }
}

impl Sort {
    /// Clicking a header: the same column flips the order; another column sorts by it.
    pub fn toggle(self, column: Column) -> Sort {
        if self.column == column {
            Sort {
                column,
                descending: !self.descending,
            }
        } else {
            Sort {
                column,
                descending: matches!(column, Column::Started | Column::Duration),
            }
        }
    }
}

/// Whose runs to show ("Started by"). A real AEM Guides history fills with runs the system
/// starts by itself (it processes `/content/dam` every 15 minutes), so "me" matters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StartedBy {
    #[default]
    Anyone,
    /// The signed-in user's runs (offered only when the console knows who that is).
    Me,
    /// Runs started by anyone else: the system, other people.
    Others,
}

impl StartedBy {
    /// The value of the filter's `<select>` option (and what the tab remembers).
    pub fn key(self) -> &'static str {
        match self {
            StartedBy::Anyone => "anyone",
            StartedBy::Me => "me",
            StartedBy::Others => "others",
        }
    }

    pub fn from_key(key: &str) -> StartedBy {
        match key {
            "me" => StartedBy::Me,
            "others" => StartedBy::Others,
            _ => StartedBy::Anyone,
        }
    }

    /// The choices offered: with the signed-in user known, anyone, me and others; without
    /// it, anyone and "others than" a name the person types (never a wrong "me").
    pub fn offered(me_known: bool) -> &'static [StartedBy] {
        if me_known {
            &[StartedBy::Anyone, StartedBy::Me, StartedBy::Others]
        } else {
            &[StartedBy::Anyone, StartedBy::Others]
        }
    }
}

/// "Started by" as applied: the choice and whom it is about (the signed-in user, or without
/// one the name the person typed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Whose {
    pub by: StartedBy,
    /// None: nobody known and nothing typed; then every run is shown.
    pub who: Option<String>,
}

impl Whose {
    /// `me`: the signed-in user from AEM's current-user answer, if any; `typed`: the name
    /// typed for "others than" when it is not known. A remembered "me" without a known user
    /// shows every run rather than guess.
    pub fn new(by: StartedBy, me: Option<&str>, typed: &str) -> Whose {
        let typed = typed.trim();
        match (by, me) {
            (StartedBy::Me, None) => Whose::default(),
            (by, Some(me)) => Whose {
                by,
                who: Some(me.to_string()),
            },
            (by, None) => Whose {
                by,
                who: (!typed.is_empty()).then(|| typed.to_string()),
            },
        }
    }

    /// Whether `job` is shown. `createdBy` is compared exactly, as AEM's user ids are.
    pub fn matches(&self, job: &Job) -> bool {
        match (self.by, &self.who) {
            (StartedBy::Anyone, _) | (_, None) => true,
            (StartedBy::Me, Some(who)) => job.created_by == *who,
            (StartedBy::Others, Some(who)) => job.created_by != *who,
        }
    }
}

/// Free text matches the path, the id or the user (case-insensitive, every word).
pub fn text_matches(job: &Job, text: &str) -> bool {
    let haystack = fold::lower(&format!(
        "{} {} {}",
        job.path, job.processing_id, job.created_by
    ));
    text.split_whitespace()
        .all(|word| haystack.contains(&fold::lower(word)))
}

fn status_rank(s: &Status) -> u8 {
    match s {
        Status::Running => 0,
        Status::Waiting => 1,
        Status::Failed => 2,
        Status::Cancelled => 3,
        Status::Success => 4,
        Status::Other(_) => 5,
    }
}

/// A history as asked: a server may ignore `limit` and answer its own N (the published
/// pages allow it), so at most `limit` runs are kept, newest first as the server sent them.
pub fn as_asked(
    mut history: asset_processing_api::History,
    limit: u32,
) -> asset_processing_api::History {
    history.execution_history.truncate(limit as usize);
    history
}

/// The runs to show, in order. Ties keep the server's order (newest first).
pub fn view(
    jobs: &[Job],
    filter: &StatusFilter,
    whose: &Whose,
    text: &str,
    sort: Sort,
    now_ms: i64,
) -> Vec<Job> {
    let mut rows: Vec<(usize, &Job)> = jobs
        .iter()
        .enumerate()
        .filter(|(_, j)| filter.matches(&j.status) && whose.matches(j) && text_matches(j, text))
        .collect();
    let duration = |j: &Job| crate::format::job_duration_ms(j, now_ms).unwrap_or(-1);
    let started = |j: &Job| {
        if j.started_at > 0 {
            j.started_at
        } else {
            i64::MAX
        }
    }; // waiting: newest
       // The original position breaks ties: a total order, so the unstable sort is stable here.
    rows.sort_unstable_by(|(ia, a), (ib, b)| {
        let ord = match sort.column {
            Column::Status => status_rank(&a.status).cmp(&status_rank(&b.status)),
            Column::Id => a.processing_id.cmp(&b.processing_id),
            Column::Folder => fold::lower(&a.path).cmp(&fold::lower(&b.path)),
            Column::CreatedBy => fold::lower(&a.created_by).cmp(&fold::lower(&b.created_by)),
            Column::Started => started(a).cmp(&started(b)),
            Column::Duration => duration(a).cmp(&duration(b)),
        };
        let ord = if sort.descending { ord.reverse() } else { ord };
        ord.then(ia.cmp(ib))
    });
    rows.into_iter().map(|(_, j)| j.clone()).collect()
}

/// The feature type every run shows has, said once above the table: `Some(Some(type))`
/// when they share one, `Some(None)` when they differ (the table then has the column),
/// `None` without runs.
pub fn one_kind(jobs: &[Job]) -> Option<Option<String>> {
    let first = jobs.first()?.kind.to_string();
    Some(
        jobs.iter()
            .all(|j| j.kind.to_string() == first)
            .then_some(first),
    )
}

/// A run's quiet second line under its folder: how many folders it excluded and its filter
/// in words, or nothing when it processed everything under the folder.
pub fn second_line(
    job: &Job,
    date: &dyn Fn(i64) -> String,
) -> Option<(Option<String>, Option<String>)> {
    let excluded = (!job.excluded_paths.is_empty())
        .then(|| crate::text::excluded_count(job.excluded_paths.len()));
    let filter =
        (!job.filter.is_everything()).then(|| crate::format::filter_words(&job.filter, date));
    (excluded.is_some() || filter.is_some()).then_some((excluded, filter))
}

/// The failures so far of a run still going, when its `comments` count them ("1,204
/// processed, 3 failed, 0 skipped so far"): a history row says so before the run ends.
/// Nothing for a finished run (its status says how it ended) or without a count.
pub fn failures_so_far(job: &Job) -> Option<u64> {
    if job.is_finished() {
        return None;
    }
    let end = job.comments.find(" failed")?;
    let digits: String = job.comments[..end]
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '\u{a0}' | '\u{202f}'))
        .filter(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok().filter(|n| *n > 0)
}

/// Whether any run still changes by itself (the history then refreshes itself).
pub fn any_active(jobs: &[Job]) -> bool {
    jobs.iter().any(|j| !j.is_finished())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_history_longer_than_asked_is_cut_to_the_newest() {
        let twenty: asset_processing_api::History = serde_json::from_str(&format!(
            r#"{{"executionHistory":[{}]}}"#,
            (0..20)
                .map(|i| format!(r#"{{"processingId":"p{i}"}}"#))
                .collect::<Vec<_>>()
                .join(",")
        ))
        .unwrap();
        let ten = as_asked(twenty.clone(), 10);
        assert_eq!(ten.execution_history.len(), 10);
        assert_eq!(ten.execution_history[0].processing_id, "p0");
        assert_eq!(as_asked(twenty, 100).execution_history.len(), 20);
    }

    fn job(id: &str, status: Status, path: &str, user: &str, started: i64) -> Job {
        let mut j: Job = serde_json::from_str(&format!(r#"{{"processingId":"{id}"}}"#)).unwrap();
        j.status = status;
        j.path = path.into();
        j.created_by = user.into();
        j.started_at = started;
        j.completed_at = if j.status.is_final() { started + 10 } else { 0 };
        j
    }

    fn ids(v: &[Job]) -> Vec<&str> {
        v.iter().map(|j| j.processing_id.as_str()).collect()
    }

    fn sample() -> Vec<Job> {
        vec![
            job("c", Status::Running, "/content/dam/Guides", "admin", 300),
            job("b", Status::Success, "/content/dam/archive", "author", 200),
            job("a", Status::Failed, "/content/dam/guides/de", "admin", 100),
        ]
    }

    #[test]
    fn filters_by_status_and_text() {
        let jobs = sample();
        assert_eq!(
            ids(&view(
                &jobs,
                &StatusFilter::All,
                &Whose::default(),
                "",
                Sort::default(),
                1_000
            )),
            ["c", "b", "a"]
        );
        assert_eq!(
            ids(&view(
                &jobs,
                &StatusFilter::Active,
                &Whose::default(),
                "",
                Sort::default(),
                1_000
            )),
            ["c"]
        );
        assert_eq!(
            ids(&view(
                &jobs,
                &StatusFilter::Only(Status::Failed),
                &Whose::default(),
                "",
                Sort::default(),
                1_000
            )),
            ["a"]
        );
        assert_eq!(
            ids(&view(
                &jobs,
                &StatusFilter::All,
                &Whose::default(),
                "GUIDES",
                Sort::default(),
                1_000
            )),
            ["c", "a"]
        );
        assert_eq!(
            ids(&view(
                &jobs,
                &StatusFilter::All,
                &Whose::default(),
                "author",
                Sort::default(),
                1_000
            )),
            ["b"]
        );
        assert_eq!(
            ids(&view(
                &jobs,
                &StatusFilter::All,
                &Whose::default(),
                "guides/de admin",
                Sort::default(),
                1_000
            )),
            ["a"]
        );
        assert!(view(
            &jobs,
            &StatusFilter::All,
            &Whose::default(),
            "nothing",
            Sort::default(),
            1_000
        )
        .is_empty());
    }

    #[test]
    fn sorts_and_toggles() {
        let jobs = sample();
        let by_folder = Sort::default().toggle(Column::Folder);
        assert!(!by_folder.descending);
        assert_eq!(
            ids(&view(
                &jobs,
                &StatusFilter::All,
                &Whose::default(),
                "",
                by_folder,
                1_000
            )),
            ["b", "c", "a"]
        );
        let flipped = by_folder.toggle(Column::Folder);
        assert_eq!(
            ids(&view(
                &jobs,
                &StatusFilter::All,
                &Whose::default(),
                "",
                flipped,
                1_000
            )),
            ["a", "c", "b"]
        );
        let by_status = Sort::default().toggle(Column::Status);
        assert_eq!(
            ids(&view(
                &jobs,
                &StatusFilter::All,
                &Whose::default(),
                "",
                by_status,
                1_000
            )),
            ["c", "a", "b"]
        );
    }

    #[test]
    fn filter_keys_round_trip() {
        for f in [
            StatusFilter::All,
            StatusFilter::Active,
            StatusFilter::Only(Status::Cancelled),
        ] {
            assert_eq!(StatusFilter::from_key(&f.key()), f);
        }
        assert!(any_active(&sample()));
        assert!(!any_active(&sample()[1..]));
    }

    #[test]
    fn started_by_me_others_or_anyone() {
        let mut jobs = sample();
        jobs.push(job(
            "s",
            Status::Other("COMPLETED WITH ERRORS".into()),
            "/content/dam",
            "system",
            50,
        ));
        let shown = |whose: Whose| {
            ids(&view(
                &jobs,
                &StatusFilter::All,
                &whose,
                "",
                Sort::default(),
                1_000,
            ))
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
        };
        let me = Some("admin");
        assert_eq!(shown(Whose::new(StartedBy::Me, me, "")), ["c", "a"]);
        assert_eq!(shown(Whose::new(StartedBy::Others, me, "")), ["b", "s"]);
        assert_eq!(
            shown(Whose::new(StartedBy::Anyone, me, "")),
            ["c", "b", "a", "s"]
        );
        // The signed-in user wins over a typed name; ids compare exactly.
        assert_eq!(
            shown(Whose::new(StartedBy::Me, Some("Admin"), "admin")),
            Vec::<String>::new()
        );
        // Without a known user: never a wrong "me", and "others than" a typed name.
        assert_eq!(shown(Whose::new(StartedBy::Me, None, "admin")).len(), 4);
        assert_eq!(shown(Whose::new(StartedBy::Others, None, "")).len(), 4);
        assert_eq!(
            shown(Whose::new(StartedBy::Others, None, " author ")),
            ["c", "a", "s"]
        );
        assert_eq!(
            StartedBy::offered(false),
            [StartedBy::Anyone, StartedBy::Others]
        );
        assert_eq!(StartedBy::offered(true).len(), 3);
        for by in StartedBy::offered(true) {
            assert_eq!(StartedBy::from_key(by.key()), *by);
        }
        assert_eq!(StartedBy::from_key("nonsense"), StartedBy::Anyone);
    }

    #[test]
    fn a_run_with_a_word_nobody_named_that_says_it_ended_stops_the_refresh() {
        let mut ended = job(
            "s",
            Status::Other("COMPLETED WITH ERRORS".into()),
            "/content/dam",
            "system",
            50,
        );
        ended.completed_at = 60;
        assert!(!any_active(&[ended.clone()]));
        let mut watching = ended;
        watching.completed_at = 0;
        watching.cancellable = true;
        assert!(any_active(&[watching]));
    }

    #[test]
    fn the_feature_type_is_said_once_while_every_run_shares_it() {
        let runs = sample();
        assert_eq!(one_kind(&[]), None);
        assert_eq!(one_kind(&runs), Some(Some("ASSET_PROCESSING".into())));
        let mut other = runs.clone();
        other[1].kind = asset_processing_api::ProcessingType::from_wire("TRANSLATION");
        assert_eq!(one_kind(&other), Some(None));
    }

    #[test]
    fn the_second_line_says_exclusions_and_the_filter_only_when_there_are_some() {
        let date = |_: i64| "3 Dec".to_string();
        let mut j = sample().remove(0);
        assert_eq!(second_line(&j, &date), None);
        j.excluded_paths = vec!["/content/dam/a/old".into(), "/content/dam/a/tmp".into()];
        assert_eq!(
            second_line(&j, &date),
            Some((Some("2 excluded folders".into()), None))
        );
    }

    #[test]
    fn a_running_run_says_its_failures_so_far_from_its_comments() {
        let mut j = sample().remove(0);
        j.status = Status::Running;
        j.completed_at = 0;
        j.comments = "1,204 processed, 3 failed, 0 skipped so far".into();
        assert_eq!(failures_so_far(&j), Some(3));
        j.comments = "12 processed, 0 failed, 0 skipped".into();
        assert_eq!(failures_so_far(&j), None);
        j.comments = "Counting the assets".into();
        assert_eq!(failures_so_far(&j), None);
        j.comments = "1 processed, 2.345 failed".into();
        assert_eq!(failures_so_far(&j), Some(2_345));
        j.status = Status::Failed;
        j.completed_at = 5;
        assert_eq!(failures_so_far(&j), None, "a finished run's status says it");
    }
}
