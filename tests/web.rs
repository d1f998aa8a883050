//! Component tests in a real browser (headless Chromium through wasm-bindgen-test-runner):
//! `cargo test -p asset-processing-console --target wasm32-unknown-unknown --test web`.

#![cfg(target_arch = "wasm32")]

use asset_processing_api::{parse_json, History, Job};
use asset_processing_console::components::{ProgressBar, StatusBadge};
use asset_processing_console::format::Progress;
use asset_processing_console::pages::{HistorySort as Sort, HistoryTable};
use leptos::prelude::*;
use leptos_router::components::Router;
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
    // Row links are router links: mount inside a router, as the app does.
    let f = send_wrapper::SendWrapper::new(f);
    leptos::mount::mount_to(
        host.clone(),
        move || view! { <Router>{(f.take())()}</Router> },
    )
    .forget();
    host
}

/// Lets Leptos apply pending updates (effects run asynchronously).
async fn settle() {
    for _ in 0..3 {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    }
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
    use asset_processing_console::api::ApiClient;
    use asset_processing_console::components::use_job_actions;
    let job = seed_history_job();
    let mut unknown = job.clone();
    unknown.processing_id = "second".into();
    unknown.status = asset_processing_api::Status::Other("PAUSED".into());
    let sort = RwSignal::new(Sort::default());
    let host = mount(move || {
        provide_context(ApiClient::new(""));
        let actions = use_job_actions(Callback::new(|_| {}));
        view! { <HistoryTable rows=vec![job, unknown] sort actions/> }
    });

    let rows = host.query_selector_all("tbody tr").unwrap();
    assert_eq!(rows.length(), 2);
    let first: web_sys::HtmlElement = rows.get(0).unwrap().unchecked_into();
    let text = first.text_content().unwrap();
    // The status as AEM's screen says it, the API's word in its title.
    assert!(text.contains("Completed"), "{text}");
    let badge = first.query_selector(".apc-status").unwrap().unwrap();
    assert_eq!(badge.get_attribute("title").as_deref(), Some("SUCCESS"));
    assert!(
        text.contains("165f1de6…"),
        "ids show their first block: {text}"
    );
    let id_cell = first.query_selector("td.apc-mono").unwrap().unwrap();
    assert_eq!(
        id_cell.get_attribute("title").as_deref(),
        Some("165f1de6-68c4-4dcd-9223-2b7242b62306")
    );
    assert!(text.contains("/content/dam/22858"));
    // The folder is the row's link to its job.
    let link = first.query_selector("a.apc-runs__link").unwrap().unwrap();
    assert_eq!(
        link.get_attribute("aria-label").as_deref(),
        Some("View: /content/dam/22858")
    );
    assert!(text.contains("1 s"), "duration of 1.25 s: {text}");
    assert!(text.contains("ago") || text.contains("just now"), "{text}");
    // The absolute local time is on hover and for screen readers.
    let time = first.query_selector("time").unwrap().unwrap();
    assert!(time.get_attribute("title").is_some_and(|t| !t.is_empty()));
    // Unknown statuses are shown as they came.
    let second = rows.get(1).unwrap().text_content().unwrap();
    assert!(second.contains("PAUSED"), "{second}");
    // Column headers are real table headers; the sortable ones say how they sort.
    assert_eq!(
        host.query_selector_all("thead th[scope=col]")
            .unwrap()
            .length(),
        7,
        "status, folder, ID, started, duration, started by, actions"
    );
    assert_eq!(
        host.query_selector_all("thead th[aria-sort]")
            .unwrap()
            .length(),
        6
    );
    // Actions follow the job's flags: a finished job can be restarted and its logs
    // downloaded, not cancelled or resumed.
    let actions = first
        .query_selector("td.apc-row-actions")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(
        actions.contains("Restart")
            && actions.contains("Logs")
            && !actions.contains("Cancel")
            && !actions.contains("Resume"),
        "{actions}"
    );
}

#[wasm_bindgen_test]
fn filters_that_match_nothing_say_so() {
    let sort = RwSignal::new(Sort::default());
    let none: Vec<Job> = Vec::new();
    let host = mount(move || view! { <HistoryTable rows=none sort/> });
    let text = host.text_content().unwrap();
    assert!(text.contains("No run matches these filters."), "{text}");
}

