//! The history's rows as one piece of HTML (pure, tested natively).
//!
//! Why not a view per row: a row is about thirty elements (status light, folder in pieces,
//! times, actions, compare box); built one DOM call and one reactive node at a time, 100
//! rows took about 120 ms after the history's answer (a plain table of the same runs, 32 ms),
//! the largest part of the console's start-up beyond a minimal app's. The browser's own
//! parser builds the same rows from one string in a few milliseconds. The table's view sets
//! the string and handles the rows' clicks in one place (`mod.rs`); every text in it passes
//! through `escape`.

use std::fmt::Write;

use asset_processing_api::{Job, JobAction};

use super::rules::{self, Column};
use crate::components::status_tone;
use crate::format::{self, short_id, Progress};
use crate::text;

/// The attribute naming what a focusable element of a row is (`link`, `pick`, an action's
/// name, `logs`, `file-N`), so the page can put the focus back after the rows are redrawn.
pub const KEY_ATTR: &str = "data-key";
/// The attribute of a running run's bar: its width in percent (set through the CSSOM once
/// the rows are in the page: the page's CSP refuses `style` attributes).
pub const WIDTH_ATTR: &str = "data-width";
/// Marks the link that downloads a run's logs.
pub const LOGS_KEY: &str = "logs";
/// Marks a row's compare box.
pub const PICK_KEY: &str = "pick";

/// What only the browser can say (its locale's words for times), and the moment "now".
pub struct Formats<'a> {
    pub now: i64,
    /// "3 Dec 2026, 12:04:33" in the reader's locale.
    pub date_time: &'a dyn Fn(i64) -> String,
    /// "5 minutes ago" from (value, unit) (`format::relative_parts`).
    pub relative: &'a dyn Fn(f64, &str) -> String,
    /// A day, with its time unless midnight (the filter's words).
    pub short_date: &'a dyn Fn(i64) -> String,
}

/// What each row offers besides its link.
pub struct Offers<'a> {
    /// The link to a job's page.
    pub href: &'a dyn Fn(&str) -> String,
    /// Compare boxes (and which runs are ticked), or none.
    pub picks: Option<&'a [String]>,
    /// The actions, with whether each may be pressed now and whether a run is being cancelled;
    /// none without them.
    pub actions: Option<&'a dyn ActionsNow>,
    /// The logs' download address of a run that has logs, or none at all.
    pub logs: Option<&'a dyn Fn(&str) -> String>,
    /// The log files a server named instead of a ZIP, by run.
    pub files: &'a dyn Fn(&str) -> Option<Vec<String>>,
    /// Whether the feature type is a column (the runs shown differ in it).
    pub with_type: bool,
    /// The row's attribute holding its run's id: `ROW_ID_ATTR` in the app's rows.
    pub id_attr: &'a str,
}

/// The attribute of an app's row holding its run's id (the rows drawn before the app is in
/// use another, `early::EARLY_ID_ATTR`, so that nothing takes them for the app's).
pub const ROW_ID_ATTR: &str = "data-processing-id";

/// The actions' state as the rows need it (`JobActionsCtl` in the page).
pub trait ActionsNow {
    fn enabled(&self, job: &Job, action: JobAction) -> bool;
    fn is_cancelling(&self, job: &Job) -> bool;
}

/// Text and attribute values made safe for HTML.
pub fn escape(out: &mut String, s: &str) {
    // Runs without a character to escape (nearly all text) are copied whole.
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let with = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[from..i]);
        out.push_str(with);
        from = i + 1;
    }
    out.push_str(&s[from..]);
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape(&mut out, s);
    out
}

/// `name="value"`, the value escaped.
fn attr(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    escape(out, value);
    out.push('"');
}

/// Every row of the table, in order.
pub fn rows_html(jobs: &[Job], offers: &Offers, formats: &Formats) -> String {
    let mut out = String::with_capacity(jobs.len() * 1_600);
    if jobs.is_empty() {
        let _ = write!(
            out,
            "<tr><td colspan=\"9\" class=\"apc-muted\">{}</td></tr>",
            esc(text::NO_MATCH)
        );
        return out;
    }
    for job in jobs {
        row(&mut out, job, offers, formats);
    }
    out
}

