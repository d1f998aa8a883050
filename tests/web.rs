//! Component tests in a real browser (headless Chromium through wasm-bindgen-test-runner):
//! `cargo test -p asset-processing-console --target wasm32-unknown-unknown --test web`.

#![cfg(target_arch = "wasm32")]

use asset_processing_api::{parse_json, History, Job};
use asset_processing_console::pages::HistoryTable;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a view into a fresh element of the test page and returns that element.
fn mount<F, N>(f: F) -> web_sys::HtmlElement
where
    F: FnOnce() -> N + 'static,
    N: IntoView,
{
    let document = document();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    leptos::mount::mount_to(host.clone(), f).forget();
    host
}

fn seed_history_job() -> Job {
    let history: History = parse_json(
        r#"{"executionHistory":[{"processingId":"165f1de6-68c4-4dcd-9223-2b7242b62306",
        "path":"/content/dam/22858","status":"SUCCESS","triggeredCount":6,
        "startedAt":1761291362776,"completedAt":1761291364026,"hasLogs":true,"createdBy":"user",
        "type":"ASSET_PROCESSING","migrationSet":{"totalFiles":6,"calculationStatus":"SUCCESS"},
        "eta":{"value":0,"unit":"SECONDS"},"comments":"","filter":{"fileTypes":[],
        "filterProcessedAssets":false},"cancellable":false,"resumable":false,"restartable":true}]}"#,
    )
    .unwrap();
    history.execution_history.into_iter().next().unwrap()
}

#[wasm_bindgen_test]
fn history_table_shows_a_row_per_job_with_its_columns() {
    let job = seed_history_job();
    let mut unknown = job.clone();
    unknown.processing_id = "second".into();
    unknown.status = asset_processing_api::Status::Other("PAUSED".into());
    let now = job.completed_at + 5 * 60_000;
    let host = mount(move || view! { <HistoryTable jobs=vec![job, unknown] now/> });

    let rows = host.query_selector_all("tbody tr").unwrap();
    assert_eq!(rows.length(), 2);
    let first: web_sys::HtmlElement = rows.get(0).unwrap().unchecked_into();
    let text = first.text_content().unwrap();
    assert!(text.contains("SUCCESS"), "{text}");
    assert!(text.contains("165f1de6-68c4-4dcd-9223-2b7242b62306"));
    assert!(text.contains("/content/dam/22858"));
    assert!(text.contains("6 of 6 (100 %)"), "{text}");
    assert!(text.contains("1 s"), "duration of 1.25 s: {text}");
    assert!(text.contains("5 min ago"), "{text}");
    // The absolute local time is on hover and for screen readers.
    let time = first.query_selector("time").unwrap().unwrap();
    assert!(time.get_attribute("title").is_some_and(|t| !t.is_empty()));
    // Unknown statuses are shown as they came.
    let second = rows.get(1).unwrap().text_content().unwrap();
    assert!(second.contains("PAUSED"), "{second}");
    // Column headers are real table headers.
    assert_eq!(
        host.query_selector_all("thead th[scope=col]")
            .unwrap()
            .length(),
        10
    );
}

#[wasm_bindgen_test]
fn empty_history_invites_to_start() {
    let host = mount(|| view! { <HistoryTable jobs=vec![] now=0/> });
    assert!(host.query_selector("table").unwrap().is_none());
    let text = host.text_content().unwrap();
    assert!(text.contains("No processing runs yet"), "{text}");
}

#[wasm_bindgen_test]
fn log_like_text_is_never_html() {
    let mut job = seed_history_job();
    job.path = "/content/dam/<img src=x onerror=alert(1)>".into();
    let host = mount(move || view! { <HistoryTable jobs=vec![job] now=0/> });
    assert!(
        host.query_selector("img").unwrap().is_none(),
        "markup in data stays text"
    );
    assert!(host
        .text_content()
        .unwrap()
        .contains("<img src=x onerror=alert(1)>"));
}