#[wasm_bindgen_test]
async fn sorting_by_a_header_marks_it() {
    let sort = RwSignal::new(Sort::default());
    let host = mount(move || view! { <HistoryTable rows=vec![seed_history_job()] sort/> });
    let folder: web_sys::HtmlElement = host
        .query_selector("thead th.apc-runs__folder button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    folder.focus().unwrap();
    folder.click();
    settle().await;
    let th = host
        .query_selector("thead th.apc-runs__folder")
        .unwrap()
        .unwrap();
    assert_eq!(th.get_attribute("aria-sort").as_deref(), Some("ascending"));
    let mark = |th: &web_sys::Element| {
        th.query_selector(".apc-sort__mark")
            .unwrap()
            .unwrap()
            .text_content()
    };
    assert_eq!(mark(&th).as_deref(), Some("\u{25B2}"));
    // The column sorted before is not marked any more.
    let started = host
        .query_selector("thead th.apc-runs__started")
        .unwrap()
        .unwrap();
    assert_eq!(started.get_attribute("aria-sort").as_deref(), Some("none"));
    assert_eq!(mark(&started).as_deref(), Some(""));
    // The head is marked in place: the button pressed (from the keyboard too) keeps the focus.
    assert!(folder.is_connected());
    assert_eq!(
        document().active_element(),
        Some(folder.clone().unchecked_into())
    );
    folder.click();
    settle().await;
    assert_eq!(th.get_attribute("aria-sort").as_deref(), Some("descending"));
    assert_eq!(mark(&th).as_deref(), Some("\u{25BC}"));
}

/// The type column comes when the runs shown differ in type (the head is drawn again), and
/// the sort's mark and the head's clicks stay.
#[wasm_bindgen_test]
async fn the_type_column_comes_with_runs_of_two_types_and_the_sort_stays_marked() {
    let sort = RwSignal::new(Sort::default());
    let one = seed_history_job();
    let rows = RwSignal::new(vec![one.clone()]);
    let host = mount(move || view! { <HistoryTable rows=rows sort/> });
    settle().await;
    let th = |class: &str| {
        host.query_selector(&format!("thead th.apc-runs__{class}"))
            .unwrap()
    };
    assert!(
        th("type").is_none(),
        "one type: said above the table, not a column"
    );
    let press_folder = || {
        let button: web_sys::HtmlElement = th("folder")
            .unwrap()
            .query_selector("button")
            .unwrap()
            .unwrap()
            .unchecked_into();
        button.click();
    };
    press_folder();
    settle().await;
    let mut other = one.clone();
    other.processing_id = "other-type".into();
    other.kind = asset_processing_api::ProcessingType::Other("PDF_GENERATION".into());
    rows.set(vec![one, other]);
    settle().await;
    assert!(th("type").is_some(), "two types: a column");
    let folder = th("folder").unwrap();
    assert_eq!(
        folder.get_attribute("aria-sort").as_deref(),
        Some("ascending")
    );
    let mark = folder.query_selector(".apc-sort__mark").unwrap().unwrap();
    assert_eq!(mark.text_content().as_deref(), Some("\u{25B2}"));
    press_folder();
    settle().await;
    assert_eq!(
        th("folder").unwrap().get_attribute("aria-sort").as_deref(),
        Some("descending")
    );
}

#[wasm_bindgen_test]
async fn progress_is_indeterminate_until_counted() {
    let progress = RwSignal::new(Progress {
        handled: 0,
        total: None,
    });
    let host = mount(move || view! { <ProgressBar progress=progress label="Progress"/> });
    let bar = host.query_selector("[role=progressbar]").unwrap().unwrap();
    assert!(bar.get_attribute("aria-valuenow").is_none());
    assert!(bar.class_name().contains("indeterminate"));
    progress.set(Progress {
        handled: 25,
        total: Some(100),
    });
    settle().await;
    assert_eq!(bar.get_attribute("aria-valuenow").as_deref(), Some("25"));
    assert!(!bar.class_name().contains("indeterminate"));
    assert!(host.text_content().unwrap().contains("25 of 100 (25 %)"));
}

#[wasm_bindgen_test]
fn unknown_statuses_show_as_they_came() {
    let host = mount(
        || view! { <StatusBadge status=asset_processing_api::Status::Other("PAUSED".into())/> },
    );
    assert_eq!(host.text_content().unwrap().trim(), "PAUSED");
}

#[wasm_bindgen_test]
fn log_like_text_is_never_html() {
    let mut job = seed_history_job();
    job.path = "/content/dam/<img src=x onerror=alert(1)>".into();
    let sort = RwSignal::new(Sort::default());
    let host = mount(move || view! { <HistoryTable rows=vec![job] sort/> });
    assert!(
        host.query_selector("img").unwrap().is_none(),
        "markup in data stays text"
    );
    assert!(host
        .text_content()
        .unwrap()
        .contains("<img src=x onerror=alert(1)>"));
}

/// A log of `n` lines, every 50th a WARN, and one line of markup.
fn log_lines(n: u64) -> Vec<String> {
    (0..n)
        .map(|i| match i {
            3 => "2026-11-29T03:35:00.000Z ERROR <img src=x onerror=alert(1)> broken".to_string(),
            i if i % 50 == 7 => format!("2026-11-29T03:35:00.000Z WARN line {i}"),
            i => format!("2026-11-29T03:35:00.000Z INFO line {i}"),
        })
        .collect()
}

/// Mounts a viewer over a feed that already holds `lines` (no server: nothing is fetched).
fn mount_viewer(
    lines: Vec<String>,
    running: bool,
) -> (
    web_sys::HtmlElement,
    asset_processing_console::components::LogFeed,
    RwSignal<bool>,
) {
    use asset_processing_console::components::{LogFeed, LogViewer};
    let feed = LogFeed::new();
    feed.cache.update(|c| {
        c.insert(0, lines);
    });
    let running = RwSignal::new(running);
    // The tests share one page: a line link another test left in the address (one that
    // failed before it took it out) would open this viewer at that line, not at the end.
    clear_line_link();
    // The console's own stylesheet, as the page has it.
    let document = document();
    if document.get_element_by_id("apc-test-css").is_none() {
        let style = document.create_element("style").unwrap();
        style.set_id("apc-test-css");
        style.set_text_content(Some(include_str!("../style/console.css")));
        document.head().unwrap().append_child(&style).unwrap();
    }
    let host = mount(move || {
        view! {
            <div class="apc-root" style="width: 900px">
                <LogViewer id="job" feed running=Signal::from(running) download=Signal::stored(None::<String>)/>
            </div>
        }
    });
    (host, feed, running)
}

fn scroller(host: &web_sys::HtmlElement) -> web_sys::HtmlElement {
    host.query_selector(".apc-logv__scroller")
        .unwrap()
        .unwrap()
        .unchecked_into()
}

fn row_numbers(host: &web_sys::HtmlElement) -> Vec<u64> {
    let rows = host.query_selector_all(".apc-logv__row").unwrap();
    (0..rows.length())
        .map(|k| {
            let e: web_sys::Element = rows.get(k).unwrap().unchecked_into();
            e.get_attribute("data-line").unwrap().parse().unwrap()
        })
        .collect()
}

async fn frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .request_animation_frame(&resolve)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    settle().await;
}

