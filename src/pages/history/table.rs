//! The runs as a table (rows already filtered and sorted): one line per run where the window
//! allows, a card per run on a narrow box (the CSS decides, by the box's width). The rows are
//! one piece of HTML (`rows.rs` says why); their clicks are handled here, in one place.

use std::collections::HashMap;

use asset_processing_api::{Job, JobAction};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::rows::{
    self, column_of_class, ActionsNow, Offers, KEY_ATTR, LOGS_KEY, PICK_KEY, ROW_ID_ATTR, SORT_ATTR,
};
use super::rules::{self, Column, Sort};
use crate::api::{ApiClient, ClientError};
use crate::components::{ask_for_logs, plain_click, toggle_pick, ErrorPanel, JobActionsCtl};
use crate::config::Config;
use crate::text;

impl ActionsNow for JobActionsCtl {
    fn enabled(&self, job: &Job, action: JobAction) -> bool {
        JobActionsCtl::enabled(self, job, action)
    }
    fn is_cancelling(&self, job: &Job) -> bool {
        JobActionsCtl::is_cancelling(self, job)
    }
}

#[component]
pub fn HistoryTable(
    #[prop(into)] rows: Signal<Vec<Job>>,
    sort: RwSignal<Sort>,
    /// The page's actions; without them the rows offer only their link and Logs.
    #[prop(optional)]
    actions: Option<JobActionsCtl>,
    /// Runs ticked for comparison; without it the rows have no "Compare" box.
    #[prop(optional)]
    picks: Option<RwSignal<Vec<String>>>,
) -> impl IntoView {
    // The feature type is said once above the table while every run shown has the same one.
    let kinds = Memo::new(move |_| rows.with(|r| rules::one_kind(r)));
    // The head is the first screen's (`rows::head_html`, one source for both), drawn again only
    // when the type column comes or goes. A sort sets its marks in place, so the button
    // pressed keeps the focus.
    let with_type = Memo::new(move |_| kinds.get() == Some(None));
    let head = NodeRef::<leptos::html::Thead>::new();
    let head_html =
        Memo::new(move |_| rows::head_html(sort.get_untracked(), picks.is_some(), with_type.get()));
    Effect::new(move |_| {
        let now = sort.get();
        head_html.track();
        if let Some(head) = head.get() {
            set_sort_marks(&head, now);
        }
    });
    let sort_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(c) = sorted_by(&ev) {
            sort.update(|s| *s = s.toggle(c));
        }
    };
    let body = NodeRef::<leptos::html::Tbody>::new();
    let config = use_context::<Config>().unwrap_or_default();
    let client = use_context::<ApiClient>();
    // The log files a server named instead of a ZIP, by run; a failed ask, above the table.
    let files = RwSignal::new(HashMap::<String, Vec<String>>::new());
    let logs_error = RwSignal::new(None::<ClientError>);
    // What had the focus in the rows when they were last redrawn: (run, element's key).
    let focused = StoredValue::new(None::<(String, String)>);
    let html = {
        let client = client.clone();
        Memo::new(move |_| {
            focused.set_value(focused_in(body));
            let with_type = with_type.get();
            let href = |id: &str| config.href(&format!("/jobs/{id}"));
            let logs = client.as_ref().map(|c| move |id: &str| c.download_url(id));
            let picked = picks.map(|p| p.get_untracked());
            files.with(|named| {
                let files = |id: &str| named.get(id).cloned();
                let offers = Offers {
                    href: &href,
                    picks: picked.as_deref(),
                    actions: actions.as_ref().map(|a| a as &dyn ActionsNow),
                    logs: logs.as_ref().map(|l| l as &dyn Fn(&str) -> String),
                    files: &files,
                    with_type,
                    id_attr: ROW_ID_ATTR,
                };
                let formats = super::early::formats();
                rows.with(|jobs| rows::rows_html(jobs, &offers, &formats))
            })
        })
    };
    // Once the rows are in the page: the running runs' bars, and the focus back where it was.
    Effect::new(move |_| {
        html.track();
        let Some(body) = body.get() else { return };
        super::early::set_bar_widths(&body);
        if let Some((run, key)) = focused.get_value() {
            if let Some(el) = element_in(&body, &run, &key) {
                let _ = el.focus();
            }
        }
    });
    // The compare boxes follow the picks (ticked here or elsewhere) without a redraw.
    Effect::new(move |_| {
        let Some(picks) = picks else { return };
        html.track();
        let Some(body) = body.get() else { return };
        picks.with(|picked| {
            for_each_key(&body, PICK_KEY, |run, el| {
                if let Ok(input) = el.dyn_into::<web_sys::HtmlInputElement>() {
                    input.set_checked(picked.iter().any(|p| p == run));
                }
            })
        });
    });
    let click = {
        let client = client.clone();
        move |ev: leptos::ev::MouseEvent| {
            let Some((run, key, el)) = target_of(&ev) else {
                return;
            };
            if key == LOGS_KEY {
                let Some(client) = client.clone() else { return };
                if !plain_click(&ev) {
                    return;
                }
                ev.prevent_default();
                if el.get_attribute("aria-busy").as_deref() == Some("true") {
                    return;
                }
                let _ = el.set_attribute("aria-busy", "true");
                logs_error.set(None);
                let url = el.get_attribute("href").unwrap_or_default();
                leptos::task::spawn_local(async move {
                    let answer = ask_for_logs(client, url).await;
                    let _ = el.set_attribute("aria-busy", "false");
                    match answer {
                        Ok(Some(named)) => {
                            let _ = files.try_update(|f| f.insert(run, named));
                        }
                        Ok(None) => {}
                        Err(e) => {
                            let _ = logs_error.try_set(Some(e));
                        }
                    }
                });
            } else if let (Some(ctl), Some(action)) = (actions, JobAction::from_name(&key)) {
                if let Some(job) =
                    rows.with_untracked(|r| r.iter().find(|j| j.processing_id == run).cloned())
                {
                    ctl.ask(action, job);
                }
            }
        }
    };
    let change = move |ev: leptos::ev::Event| {
        let Some(picks) = picks else { return };
        if let Some((run, key, _)) = target_of(&ev) {
            if key == PICK_KEY {
                picks.update(|p| toggle_pick(p, &run));
            }
        }
    };
    view! {
        {move || match kinds.get() {
            Some(Some(kind)) => Some(view! { <p class="apc-runs__kind apc-muted">{text::every_run_is(&kind)}</p> }),
            _ => None,
        }}
        {move || logs_error.get().map(|e| view! { <ErrorPanel error=e/> })}
        <div class="apc-runs-wrap" role="region" aria-label=text::RUNS_TABLE>
            <table class="apc-table apc-runs">
                <thead node_ref=head inner_html=head_html on:click=sort_click></thead>
                <tbody node_ref=body inner_html=html on:click=click on:change=change></tbody>
            </table>
        </div>
    }
}

