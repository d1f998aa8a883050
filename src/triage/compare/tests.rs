//! Tests of `triage::compare`.

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