async fn scroll_to(host: &web_sys::HtmlElement, top: i32) {
    let s = scroller(host);
    s.set_scroll_top(top);
    s.dispatch_event(&web_sys::Event::new("scroll").unwrap())
        .unwrap();
    frame().await;
}

#[wasm_bindgen_test]
async fn log_viewer_renders_only_the_rows_on_screen_and_opens_at_the_end() {
    let (host, _feed, _) = mount_viewer(log_lines(5_000), false);
    frame().await;
    frame().await;
    let numbers = row_numbers(&host);
    assert!(
        !numbers.is_empty() && numbers.len() <= 200,
        "{}",
        numbers.len()
    );
    assert_eq!(*numbers.last().unwrap(), 5_000, "opens at the end");
    assert!(
        numbers.windows(2).all(|w| w[1] == w[0] + 1),
        "in order, each once"
    );
    // The scroll area stands for every line.
    let s = scroller(&host);
    assert!(s.scroll_height() >= 5_000 * 20 - 1, "{}", s.scroll_height());
    assert!(host.text_content().unwrap().contains("of 5,000"));

    // Scrolled to the top: the first rows, still few of them.
    scroll_to(&host, 0).await;
    let numbers = row_numbers(&host);
    assert_eq!(numbers.first(), Some(&1));
    assert!(numbers.len() <= 200);
    // Markup in a line is text; ERROR and WARN are marked with a text marker too.
    assert!(host.query_selector(".apc-logv img").unwrap().is_none());
    let error = host
        .query_selector(".apc-logv__row[data-line=\"4\"]")
        .unwrap()
        .unwrap();
    assert!(error.class_name().contains("apc-logv__row--error"));
    assert!(error
        .text_content()
        .unwrap()
        .contains("<img src=x onerror=alert(1)>"));
    let warn = host
        .query_selector(".apc-logv__row[data-line=\"8\"] .apc-logv__mark")
        .unwrap()
        .unwrap();
    assert_eq!(warn.get_attribute("title").as_deref(), Some("Warning"));
}

