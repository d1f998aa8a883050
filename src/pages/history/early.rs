//! The history as the first screen draws it before the console's app code is in
//! (`first_screen.rs`): the same table the page's view draws, for the view a person sees
//! first (every run, newest first, nobody's runs left out), built from the same pure parts
//! (`rules`, `rows`). No Leptos here: this is the main module's part of the history.

use std::fmt::Write;

use asset_processing_api::{History, Job, JobAction, Status};
use wasm_bindgen::JsCast;

use super::rows::{self, ActionsNow, Formats, Offers, WIDTH_ATTR};
use super::rules::{self, Sort, StartedBy, StatusFilter, Whose};
use super::{SIZES, STARTED_BY_KEY};
use crate::text;

/// What the early rows call a run's id (the app's rows: `data-processing-id`).
pub const EARLY_ID_ATTR: &str = "data-early-id";

/// The actions as they stand before anyone has pressed one: every action the run's flags
/// allow, nothing being cancelled (what `JobActionsCtl` says until its first request).
struct AtRest;

impl ActionsNow for AtRest {
    fn enabled(&self, _: &Job, _: JobAction) -> bool {
        true
    }
    fn is_cancelling(&self, _: &Job) -> bool {
        false
    }
}

/// Whether the page's first view is the one drawn here: "Started by" remembered as anyone
/// (the signed-in user is not known before the app asks for it).
pub fn first_view_is_everyone() -> bool {
    StartedBy::from_key(&crate::browser::session_get(STARTED_BY_KEY).unwrap_or_default())
        == StartedBy::Anyone
}

/// The history page drawn early, in two parts: the page with the runs a window shows, and the
/// rows of the runs below them.
#[derive(Debug, PartialEq)]
pub struct EarlyPage {
    /// The heading, the tool bar, the line above the table and the table with its first runs.
    pub html: String,
    /// The rows of the runs after them, in parts of at most `ROWS_PER_FRAME` runs (none when
    /// every run is in `html`), for the table's body one frame after another once the first
    /// are painted.
    pub rest: Vec<String>,
}

/// The most runs' rows drawn in one frame after the first part: laid out while the renderer
/// is still starting, a run's row took up to about 1 ms, so a frame of them stays well under
/// 50 ms (docs/performance.md, seventeenth session).
pub const ROWS_PER_FRAME: usize = 25;

/// The history page as its view draws it for the first view of `history` (the heading and
/// the tool bar as they stand before anyone has used them, the line above the table when every
/// run has the same type, the table in its region), its table holding the first `first` runs
/// and `rest` the others, or None when the page would show something else (no runs: the empty
/// page). `new_job` is the start form's address.
pub fn table_html(
    history: History,
    limit: u32,
    first: usize,
    new_job: &str,
    href: &dyn Fn(&str) -> String,
    logs: &dyn Fn(&str) -> String,
    formats: &Formats,
) -> Option<EarlyPage> {
    let history = rules::as_asked(history, limit);
    if history.execution_history.is_empty() {
        return None;
    }
    let jobs = rules::view(
        &history.execution_history,
        &StatusFilter::All,
        &Whose::default(),
        "",
        Sort::default(),
        formats.now,
    );
    let kinds = rules::one_kind(&jobs);
    let with_type = kinds == Some(None);
    let picks: &[String] = &[];
    let offers = Offers {
        href,
        picks: Some(picks),
        actions: Some(&AtRest),
        logs: Some(logs),
        files: &|_| None,
        with_type,
        // The runs' ids under another name: nothing (the app's clicks, a test's locators) takes
        // these rows for the app's, which replace them.
        id_attr: EARLY_ID_ATTR,
    };
    let mut out = panel_head_html(new_job, limit);
    if let Some(Some(kind)) = &kinds {
        out.push_str("<p class=\"apc-runs__kind apc-muted\">");
        rows::escape(&mut out, &text::every_run_is(kind));
        out.push_str("</p>");
    }
    out.push_str("<div class=\"apc-runs-wrap\" role=\"region\" aria-label=\"");
    rows::escape(&mut out, text::RUNS_TABLE);
    out.push_str("\"><table class=\"apc-table apc-runs\"><thead>");
    out.push_str(&rows::head_html(Sort::default(), true, with_type));
    out.push_str("</thead><tbody>");
    let (shown, below) = jobs.split_at(first.clamp(1, jobs.len()));
    out.push_str(&rows::rows_html(shown, &offers, formats));
    out.push_str("</tbody></table></div>");
    let rest = parts(below.len())
        .map(|range| rows::rows_html(&below[range], &offers, formats))
        .collect();
    Some(EarlyPage { html: out, rest })
}