fn row(out: &mut String, job: &Job, offers: &Offers, f: &Formats) {
    let id = &job.processing_id;
    out.push_str("<tr class=\"apc-table__row\"");
    attr(out, offers.id_attr, id);
    out.push('>');
    if let Some(picked) = offers.picks {
        out.push_str(
            "<td class=\"apc-runs__pick\"><input type=\"checkbox\" class=\"apc-compare__pick\"",
        );
        attr(out, KEY_ATTR, PICK_KEY);
        attr(
            out,
            "aria-label",
            &text::compare_pick_label(&short_id(id), &job.path),
        );
        if picked.contains(id) {
            out.push_str(" checked");
        }
        out.push_str("></td>");
    }
    status_cell(out, job);
    folder_cell(out, job, offers, f);
    out.push_str("<td class=\"apc-mono apc-runs__id\"");
    attr(out, "title", id);
    let _ = write!(out, ">{}</td>", esc(&short_id(id)));
    if offers.with_type {
        let _ = write!(
            out,
            "<td class=\"apc-runs__type\">{}</td>",
            esc(&job.kind.to_string())
        );
    }
    out.push_str("<td class=\"apc-runs__started\">");
    time(out, job.started_at, f);
    out.push_str("</td><td class=\"apc-runs__duration\"");
    if job.completed_at > 0 {
        attr(
            out,
            "title",
            &text::ended_at(&(f.date_time)(job.completed_at)),
        );
    }
    let _ = write!(
        out,
        ">{}</td><td class=\"apc-runs__by\">{}</td>",
        esc(&format::job_duration(job, f.now)),
        esc(&job.created_by)
    );
    actions_cell(out, job, offers);
    out.push_str("</tr>");
}

/// The status light (AEM's word, the API's in its title), and while running a slim bar with
/// the percent and the failures so far.
fn status_cell(out: &mut String, job: &Job) {
    let word = text::status_word(&job.status);
    let _ = write!(
        out,
        "<td class=\"apc-runs__status\"><span class=\"apc-status apc-status--{}\"",
        status_tone(&job.status)
    );
    if word != job.status.as_str() {
        attr(out, "title", job.status.as_str());
    }
    let _ = write!(out, ">{}</span>", esc(word));
    if let Some(p) = (!job.is_finished())
        .then(|| Progress::of(job).percent())
        .flatten()
    {
        let _ = write!(
            out,
            "<span class=\"apc-runs__percent\">{}</span><span class=\"apc-runs__bar\" aria-hidden=\"true\"><span {WIDTH_ATTR}=\"{p}\"></span></span>",
            esc(&text::job_bar_percent(p))
        );
    }
    if let Some(n) = rules::failures_so_far(job) {
        let _ = write!(
            out,
            "<span class=\"apc-runs__failed\">{}</span>",
            esc(&text::failed_so_far(n))
        );
    }
    out.push_str("</td>");
}

/// The folder as the row's link, breaking only after a `/`; the excluded count and the
/// filter as a quiet second line.
fn folder_cell(out: &mut String, job: &Job, offers: &Offers, f: &Formats) {
    out.push_str("<td class=\"apc-runs__folder\"><a class=\"apc-link apc-runs__link\"");
    attr(out, "href", &(offers.href)(&job.processing_id));
    attr(out, KEY_ATTR, "link");
    attr(out, "aria-label", &text::action_on(text::VIEW, &job.path));
    out.push('>');
    for (i, piece) in format::path_pieces(&job.path).into_iter().enumerate() {
        if i > 0 {
            out.push_str("<wbr>");
        }
        if piece.contains(' ') {
            let _ = write!(out, "<span class=\"apc-nowrap\">{}</span>", esc(piece));
        } else {
            escape(out, piece);
        }
    }
    out.push_str("</a>");
    if let Some((excluded, filter)) = rules::second_line(job, f.short_date) {
        out.push_str("<div class=\"apc-runs__more apc-muted\">");
        if let Some(e) = excluded {
            let _ = write!(out, "<span>{}</span>", esc(&e));
        }
        if let Some(w) = filter {
            let _ = write!(out, "<span class=\"apc-filter-words\">{}</span>", esc(&w));
        }
        out.push_str("</div>");
    }
    out.push_str("</td>");
}

