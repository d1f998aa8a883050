//! The seed's own JSON examples (`docs/seed-api.md`, a copy of the published page) parse into
//! the shared types, and every type survives a round trip.

use asset_processing_api::*;

/// The ```JSON blocks of the seed page, in order.
fn seed_examples() -> Vec<String> {
    let page = include_str!("../../../docs/seed-api.md");
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in page.lines() {
        match (&mut current, line.trim()) {
            (None, fence) if fence.eq_ignore_ascii_case("```json") => current = Some(String::new()),
            (Some(_), "```") => blocks.push(current.take().unwrap()),
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

#[test]
fn the_seed_has_six_examples() {
    assert_eq!(seed_examples().len(), 6);
}

#[test]
fn start_request_example_parses_and_normalises() {
    let req: StartRequest = parse_json(&seed_examples()[0]).unwrap();
    assert_eq!(req.path, "/content/dam/status-fetch1");
    assert_eq!(req.kind, ProcessingType::AssetProcessing);
    assert_eq!(req.filter, None);
    // The seed writes the excluded path without its leading slash.
    assert_eq!(
        req.excluded_paths,
        vec!["content/dam/status-fetch1/excluded-folder"]
    );
    let normal = validate_start_request(&req).unwrap();
    assert_eq!(
        normal.excluded_paths,
        vec!["/content/dam/status-fetch1/excluded-folder"]
    );
}

#[test]
fn start_response_example_has_a_trailing_comma_and_is_reported_not_panicked() {
    let err = parse_json::<StartResponse>(&seed_examples()[1]).unwrap_err();
    assert!(err.starts_with("invalid JSON: trailing comma"), "{err}");
    assert!(err.contains("line"), "the message says where: {err}");
    // Without the slip it parses.
    let fixed = seed_examples()[1].replace("\"akjhdfalkj1132\", ", "\"akjhdfalkj1132\"");
    let ok: StartResponse = parse_json(&fixed).unwrap();
    assert_eq!(ok.processing_id, "akjhdfalkj1132");
}

#[test]
fn status_example_is_a_job() {
    let job: Job = parse_json(&seed_examples()[2]).unwrap();
    assert_eq!(job.processing_id, "string");
    assert_eq!(job.status, Status::Waiting);
    assert_eq!(
        job.migration_set.calculation_status,
        CalculationStatus::Waiting
    );
    assert_eq!(
        job.eta.unit,
        EtaUnit::Other("string".into()),
        "unknown units are kept"
    );
    assert!(job.has_logs && job.restartable && job.resumable && job.cancellable);
    // The status example has no `filter`: a missing optional field is tolerated.
    assert_eq!(job.filter, Filter::default());
}

#[test]
fn logs_example_is_a_log_page() {
    let page: LogPage = parse_json(&seed_examples()[3]).unwrap();
    assert_eq!(page.lines, vec!["string"]);
    assert_eq!((page.offset, page.limit, page.has_more), (0, 0, true));
    assert_eq!(page.end(), 1);
}

#[test]
fn download_example_lists_log_files() {
    let paths: LogFilePaths = parse_json(&seed_examples()[4]).unwrap();
    assert_eq!(paths.log_file_paths, vec!["string"]);
}

#[test]
fn history_example_parses_every_field() {
    let history: History = parse_json(&seed_examples()[5]).unwrap();
    assert_eq!(history.execution_history.len(), 1);
    let job = &history.execution_history[0];
    assert_eq!(job.processing_id, "165f1de6-68c4-4dcd-9223-2b7242b62306");
    assert_eq!(job.path, "/content/dam/22858");
    assert_eq!(job.status, Status::Success);
    assert_eq!(job.triggered_count, 6);
    assert_eq!(job.started_at, 1761291362776);
    assert_eq!(job.completed_at, 1761291364026);
    assert_eq!(job.created_by, "user");
    assert_eq!(
        job.migration_set,
        MigrationSet {
            total_files: 6,
            calculation_status: CalculationStatus::Success
        }
    );
    assert_eq!(
        job.eta,
        Eta {
            value: 0,
            unit: EtaUnit::Seconds
        }
    );
    assert_eq!(
        job.filter,
        Filter {
            file_types: vec![],
            start_time: None,
            end_time: None,
            filter_processed_assets: false
        }
    );
    assert_eq!(
        job.flags(),
        JobFlags {
            cancellable: false,
            resumable: false,
            restartable: true
        }
    );
    assert_eq!(job.flags(), JobFlags::for_status(&job.status, false));
}

#[test]
fn history_example_round_trips_to_the_same_json() {
    let original: serde_json::Value = serde_json::from_str(&seed_examples()[5]).unwrap();
    let history: History = serde_json::from_value(original.clone()).unwrap();
    // The seed's entry omits `excludedPaths`, which the contract lists among the fields
    // present in every response; everything else comes back exactly as the seed wrote it.
    let mut expected = original;
    expected["executionHistory"][0]["excludedPaths"] = serde_json::json!([]);
    assert_eq!(serde_json::to_value(&history).unwrap(), expected);
}

fn round_trip<T>(value: T)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let json = serde_json::to_string(&value).unwrap();
    let back: T = serde_json::from_str(&json).unwrap();
    assert_eq!(back, value, "{json}");
}

fn sample_job(status: Status) -> Job {
    Job {
        processing_id: "p-1".into(),
        path: "/content/dam/docs".into(),
        excluded_paths: vec!["/content/dam/docs/old".into()],
        status,
        triggered_count: 12,
        started_at: 1_700_000_000_000,
        completed_at: 0,
        has_logs: true,
        created_by: "admin".into(),
        kind: ProcessingType::AssetProcessing,
        migration_set: MigrationSet {
            total_files: 40,
            calculation_status: CalculationStatus::Success,
        },
        eta: Eta {
            value: 3,
            unit: EtaUnit::Minutes,
        },
        comments: "12 processed".into(),
        filter: Filter {
            file_types: vec![FileCategory::DitaTopic, FileCategory::Other("dita".into())],
            start_time: Some(1_758_876_933_000),
            end_time: None,
            filter_processed_assets: true,
        },
        restartable: false,
        resumable: false,
        cancellable: true,
    }
}

#[test]
fn every_type_round_trips() {
    round_trip(StartRequest {
        path: "/content/dam/a".into(),
        excluded_paths: vec!["/content/dam/a/b".into()],
        kind: ProcessingType::AssetProcessing,
        filter: Some(Filter {
            file_types: vec![FileCategory::DitaMap, FileCategory::HtmlCss],
            start_time: Some(1_758_876_933_000),
            end_time: Some(1_764_932_039_000),
            filter_processed_assets: true,
        }),
    });
    round_trip(StartRequest {
        path: "/content/dam/a".into(),
        excluded_paths: vec![],
        kind: ProcessingType::Other("FUTURE".into()),
        filter: None,
    });
    round_trip(StartResponse {
        processing_id: "x".into(),
    });
    round_trip(ProcessingIdBody {
        processing_id: "x".into(),
    });
    for status in Status::KNOWN
        .iter()
        .cloned()
        .chain([Status::Other("PAUSED".into())])
    {
        round_trip(sample_job(status));
    }
    round_trip(LogPage {
        lines: vec!["a".into(), "b".into()],
        limit: 2,
        offset: 7,
        has_more: false,
    });
    round_trip(LogFilePaths {
        log_file_paths: vec!["/x.log".into()],
    });
    round_trip(History {
        execution_history: vec![sample_job(Status::Running)],
    });
    round_trip(ErrorBody {
        status: 400,
        message: "path is empty".into(),
    });
    round_trip(CsrfToken { token: "t".into() });
    round_trip(Eta {
        value: 5,
        unit: EtaUnit::Other("DAYS".into()),
    });
    round_trip(MigrationSet {
        total_files: 1,
        calculation_status: CalculationStatus::Other("X".into()),
    });
}

#[test]
fn a_job_serialises_every_contract_field_and_nothing_else() {
    let value = serde_json::to_value(sample_job(Status::Running)).unwrap();
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    keys.sort_unstable();
    let mut expected = vec![
        "processingId",
        "path",
        "excludedPaths",
        "status",
        "triggeredCount",
        "startedAt",
        "completedAt",
        "hasLogs",
        "createdBy",
        "type",
        "migrationSet",
        "eta",
        "comments",
        "filter",
        "restartable",
        "resumable",
        "cancellable",
    ];
    expected.sort_unstable();
    assert_eq!(keys, expected);
}

#[test]
fn a_real_server_may_send_more_less_and_odd_values() {
    let job: Job = parse_json(
        r#"{"processingId":"a","status":"PAUSED","triggeredCount":3.0,"startedAt":"1700000000000",
            "eta":{"value":2.6,"unit":"MINUTES"},"comments":null,"somethingNew":{"x":1}}"#,
    )
    .unwrap();
    assert_eq!(job.status, Status::Other("PAUSED".into()));
    assert_eq!(job.status.to_string(), "PAUSED");
    assert!(!job.status.is_final() && !job.status.is_active());
    // No flag allows a cancel: the console treats the word nobody named as finished.
    assert!(job.is_finished());
    assert_eq!(job.triggered_count, 3);
    assert_eq!(job.started_at, 1_700_000_000_000);
    assert_eq!(job.eta.as_seconds(), Some(180));
    assert_eq!(job.comments, "");
    assert_eq!(job.flags(), JobFlags::default());

    let err = parse_json::<Job>(r#"{"status":"RUNNING"}"#).unwrap_err();
    assert!(err.contains("processingId"), "{err}");
}

#[test]
fn flags_follow_the_contract() {
    use Status::*;
    let f = |s: Status, cp| JobFlags::for_status(&s, cp);
    assert_eq!(
        f(Waiting, false),
        JobFlags {
            cancellable: true,
            resumable: false,
            restartable: false
        }
    );
    assert_eq!(
        f(Running, true),
        JobFlags {
            cancellable: true,
            resumable: false,
            restartable: false
        }
    );
    assert_eq!(
        f(Success, true),
        JobFlags {
            cancellable: false,
            resumable: false,
            restartable: true
        }
    );
    assert_eq!(
        f(Failed, true),
        JobFlags {
            cancellable: false,
            resumable: true,
            restartable: true
        }
    );
    assert_eq!(
        f(Failed, false),
        JobFlags {
            cancellable: false,
            resumable: false,
            restartable: true
        }
    );
    assert_eq!(
        f(Cancelled, true),
        JobFlags {
            cancellable: false,
            resumable: true,
            restartable: true
        }
    );
    assert_eq!(f(Other("X".into()), true), JobFlags::default());
}

#[test]
fn a_status_nobody_named_is_finished_when_the_job_says_so() {
    let job = |json: &str| parse_json::<Job>(json).unwrap();
    // The post-processing event's word, with an end time: finished.
    assert!(job(r#"{"processingId":"a","status":"COMPLETED WITH ERRORS","completedAt":1700000000000,"cancellable":true}"#).is_finished());
    // No end time, but nothing allows a cancel: finished.
    assert!(job(r#"{"processingId":"a","status":"Completed","completedAt":0,"cancellable":false,"restartable":true}"#).is_finished());
    // Still cancellable and not ended: a console keeps watching it.
    assert!(!job(
        r#"{"processingId":"a","status":"In progress","completedAt":0,"cancellable":true}"#
    )
    .is_finished());
    // The contract's own words decide alone.
    assert!(
        !job(r#"{"processingId":"a","status":"RUNNING","completedAt":1,"cancellable":false}"#)
            .is_finished()
    );
    assert!(job(r#"{"processingId":"a","status":"CANCELLED","cancellable":true}"#).is_finished());
}