/// `n` runs in the fewest parts of at most `ROWS_PER_FRAME`, as even as they come.
fn parts(n: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    let count = n.div_ceil(ROWS_PER_FRAME);
    (0..count).map(move |i| i * n / count..(i + 1) * n / count)
}

/// How many runs the first part of the early page holds in a window `height` CSS pixels high:
/// more than fit in it (no row is lower than `ROW_LEAST_PX`, and the heading and tool bar
/// above the table take some of it), so the window is full when the first part is painted.
pub fn runs_first(height: f64) -> usize {
    /// A one-line run's row (20 px of text and 8 px of padding above and below it) and more.
    const ROW_LEAST_PX: f64 = 36.0;
    let height = if height.is_finite() {
        height.max(0.0)
    } else {
        0.0
    };
    (height / ROW_LEAST_PX).ceil() as usize + 1
}

/// The page's heading and tool bar as `HistoryPage` draws them at first: the same elements,
/// classes and words (the signed-in user not known yet, nothing typed or ticked), so that
/// nothing moves when the app's own take their place. No ids: the app's are in the page
/// alongside for a moment.
fn panel_head_html(new_job: &str, limit: u32) -> String {
    let mut out = String::with_capacity(2_000);
    out.push_str("<div class=\"apc-panel__head\"><h1 class=\"apc-panel__title\">");
    rows::escape(&mut out, text::HISTORY_TITLE);
    out.push_str("</h1><a class=\"apc-button apc-button--primary apc-link-button\" href=\"");
    rows::escape(&mut out, new_job);
    out.push_str("\">");
    rows::escape(&mut out, text::NEW_JOB);
    out.push_str("</a></div><div class=\"apc-toolbar\"><label class=\"apc-toolbar__item\">");
    rows::escape(&mut out, text::SHOW);
    out.push_str("<select class=\"apc-input\">");
    let sizes: std::collections::BTreeSet<u32> = SIZES.iter().copied().chain([limit]).collect();
    for n in sizes {
        let selected = if n == limit { " selected" } else { "" };
        let _ = write!(out, "<option value=\"{n}\"{selected}>{n}</option>");
    }
    out.push_str("</select>");
    rows::escape(&mut out, text::RUNS);
    out.push_str("</label><label class=\"apc-toolbar__item\">");
    rows::escape(&mut out, text::FILTER_STATUS);
    out.push_str("<select class=\"apc-input\">");
    let option = |out: &mut String, key: &str, words: &str| {
        out.push_str("<option value=\"");
        rows::escape(out, key);
        out.push_str("\">");
        rows::escape(out, words);
        out.push_str("</option>");
    };
    option(&mut out, &StatusFilter::All.key(), text::ALL_STATUSES);
    option(&mut out, &StatusFilter::Active.key(), text::ACTIVE_STATUSES);
    for status in Status::KNOWN.iter() {
        option(
            &mut out,
            &StatusFilter::Only(status.clone()).key(),
            text::status_word(status),
        );
    }
    out.push_str("</select></label><label class=\"apc-toolbar__item\">");
    rows::escape(&mut out, text::FILTER_STARTED_BY);
    out.push_str("<select class=\"apc-input\">");
    option(&mut out, StartedBy::Anyone.key(), text::STARTED_BY_ANYONE);
    option(
        &mut out,
        StartedBy::Others.key(),
        text::STARTED_BY_OTHERS_THAN,
    );
    out.push_str("</select></label><input class=\"apc-input apc-toolbar__search\" type=\"search\" placeholder=\"");
    rows::escape(&mut out, text::FILTER_TEXT);
    out.push_str("\"><span class=\"apc-toolbar__item apc-compare__select\"><button class=\"apc-button apc-button--secondary\" type=\"button\" disabled>");
    rows::escape(&mut out, text::COMPARE_SELECTED);
    out.push_str("</button><span class=\"apc-muted\">");
    rows::escape(&mut out, &text::compare_picked(0));
    out.push_str("</span></span></div>");
    out
}

/// The reader's words for times, and now.
pub fn formats() -> Formats<'static> {
    Formats {
        now: js_sys::Date::now() as i64,
        date_time: &crate::browser::exact_time,
        relative: &crate::browser::relative_time,
        short_date: &crate::browser::short_date,
    }
}