/// A time relative to now, the exact local time on hover and for screen readers; a dash for
/// "not yet".
fn time(out: &mut String, ms: i64, f: &Formats) {
    if ms <= 0 {
        let _ = write!(
            out,
            "<span class=\"apc-muted\">{}</span>",
            esc(text::NOT_YET)
        );
        return;
    }
    let absolute = (f.date_time)(ms);
    out.push_str("<time");
    attr(out, "datetime", &format::iso_utc(ms));
    attr(out, "title", &absolute);
    attr(out, "aria-label", &absolute);
    let (value, unit) = format::relative_parts(f.now, ms);
    let _ = write!(out, ">{}</time>", esc(&(f.relative)(value, unit)));
}

/// What the run's flags allow, each named with the folder for screen readers; "Cancelling…"
/// while an accepted cancel waits; the logs' link and the files a server named instead.
fn actions_cell(out: &mut String, job: &Job, offers: &Offers) {
    out.push_str("<td class=\"apc-row-actions apc-runs__actions\">");
    if let Some(actions) = offers.actions {
        for action in job.flags().actions() {
            let label = text::action_label(action);
            out.push_str("<button type=\"button\" class=\"apc-link-action\"");
            attr(out, "data-action", action.name());
            attr(out, KEY_ATTR, action.name());
            attr(out, "aria-label", &text::action_on(label, &job.path));
            if !actions.enabled(job, action) {
                out.push_str(" disabled");
            }
            let _ = write!(out, ">{}</button>", esc(label));
        }
        if actions.is_cancelling(job) {
            let _ = write!(
                out,
                "<span class=\"apc-actions__note\" role=\"status\">{}</span>",
                esc(text::CANCELLING)
            );
        }
    }
    if let Some(logs) = offers.logs.filter(|_| job.has_logs) {
        out.push_str("<a class=\"apc-link-action\" download=\"\" rel=\"external\"");
        attr(out, "href", &logs(&job.processing_id));
        attr(out, KEY_ATTR, LOGS_KEY);
        attr(
            out,
            "aria-label",
            &text::action_on(text::DOWNLOAD_LOGS, &job.path),
        );
        let _ = write!(out, ">{}</a>", esc(text::LOGS));
        if let Some(files) = (offers.files)(&job.processing_id) {
            files_list(out, &files);
        }
    }
    out.push_str("</td>");
}

/// The log files a server named instead of a ZIP, as links (what `LogDownload` shows).
fn files_list(out: &mut String, files: &[String]) {
    if files.is_empty() {
        let _ = write!(
            out,
            "<p class=\"apc-muted apc-log-files\" role=\"status\">{}</p>",
            esc(text::NO_LOG_FILES)
        );
        return;
    }
    out.push_str("<ul class=\"apc-log-files\" role=\"list\"");
    attr(out, "aria-label", text::LOG_FILES);
    out.push('>');
    for (i, url) in files.iter().enumerate() {
        out.push_str("<li><a class=\"apc-link\" download=\"\" rel=\"external\"");
        attr(out, "href", url);
        attr(out, KEY_ATTR, &format!("file-{i}"));
        let _ = write!(
            out,
            ">{}</a></li>",
            esc(crate::api::download::file_name(url))
        );
    }
    out.push_str("</ul>");
}