#[wasm_bindgen_test]
async fn log_viewer_search_marks_matches_and_counts_what_it_searched() {
    let (host, _feed, _) = mount_viewer(log_lines(2_000), false);
    frame().await;
    frame().await;
    let input: web_sys::HtmlInputElement = host
        .query_selector("#apc-logv-find")
        .unwrap()
        .unwrap()
        .unchecked_into();
    input.set_value("WARN line 1957");
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    frame().await;
    let count = host
        .query_selector("#apc-logv-count")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(count, "1 match in the whole log");
    // "Next match" shows it, marked, wherever it is.
    let next: web_sys::HtmlElement = host
        .query_selector("button[aria-label=\"Next match\"]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    next.click();
    frame().await;
    frame().await;
    let current = host
        .query_selector(".apc-logv__row[aria-current=\"true\"]")
        .unwrap()
        .expect("the match is shown and marked");
    assert_eq!(current.get_attribute("data-line").as_deref(), Some("1958"));
    let mark = host
        .query_selector("mark.apc-logv__hit")
        .unwrap()
        .unwrap_or_else(|| panic!("no mark among rows {:?}", row_numbers(&host)));
    assert_eq!(mark.text_content().unwrap(), "WARN line 1957");
}

#[wasm_bindgen_test]
async fn log_viewer_pauses_when_scrolled_up_and_counts_new_lines() {
    let (host, feed, _running) = mount_viewer(log_lines(3_000), true);
    frame().await;
    frame().await;
    assert!(host.query_selector(".apc-logv__latest").unwrap().is_none());
    scroll_to(&host, 0).await;
    feed.cache.update(|c| {
        c.insert(3_000, log_lines(3_004)[3_000..].to_vec());
    });
    frame().await;
    let button = host
        .query_selector(".apc-logv__latest")
        .unwrap()
        .expect("a paused viewer says there is more");
    assert_eq!(
        button.text_content().unwrap(),
        "4 new lines, jump to latest"
    );
    assert_eq!(
        row_numbers(&host).first(),
        Some(&1),
        "the reader stays where they were"
    );
    let button: web_sys::HtmlElement = button.unchecked_into();
    button.click();
    frame().await;
    frame().await;
    assert_eq!(row_numbers(&host).last(), Some(&3_004));
    assert!(host.query_selector(".apc-logv__latest").unwrap().is_none());
}

/// Answers the page's `fetch` itself (no server in these tests): a CSRF token, and for any
/// other request `answer` as JSON. Every request is recorded as "METHOD path processingId"
/// in `window.apcRequests`.
fn fake_fetch(answer: &str) {
    let install = js_sys::Function::new_with_args(
        "answer",
        "window.apcRequests = [];
         window.fetch = async (input) => {
           const request = input instanceof Request ? input : new Request(input);
           const url = new URL(request.url);
           window.apcRequests.push(request.method + ' ' + url.pathname + ' ' + (url.searchParams.get('processingId') ?? ''));
           const body = request.url.includes('/csrf/token.json') ? '{\"token\":\"t\"}' : answer;
           return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
         };",
    );
    install
        .call1(&wasm_bindgen::JsValue::NULL, &answer.into())
        .unwrap();
}

fn fetched() -> Vec<String> {
    let requests =
        js_sys::Reflect::get(&web_sys::window().unwrap(), &"apcRequests".into()).unwrap();
    js_sys::Array::from(&requests)
        .iter()
        .filter_map(|v| v.as_string())
        .collect()
}

fn running_job() -> Job {
    let mut job = seed_history_job();
    job.processing_id = "j1".into();
    job.status = asset_processing_api::Status::Running;
    job.cancellable = true;
    job.restartable = false;
    job
}

#[wasm_bindgen_test]
async fn cancel_asks_first_then_shows_cancelling_until_the_server_says_cancelled() {
    use asset_processing_console::api::ApiClient;
    use asset_processing_console::components::{use_job_actions, JobActions, JobActionsOutlet};
    let job = running_job();
    // The server accepted the cancel; the worker stops at its next commit: still RUNNING.
    fake_fetch(&serde_json::to_string(&job).unwrap());
    let ctl = send_wrapper::SendWrapper::new(std::rc::Rc::new(std::cell::Cell::new(None)));
    let answered = RwSignal::new(None::<Job>);
    let host = {
        let (job, ctl) = (job.clone(), ctl.clone());
        mount(move || {
            provide_context(ApiClient::new(""));
            let actions = use_job_actions(Callback::new(move |j| answered.set(Some(j))));
            ctl.set(Some(actions));
            view! { <div class="apc-actions"><JobActions job ctl=actions/></div><JobActionsOutlet ctl=actions/> }
        })
    };
    let ctl = ctl.get().unwrap();
    let cancel: web_sys::HtmlElement = host
        .query_selector(".apc-actions button[data-action=cancel]")
        .unwrap()
        .expect("a running job offers cancel")
        .unchecked_into();
    assert_eq!(cancel.text_content().unwrap(), "Cancel job");
    cancel.click();
    settle().await;
    // It asks first, and nothing is sent before the person confirms.
    let dialog: web_sys::HtmlDialogElement = host
        .query_selector("dialog[open]")
        .unwrap()
        .expect("the confirmation is open")
        .unchecked_into();
    assert!(dialog.text_content().unwrap().contains("Cancel this job?"));
    assert!(fetched().is_empty(), "{:?}", fetched());
    let confirm: web_sys::HtmlElement = dialog
        .query_selector(".apc-button--negative")
        .unwrap()
        .unwrap()
        .unchecked_into();
    confirm.click();
    for _ in 0..5 {
        settle().await;
    }
    assert!(!dialog.open());
    assert_eq!(
        fetched()
            .iter()
            .filter(|r| r.starts_with("POST "))
            .collect::<Vec<_>>(),
        vec!["POST /bin/guides/v1/assets/process/cancel j1"]
    );
    // The answer says RUNNING: "Cancelling…", the cancel button disabled, and the page gets
    // the job as the server sent it (never a CANCELLED of the console's own making).
    let actions = host.query_selector(".apc-actions").unwrap().unwrap();
    assert!(actions.text_content().unwrap().contains("Cancelling…"));
    assert!(cancel.has_attribute("disabled"));
    assert_eq!(
        answered.get_untracked().map(|j| j.status),
        Some(asset_processing_api::Status::Running)
    );
    // A poll that still says RUNNING changes nothing; the server's CANCELLED ends it.
    ctl.observe(&job);
    settle().await;
    assert!(actions.text_content().unwrap().contains("Cancelling…"));
    let mut cancelled = job.clone();
    cancelled.status = asset_processing_api::Status::Cancelled;
    ctl.observe(&cancelled);
    settle().await;
    assert!(!actions.text_content().unwrap().contains("Cancelling…"));
}

#[wasm_bindgen_test]
async fn dismissing_the_confirmation_sends_nothing() {
    use asset_processing_console::api::ApiClient;
    use asset_processing_console::components::{use_job_actions, JobActions, JobActionsOutlet};
    fake_fetch("{}");
    let mut job = seed_history_job();
    job.processing_id = "j2".into();
    let host = mount(move || {
        provide_context(ApiClient::new(""));
        let actions = use_job_actions(Callback::new(|_| {}));
        view! { <JobActions job ctl=actions compact=true/><JobActionsOutlet ctl=actions/> }
    });
    // A finished job: restart only, named with its folder for screen readers.
    let restart: web_sys::HtmlElement = host
        .query_selector("button[data-action=restart]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(
        restart.get_attribute("aria-label").as_deref(),
        Some("Restart: /content/dam/22858")
    );
    assert!(host
        .query_selector("button[data-action=cancel]")
        .unwrap()
        .is_none());
    restart.click();
    settle().await;
    let dialog = host
        .query_selector("dialog[open]")
        .unwrap()
        .expect("asks first");
    assert!(dialog.text_content().unwrap().contains("Restart this job?"));
    let keep: web_sys::HtmlElement = dialog
        .query_selector(".apc-button--secondary")
        .unwrap()
        .unwrap()
        .unchecked_into();
    keep.click();
    settle().await;
    assert!(host.query_selector("dialog[open]").unwrap().is_none());
    assert!(fetched().is_empty(), "{:?}", fetched());
}

#[wasm_bindgen_test]
async fn history_rows_offer_a_compare_box_named_after_the_run() {
    let job = seed_history_job();
    let mut second = job.clone();
    second.processing_id = "0a1b2c3d-second".into();
    second.path = "/content/dam/other".into();
    let sort = RwSignal::new(Sort::default());
    let picked = RwSignal::new(Vec::<String>::new());
    let host = mount(move || view! { <HistoryTable rows=vec![job, second] sort picks=picked/> });
    // One more column, its header says (to screen readers) what the boxes are for.
    assert_eq!(
        host.query_selector_all("thead th[scope=col]")
            .unwrap()
            .length(),
        8
    );
    assert_eq!(
        host.query_selector("thead th.apc-runs__pick")
            .unwrap()
            .unwrap()
            .text_content()
            .as_deref(),
        Some("Compare")
    );
    let boxes = host.query_selector_all("input.apc-compare__pick").unwrap();
    assert_eq!(boxes.length(), 2);
    let first: web_sys::HtmlInputElement = boxes.get(0).unwrap().unchecked_into();
    let other: web_sys::HtmlInputElement = boxes.get(1).unwrap().unchecked_into();
    assert_eq!(first.type_(), "checkbox");
    assert_eq!(
        first.get_attribute("aria-label").as_deref(),
        Some("Compare run 165f1de6… on /content/dam/22858")
    );
    other.click();
    first.click();
    settle().await;
    assert_eq!(
        picked.get_untracked(),
        ["0a1b2c3d-second", "165f1de6-68c4-4dcd-9223-2b7242b62306"]
    );
    assert!(first.checked() && other.checked());
    other.click();
    settle().await;
    assert_eq!(
        picked.get_untracked(),
        ["165f1de6-68c4-4dcd-9223-2b7242b62306"]
    );
    assert!(!other.checked());
    // Picked from elsewhere (the page keeps the picks across refreshes): the box follows.
    picked.set(Vec::new());
    settle().await;
    assert!(!first.checked());
}

/// Sets a `<select>`'s value and tells the page, as a person choosing an option does.
fn choose(host: &web_sys::HtmlElement, selector: &str, value: &str) {
    let select = host.query_selector(selector).unwrap().unwrap();
    js_sys::Reflect::set(&select, &"value".into(), &value.into()).unwrap();
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

/// A click on line `n`'s number, with Shift held or not.
fn click_number(host: &web_sys::HtmlElement, n: u64, shift: bool) {
    let link = host
        .query_selector(&format!(".apc-logv__row[data-line=\"{n}\"] .apc-logv__num"))
        .unwrap()
        .unwrap_or_else(|| panic!("line {n} is not drawn: {:?}", row_numbers(host)));
    let init = js_sys::Object::new();
    for (k, v) in [("bubbles", true), ("cancelable", true), ("shiftKey", shift)] {
        js_sys::Reflect::set(&init, &k.into(), &v.into()).unwrap();
    }
    let ctor: js_sys::Function = js_sys::Reflect::get(&js_sys::global(), &"MouseEvent".into())
        .unwrap()
        .unchecked_into();
    let event =
        js_sys::Reflect::construct(&ctor, &js_sys::Array::of2(&"click".into(), &init)).unwrap();
    link.dispatch_event(event.unchecked_ref()).unwrap();
}

#[wasm_bindgen_test]
async fn log_viewer_filter_shows_only_problem_lines_with_their_numbers_and_counts() {
    let (host, _feed, _) = mount_viewer(log_lines(5_000), false);
    frame().await;
    frame().await;
    choose(&host, "#apc-logv-filter", "errors");
    frame().await;
    frame().await;
    assert_eq!(
        row_numbers(&host),
        vec![4],
        "the one ERROR line, with its own number"
    );
    let count = |host: &web_sys::HtmlElement| {
        host.query_selector("#apc-logv-filter-count")
            .unwrap()
            .map(|e| e.text_content().unwrap())
    };
    assert_eq!(
        count(&host).as_deref(),
        Some("1 line in the whole log (5,000 lines)")
    );
    choose(&host, "#apc-logv-filter", "problems");
    frame().await;
    frame().await;
    let shown = row_numbers(&host);
    assert!(shown.len() <= 200, "{}", shown.len());
    // Every 50th line from line 8 is a WARN, line 4 the ERROR: 101 rows, the list at its end.
    assert_eq!(shown.last(), Some(&4_958));
    assert!(shown.windows(2).all(|w| w[1] == w[0] + 50), "{shown:?}");
    assert_eq!(
        count(&host).as_deref(),
        Some("101 lines in the whole log (5,000 lines)")
    );
    let setsize = host
        .query_selector(".apc-logv__row[data-line=\"4958\"]")
        .unwrap()
        .unwrap()
        .get_attribute("aria-setsize");
    assert_eq!(setsize.as_deref(), Some("101"));
    choose(&host, "#apc-logv-filter", "all");
    frame().await;
    frame().await;
    assert_eq!(row_numbers(&host).last(), Some(&5_000));
    assert!(count(&host).is_none(), "no count without a filter");
}

#[wasm_bindgen_test]
async fn log_viewer_shift_click_marks_a_range_and_names_it_in_the_address() {
    let (host, _feed, _) = mount_viewer(log_lines(3_000), false);
    frame().await;
    frame().await;
    scroll_to(&host, 0).await;
    click_number(&host, 5, false);
    frame().await;
    click_number(&host, 9, true);
    frame().await;
    assert_eq!(marked_lines(&host), vec![5, 6, 7, 8, 9]);
    let hash = web_sys::window().unwrap().location().hash().unwrap();
    assert_eq!(hash, "#L5-L9");
    assert!(host
        .text_content()
        .unwrap()
        .contains("Lines 5–9 selected (5 lines)"));
    clear_line_link();
}

/// A click on a line number follows its link (`#L5`), and the browser says so a task later
/// (`hashchange`), later still on a busy machine. A Shift+click that comes first keeps its
/// range: the late news of the first click does not mark line 5 alone again.
#[wasm_bindgen_test]
async fn log_viewer_a_shift_click_right_after_a_click_keeps_its_range() {
    let (host, _feed, _) = mount_viewer(log_lines(3_000), false);
    frame().await;
    frame().await;
    scroll_to(&host, 0).await;
    let window = web_sys::window().unwrap();
    let changed = js_sys::Promise::new(&mut |resolve, _| window.set_onhashchange(Some(&resolve)));
    click_number(&host, 5, false);
    // The first click's address change is in (its task has run), the next frame is not.
    wasm_bindgen_futures::JsFuture::from(changed).await.unwrap();
    window.set_onhashchange(None);
    click_number(&host, 9, true);
    frame().await;
    frame().await;
    assert_eq!(marked_lines(&host), vec![5, 6, 7, 8, 9]);
    let hash = web_sys::window().unwrap().location().hash().unwrap();
    assert_eq!(hash, "#L5-L9");
    clear_line_link();
}

/// The lines marked (`aria-current`) among those drawn.
fn marked_lines(host: &web_sys::HtmlElement) -> Vec<u64> {
    let rows = host
        .query_selector_all(".apc-logv__row[aria-current=\"true\"]")
        .unwrap();
    (0..rows.length())
        .map(|k| {
            let e: web_sys::Element = rows.get(k).unwrap().unchecked_into();
            e.get_attribute("data-line").unwrap().parse().unwrap()
        })
        .collect()
}

/// Takes a line link (`#L…`) out of the address without a navigation.
fn clear_line_link() {
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("#"))
        .unwrap();
}