/// Gives the running runs' bars under `root` their width (the CSP refuses `style`
/// attributes, so the rows carry it in `data-width`).
pub fn set_bar_widths(root: &web_sys::Element) {
    let Ok(bars) = root.query_selector_all(&format!("[{WIDTH_ATTR}]")) else {
        return;
    };
    for i in 0..bars.length() {
        if let Some(bar) = bars
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let width = bar.get_attribute(WIDTH_ATTR).unwrap_or_default();
            let _ = bar.style().set_property("width", &format!("{width}%"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(json: &str) -> History {
        serde_json::from_str(json).unwrap()
    }

    const RUNS: &str = r#"{"executionHistory":[
        {"processingId":"a1","path":"/content/dam/a","status":"SUCCESS","startedAt":1764000000000,
         "completedAt":1764000001000,"createdBy":"admin","hasLogs":true,"restartable":true,"type":"DITA_ASSETS"},
        {"processingId":"b2","path":"/content/dam/b","status":"RUNNING","startedAt":1763999000000,
         "createdBy":"admin","cancellable":true,"triggeredCount":5,
         "migrationSet":{"totalFiles":10,"calculationStatus":"SUCCESS"},"type":"DITA_ASSETS"},
        {"processingId":"c3","path":"/content/dam/c","status":"FAILED","startedAt":1762999000000,
         "completedAt":1763000000000,"createdBy":"someone","type":"DITA_ASSETS"}
    ]}"#;

    fn formats() -> Formats<'static> {
        Formats {
            now: 1_764_000_060_000,
            date_time: &|ms| format!("t{ms}"),
            relative: &|v, unit| format!("{v} {unit}"),
            short_date: &|ms| format!("d{ms}"),
        }
    }

    fn table(json: &str, limit: u32) -> Option<String> {
        let href = |id: &str| format!("/jobs/{id}");
        let logs = |id: &str| format!("/logs?id={id}");
        table_html(
            history(json),
            limit,
            usize::MAX,
            "/new",
            &href,
            &logs,
            &formats(),
        )
        .map(|page| {
            assert!(page.rest.is_empty(), "every run in the first part");
            page.html
        })
    }

    #[test]
    fn the_first_view_is_every_run_newest_first_with_the_actions_their_flags_allow() {
        let html = table(RUNS, 10).unwrap();
        let rows: Vec<_> = html
            .match_indices("data-early-id=\"")
            .map(|(i, _)| &html[i + 15..i + 17])
            .collect();
        assert_eq!(rows, ["a1", "b2", "c3"]);
        // The same rows as the page's view draws for the same runs, and nothing ticked.
        let jobs = history(RUNS).execution_history;
        let href = |id: &str| format!("/jobs/{id}");
        let logs = |id: &str| format!("/logs?id={id}");
        let offers = Offers {
            href: &href,
            picks: Some(&[]),
            actions: Some(&AtRest),
            logs: Some(&logs),
            files: &|_| None,
            with_type: false,
            id_attr: EARLY_ID_ATTR,
        };
        assert!(html.contains(&rows::rows_html(&jobs, &offers, &formats())));
        assert!(!html.contains("data-processing-id"));
        assert!(!html.contains(" checked"));
        assert!(html.contains("href=\"/jobs/b2\""));
        assert!(
            html.contains("data-key=\"cancel\""),
            "the running run's Cancel: {html}"
        );
        // One type for every run: said once above the table, no type column.
        assert!(html.contains("</div><p class=\"apc-runs__kind apc-muted\">Feature type: DITA_ASSETS</p><div class=\"apc-runs-wrap\""));
        // The heading and tool bar as the page draws them at first, without ids.
        assert!(html.starts_with("<div class=\"apc-panel__head\"><h1 class=\"apc-panel__title\">Recent runs</h1><a class=\"apc-button apc-button--primary apc-link-button\" href=\"/new\">Start a job</a></div><div class=\"apc-toolbar\">"));
        assert!(html.contains("<option value=\"10\" selected>10</option><option value=\"25\">"));
        assert!(!html.contains(" id="));
        assert!(!html.contains("apc-runs__type"));
        assert!(html.contains("role=\"region\" aria-label=\""));
    }

    #[test]
    fn the_limit_holds_and_types_that_differ_are_a_column() {
        let mixed = RUNS.replacen("\"type\":\"DITA_ASSETS\"}", "\"type\":\"OTHER\"}", 1);
        let html = table(&mixed, 2).unwrap();
        assert_eq!(html.matches("data-early-id=").count(), 2);
        assert!(html.contains("<th scope=\"col\" class=\"apc-runs__type\">"));
        assert!(!html.contains("apc-runs__kind"));
    }

    #[test]
    fn the_runs_below_the_window_come_apart_in_the_same_order_and_form() {
        let href = |id: &str| format!("/jobs/{id}");
        let logs = |id: &str| format!("/logs?id={id}");
        let all = table(RUNS, 10).unwrap();
        let split =
            |first| table_html(history(RUNS), 10, first, "/new", &href, &logs, &formats()).unwrap();
        let page = split(2);
        let ids = |html: &str| -> Vec<String> {
            html.match_indices("data-early-id=\"")
                .map(|(i, _)| html[i + 15..i + 17].to_string())
                .collect()
        };
        assert_eq!(ids(&page.html), ["a1", "b2"]);
        assert_eq!(page.rest.len(), 1);
        assert_eq!(ids(&page.rest[0]), ["c3"]);
        assert!(page.rest[0].starts_with("<tr class=\"apc-table__row\""));
        // Put together, the page as drawn in one piece.
        assert_eq!(
            page.html
                .replace("</tbody>", &format!("{}</tbody>", page.rest.concat())),
            all
        );
        // At least one run first, and nothing left when every run fits.
        assert_eq!(ids(&split(0).html), ["a1"]);
        assert_eq!(split(0).rest.len(), 1, "two runs in one part");
        assert!(split(3).rest.is_empty());
        assert!(split(usize::MAX).rest.is_empty());
    }

    #[test]
    fn the_runs_below_come_in_even_parts_of_at_most_a_frames_worth() {
        let sizes = |n| parts(n).map(|r| r.len()).collect::<Vec<_>>();
        assert_eq!(sizes(0), Vec::<usize>::new());
        assert_eq!(sizes(1), [1]);
        assert_eq!(sizes(ROWS_PER_FRAME), [ROWS_PER_FRAME]);
        assert_eq!(sizes(ROWS_PER_FRAME + 1), [13, 13]);
        assert_eq!(sizes(79), [19, 20, 20, 20]);
        // In order, each run once.
        let runs: Vec<usize> = parts(979).flatten().collect();
        assert_eq!(runs, (0..979).collect::<Vec<_>>());
        assert!(parts(979).all(|r| r.len() <= ROWS_PER_FRAME));
    }

    #[test]
    fn the_first_part_fills_the_window() {
        assert_eq!(runs_first(720.0), 21);
        assert_eq!(runs_first(1080.0), 31);
        assert!(runs_first(740.0) * 36 > 740);
        assert_eq!(runs_first(0.0), 1);
        assert_eq!(runs_first(f64::NAN), 1);
    }

    #[test]
    fn no_runs_is_the_empty_page_not_a_table() {
        assert_eq!(table(r#"{"executionHistory":[]}"#, 10), None);
    }

    #[test]
    fn the_head_marks_the_order_and_holds_the_columns_of_the_view() {
        let head = rows::head_html(Sort::default(), true, false);
        assert!(head.starts_with(
            "<tr><th scope=\"col\" class=\"apc-runs__pick\"><span class=\"apc-sr-only\">"
        ));
        assert_eq!(head.matches("aria-sort=\"none\"").count(), 5);
        assert!(head.contains("aria-sort=\"descending\" class=\"apc-runs__started\"><button type=\"button\" class=\"apc-sort\" data-sort=\"started\">Started<span class=\"apc-sort__mark\" aria-hidden=\"true\">\u{25BC}</span>"));
        let order: Vec<_> = head
            .match_indices("class=\"apc-runs__")
            .map(|(i, _)| head[i + 17..].split('"').next().unwrap())
            .collect();
        assert_eq!(
            order,
            ["pick", "status", "folder", "id", "started", "duration", "by", "actions"]
        );
        let typed = rows::head_html(Sort::default(), false, true);
        assert!(!typed.contains("apc-runs__pick"));
        // Each sort button names its column, which a click in the app's head is read back to.
        for c in rows::SORTABLE {
            let attr = format!("data-sort=\"{}\"", rows::column_class(c));
            assert!(head.contains(&attr), "{attr}");
            assert_eq!(rows::column_of_class(rows::column_class(c)), Some(c));
        }
        assert_eq!(rows::column_of_class("actions"), None);
        assert!(typed.contains("apc-runs__id\"><button type=\"button\" class=\"apc-sort\" data-sort=\"id\">ID<span class=\"apc-sort__mark\" aria-hidden=\"true\"></span></button></th><th scope=\"col\" class=\"apc-runs__type\">"));
    }
}