/// The table's head, for the first screen (`early.rs`) and `HistoryTable` alike: the compare
/// column, the sortable columns (`SORTABLE`, the type column after the ID) with `sort`
/// marked, the type column when the runs differ in it, the actions.
pub fn head_html(sort: rules::Sort, picks: bool, with_type: bool) -> String {
    let mut out = String::from("<tr>");
    if picks {
        out.push_str("<th scope=\"col\" class=\"apc-runs__pick\"><span class=\"apc-sr-only\">");
        escape(&mut out, text::COL_COMPARE);
        out.push_str("</span></th>");
    }
    let sortable = |out: &mut String, c: Column| {
        let (aria, mark) = sort_state(sort, c);
        let class = column_class(c);
        let _ = write!(
            out,
            "<th scope=\"col\" aria-sort=\"{aria}\" class=\"apc-runs__{class}\"><button type=\"button\" class=\"apc-sort\" {SORT_ATTR}=\"{class}\">"
        );
        escape(out, column_label(c));
        let _ = write!(
            out,
            "<span class=\"apc-sort__mark\" aria-hidden=\"true\">{mark}</span></button></th>"
        );
    };
    for c in SORTABLE {
        sortable(&mut out, c);
        if c == Column::Id && with_type {
            out.push_str("<th scope=\"col\" class=\"apc-runs__type\">");
            escape(&mut out, text::COL_TYPE);
            out.push_str("</th>");
        }
    }
    out.push_str("<th scope=\"col\" class=\"apc-runs__actions\">");
    escape(&mut out, text::COL_ACTIONS);
    out.push_str("</th></tr>");
    out
}

/// The attribute of a column head's sort button naming its column (`column_class`).
pub const SORT_ATTR: &str = "data-sort";

/// The sortable columns, in the table's order.
pub const SORTABLE: [Column; 6] = [
    Column::Status,
    Column::Folder,
    Column::Id,
    Column::Started,
    Column::Duration,
    Column::CreatedBy,
];

/// A sortable column's head under `sort`: its `aria-sort` and its mark.
pub fn sort_state(sort: rules::Sort, c: Column) -> (&'static str, &'static str) {
    match (sort.column == c, sort.descending) {
        (false, _) => ("none", ""),
        (true, false) => ("ascending", "\u{25B2}"),
        (true, true) => ("descending", "\u{25BC}"),
    }
}

/// The sortable column whose `column_class` is `class`.
pub fn column_of_class(class: &str) -> Option<Column> {
    SORTABLE.into_iter().find(|&c| column_class(c) == class)
}

/// A sortable column's name in its head.
fn column_label(c: Column) -> &'static str {
    match c {
        Column::Status => text::COL_STATUS,
        Column::Id => text::COL_ID,
        Column::Folder => text::COL_FOLDER,
        Column::CreatedBy => text::COL_STARTED_BY,
        Column::Started => text::COL_STARTED,
        Column::Duration => text::COL_DURATION,
    }
}