/// The column whose sort button a click in the head came from.
fn sorted_by(ev: &leptos::ev::MouseEvent) -> Option<Column> {
    let target: web_sys::Element = ev.target()?.dyn_into().ok()?;
    let button = target.closest(&format!("[{SORT_ATTR}]")).ok()??;
    column_of_class(&button.get_attribute(SORT_ATTR)?)
}

/// The head's `aria-sort` and marks as `sort` has them.
fn set_sort_marks(head: &web_sys::HtmlElement, sort: Sort) {
    each_element(head, &format!("[{SORT_ATTR}]"), |button| {
        let Some(c) = button
            .get_attribute(SORT_ATTR)
            .and_then(|k| column_of_class(&k))
        else {
            return;
        };
        let (aria, mark) = rows::sort_state(sort, c);
        if let Ok(Some(th)) = button.closest("th") {
            let _ = th.set_attribute("aria-sort", aria);
        }
        if let Ok(Some(span)) = button.query_selector(".apc-sort__mark") {
            span.set_text_content(Some(mark));
        }
    });
}

/// Each element under `root` that `selector` matches.
fn each_element(root: &web_sys::HtmlElement, selector: &str, mut f: impl FnMut(web_sys::Element)) {
    let Ok(list) = root.query_selector_all(selector) else {
        return;
    };
    for i in 0..list.length() {
        if let Some(el) = list
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        {
            f(el);
        }
    }
}

/// The run and the key of the row element an event came from, with that element.
fn target_of(ev: &web_sys::Event) -> Option<(String, String, web_sys::HtmlElement)> {
    let target: web_sys::Element = ev.target()?.dyn_into().ok()?;
    let el = target.closest(&format!("[{KEY_ATTR}]")).ok()??;
    let run = el
        .closest(&format!("tr[{ROW_ID_ATTR}]"))
        .ok()??
        .get_attribute(ROW_ID_ATTR)?;
    let key = el.get_attribute(KEY_ATTR)?;
    Some((run, key, el.dyn_into().ok()?))
}

/// The run and key of the element of the rows that has the focus, if one has.
fn focused_in(body: NodeRef<leptos::html::Tbody>) -> Option<(String, String)> {
    let body = body.get_untracked()?;
    let active = leptos::prelude::document().active_element()?;
    if !body.contains(Some(&active)) {
        return None;
    }
    let key = active.get_attribute(KEY_ATTR)?;
    let run = active
        .closest(&format!("tr[{ROW_ID_ATTR}]"))
        .ok()??
        .get_attribute(ROW_ID_ATTR)?;
    Some((run, key))
}

/// The element of `run`'s row with `key`, when the rows were redrawn and the focus is lost.
fn element_in(body: &web_sys::HtmlElement, run: &str, key: &str) -> Option<web_sys::HtmlElement> {
    let active = leptos::prelude::document().active_element();
    if active.is_some_and(|a| body.contains(Some(&a)) && a.get_attribute(KEY_ATTR).is_some()) {
        return None; // the focus is still on an element of the rows
    }
    let mut found = None;
    for_each_key(body, key, |r, el| {
        if found.is_none() && r == run {
            found = el.dyn_into().ok();
        }
    });
    found
}

/// Each element of the rows with `key`, with its run.
fn for_each_key(body: &web_sys::HtmlElement, key: &str, mut f: impl FnMut(&str, web_sys::Element)) {
    each_element(body, &format!("[{KEY_ATTR}=\"{key}\"]"), |el| {
        let run = el
            .closest(&format!("tr[{ROW_ID_ATTR}]"))
            .ok()
            .flatten()
            .and_then(|tr| tr.get_attribute(ROW_ID_ATTR));
        if let Some(run) = run {
            f(&run, el);
        }
    });
}