/// A column's class (`apc-runs__<class>`), which its sort button names too (`SORT_ATTR`).
pub(super) fn column_class(c: Column) -> &'static str {
    match c {
        Column::Status => "status",
        Column::Id => "id",
        Column::Folder => "folder",
        Column::CreatedBy => "by",
        Column::Started => "started",
        Column::Duration => "duration",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use asset_processing_api::History;

    fn jobs() -> Vec<Job> {
        let history: History = serde_json::from_str(
            r#"{"executionHistory":[
            {"processingId":"165f1de6-68c4-4dcd-9223-2b7242b62306","path":"/content/dam/My Guides/en",
             "status":"SUCCESS","startedAt":1764000000000,"completedAt":1764000001250,"createdBy":"admin",
             "restartable":true,"hasLogs":true,"type":"DITA_ASSETS"},
            {"processingId":"r2","path":"/content/dam/<img src=x onerror=alert(1)>","status":"RUNNING",
             "startedAt":1764000000000,"createdBy":"o'brien & co","cancellable":true,
             "triggeredCount":53,"migrationSet":{"totalFiles":100,"calculationStatus":"SUCCESS"},"comments":"53 processed, 3 failed, 0 skipped so far",
             "excludedPaths":["/content/dam/x"]},
            {"processingId":"w3","path":"/content/dam/w","status":"PAUSED"}
            ]}"#,
        )
        .unwrap();
        history.execution_history
    }

    struct Now {
        busy: bool,
        cancelling: &'static str,
    }
    impl ActionsNow for Now {
        fn enabled(&self, _: &Job, _: JobAction) -> bool {
            !self.busy
        }
        fn is_cancelling(&self, job: &Job) -> bool {
            job.processing_id == self.cancelling
        }
    }

    fn html(
        picks: Option<&[String]>,
        actions: Option<&dyn ActionsNow>,
        files: Option<Vec<String>>,
    ) -> String {
        let files = move |id: &str| {
            (id == "165f1de6-68c4-4dcd-9223-2b7242b62306")
                .then(|| files.clone())
                .flatten()
        };
        let offers = Offers {
            href: &|id| format!("/jobs/{id}"),
            picks,
            actions,
            logs: Some(&|id| format!("/logs/{id}.zip")),
            files: &files,
            with_type: false,
            id_attr: ROW_ID_ATTR,
        };
        let formats = Formats {
            now: 1_764_000_061_250,
            date_time: &|ms| format!("T{ms}"),
            relative: &|v, u| format!("{v} {u} ago"),
            short_date: &|ms| format!("D{ms}"),
        };
        rows_html(&jobs(), &offers, &formats)
    }

    fn row_of<'a>(html: &'a str, id: &str) -> &'a str {
        let start = html.find(&format!("data-processing-id=\"{id}\"")).unwrap();
        let end = html[start..].find("</tr>").unwrap();
        &html[start..start + end]
    }

    #[test]
    fn data_stays_text_in_cells_and_attributes() {
        let html = html(None, None, None);
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(html.contains("o&#39;brien &amp; co"));
        let mut s = String::new();
        escape(&mut s, r#"a"b'c<d>&"#);
        assert_eq!(s, "a&quot;b&#39;c&lt;d&gt;&amp;");
        // Text around and between the escaped characters, in any script, is kept whole.
        let mut s = String::new();
        escape(&mut s, "Übersicht <Größe> & 日本語");
        assert_eq!(s, "Übersicht &lt;Größe&gt; &amp; 日本語");
        let mut s = String::new();
        escape(&mut s, "no markup at all");
        assert_eq!(s, "no markup at all");
    }

    #[test]
    fn a_row_has_its_status_link_id_times_and_who() {
        let html = html(None, None, None);
        let first = row_of(&html, "165f1de6-68c4-4dcd-9223-2b7242b62306");
        assert!(
            first.contains(
                "class=\"apc-status apc-status--positive\" title=\"SUCCESS\">Completed</span>"
            ),
            "{first}"
        );
        assert!(first.contains("href=\"/jobs/165f1de6-68c4-4dcd-9223-2b7242b62306\""));
        assert!(first.contains("aria-label=\"View: /content/dam/My Guides/en\""));
        // The path breaks only after a `/`; a name with a space stays whole.
        assert!(
            first.contains(
                "/content/<wbr>dam/<wbr><span class=\"apc-nowrap\">My Guides/</span><wbr>en</a>"
            ),
            "{first}"
        );
        assert!(first.contains("title=\"165f1de6-68c4-4dcd-9223-2b7242b62306\">165f1de6…</td>"));
        assert!(
            first.contains(&format!(
                "<time datetime=\"{}\" title=\"T1764000000000\" aria-label=\"T1764000000000\">",
                format::iso_utc(1_764_000_000_000)
            )),
            "{first}"
        );
        assert!(
            first.contains("title=\"Ended T1764000001250\">1 s</td>"),
            "{first}"
        );
        assert!(first.contains("<td class=\"apc-runs__by\">admin</td>"));
        // Unknown statuses as sent, no title repeating them.
        let third = row_of(&html, "w3");
        assert!(
            third.contains("apc-status--neutral\">PAUSED</span>"),
            "{third}"
        );
        assert!(third.contains(&format!(
            "<span class=\"apc-muted\">{}</span>",
            text::NOT_YET
        )));
    }

    #[test]
    fn a_running_row_has_its_bar_percent_failures_and_second_line() {
        let html = html(None, None, None);
        let running = row_of(&html, "r2");
        assert!(
            running.contains("<span data-width=\"53\"></span>"),
            "{running}"
        );
        assert!(running.contains(&text::job_bar_percent(53)));
        assert!(running.contains(">3 failed so far</span>"));
        assert!(
            running.contains(
                "<div class=\"apc-runs__more apc-muted\"><span>1 excluded folder</span></div>"
            ),
            "{running}"
        );
        let finished = row_of(&html, "165f1de6-68c4-4dcd-9223-2b7242b62306");
        assert!(!finished.contains(WIDTH_ATTR) && !finished.contains("apc-runs__more"));
    }

    #[test]
    fn actions_follow_the_flags_and_the_pages_state() {
        let now = Now {
            busy: false,
            cancelling: "r2",
        };
        let html = html(None, Some(&now), None);
        let first = row_of(&html, "165f1de6-68c4-4dcd-9223-2b7242b62306");
        assert!(first.contains("data-action=\"restart\" data-key=\"restart\" aria-label=\"Restart: /content/dam/My Guides/en\">Restart</button>"), "{first}");
        assert!(
            !first.contains("data-action=\"cancel\"") && !first.contains("data-action=\"resume\"")
        );
        assert!(
            first
                .contains("aria-label=\"Download logs (ZIP): /content/dam/My Guides/en\">Logs</a>"),
            "{first}"
        );
        let running = row_of(&html, "r2");
        assert!(running.contains("data-action=\"cancel\""));
        assert!(running.contains(text::CANCELLING));
        assert!(!running.contains(">Logs</a>"), "no logs, no link");
        let busy = Now {
            busy: true,
            cancelling: "",
        };
        let html = self::html(None, Some(&busy), None);
        assert!(row_of(&html, "r2").contains(&format!(" disabled>{}</button>", text::CANCEL)));
        // Without the page's actions the rows offer only their link and the logs.
        assert!(!self::html(None, None, None).contains("<button"));
    }

    #[test]
    fn compare_boxes_are_named_after_the_run_and_ticked_as_picked() {
        let picked = vec!["r2".to_string()];
        let html = html(Some(&picked), None, None);
        let running = row_of(&html, "r2");
        assert!(running.contains("type=\"checkbox\" class=\"apc-compare__pick\" data-key=\"pick\" aria-label=\"Compare run r2 on /content/dam/&lt;img src=x onerror=alert(1)&gt;\" checked>"), "{running}");
        let first = row_of(&html, "165f1de6-68c4-4dcd-9223-2b7242b62306");
        assert!(
            first.contains("aria-label=\"Compare run 165f1de6… on /content/dam/My Guides/en\">"),
            "{first}"
        );
    }

    #[test]
    fn log_files_a_server_named_are_links_under_the_logs() {
        let html = html(
            None,
            None,
            Some(vec!["/logs/a.log".into(), "/logs/b.log".into()]),
        );
        let first = row_of(&html, "165f1de6-68c4-4dcd-9223-2b7242b62306");
        assert!(
            first.contains("href=\"/logs/a.log\" data-key=\"file-0\">a.log</a>"),
            "{first}"
        );
        assert!(first.contains("data-key=\"file-1\">b.log</a>"));
        assert!(self::html(None, None, Some(Vec::new())).contains(text::NO_LOG_FILES));
    }

    #[test]
    fn an_empty_list_says_nothing_matches() {
        let offers = Offers {
            href: &|id| id.to_string(),
            picks: None,
            actions: None,
            logs: None,
            files: &|_| None,
            with_type: false,
            id_attr: ROW_ID_ATTR,
        };
        let formats = Formats {
            now: 0,
            date_time: &|_| String::new(),
            relative: &|_, _| String::new(),
            short_date: &|_| String::new(),
        };
        let html = rows_html(&[], &offers, &formats);
        assert!(html.contains(text::NO_MATCH));
    }
}
