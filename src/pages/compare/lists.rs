//! The comparison's lists: newly failing, fixed, still failing (and, when there are any,
//! failed before but not retried), each asset with what each run's log says and a link to
//! that line. Made once both logs are read; each list shows 100 assets at a time, with its
//! count, so a run with thousands of failures stays smooth.

use std::sync::Arc;

use asset_processing_api::Job;
use leptos::prelude::*;

use super::load::{Lookup, RunLoad};
use crate::api::ApiClient;
use crate::browser::number;
use crate::components::{use_reprocess, ReprocessButton, ReprocessCtl, ReprocessPanel};
use crate::config::Config;
use crate::format::short_id;
use crate::text;
use crate::triage::compare::{changes, Change, Changes, Item, Note, Said, Side};

/// Assets shown per list, and added by "Show more".
const STEP: usize = 100;

#[component]
pub fn ChangeLists(
    older: (Job, RunLoad),
    newer: (Job, RunLoad),
    lookup: RwSignal<Lookup>,
) -> impl IntoView {
    let (older_job, older_run) = older;
    let (newer_job, newer_run) = newer;
    // Issue 24: the newer run's failures ("Newly failing", "Still failing") can be reprocessed,
    // one job each: the batch is the newer run's, as its job view and report have it (one at
    // a time per run, kept across a reload).
    let reprocess = use_reprocess(
        Some(expect_context::<ApiClient>()),
        &newer_job.processing_id,
    );
    let origin = newer_job.clone();
    let ready = move || {
        older_run.reading.with(|r| r.done)
            && newer_run.reading.with(|r| r.done)
            && lookup.with(|l| *l != Lookup::Loading)
    };
    let computed = {
        let (o, n) = (older_job.clone(), newer_job.clone());
        Memo::new(move |_| {
            if !ready() {
                return None;
            }
            let latest = lookup.with(Lookup::latest);
            let c = older_run.reasons.with(|ro| {
                newer_run.reasons.with(|rn| {
                    changes(
                        Side {
                            job: &o,
                            reasons: ro,
                        },
                        Side {
                            job: &n,
                            reasons: rn,
                        },
                        latest.as_deref(),
                    )
                })
            });
            Some(Arc::new(c))
        })
    };
    let ids = (older_job.processing_id, newer_job.processing_id);
    let lists = move || {
        match computed.get() {
        None => view! { <p class="apc-loading" role="status" aria-busy="true">{text::COMPARE_CHANGES_LOADING}</p> }
            .into_any(),
        Some(c) => {
            let lists = [Change::NewlyFailing, Change::Fixed, Change::StillFailing, Change::NotRetried];
            lists
                .into_iter()
                .filter(|k| *k != Change::NotRetried || !c.not_retried.is_empty())
                .map(|change| {
                    let offer = matches!(change, Change::NewlyFailing | Change::StillFailing)
                        .then(|| (reprocess, origin.clone()));
                    view! { <ChangeList change changes=c.clone() ids=ids.clone() offer/> }
                })
                .collect_view()
                .into_any()
        }
    }
    };
    view! {
        <ReprocessPanel ctl=reprocess/>
        {lists}
    }
}

/// "Reprocess N failed assets" under a list of the newer run's failures, once that run has
/// ended.
#[component]
fn ListReprocess(ctl: ReprocessCtl, origin: Job, paths: Vec<String>) -> impl IntoView {
    let ready = Signal::stored(origin.is_finished());
    view! {
        <ReprocessButton ctl job=Signal::stored(Some(origin)) failed=Signal::stored(Arc::new(paths)) ready/>
    }
}

fn titles(change: Change) -> (&'static str, &'static str, &'static str) {
    match change {
        Change::NewlyFailing => (
            text::COMPARE_NEWLY_FAILING,
            text::COMPARE_NEWLY_FAILING_HELP,
            "newly-failing",
        ),
        Change::Fixed => (text::COMPARE_FIXED, text::COMPARE_FIXED_HELP, "fixed"),
        Change::StillFailing => (
            text::COMPARE_STILL_FAILING,
            text::COMPARE_STILL_FAILING_HELP,
            "still-failing",
        ),
        Change::NotRetried => (
            text::COMPARE_NOT_RETRIED,
            text::COMPARE_NOT_RETRIED_HELP,
            "not-retried",
        ),
    }
}

/// One list: its heading with the count, what it means, and its assets, 100 at a time; for
/// the newer run's failures, the offer to reprocess them.
#[component]
fn ChangeList(
    change: Change,
    changes: Arc<Changes>,
    ids: (String, String),
    offer: Option<(ReprocessCtl, Job)>,
) -> impl IntoView {
    let (title, help, key) = titles(change);
    let total = changes.list(change).len();
    let offer = offer.map(|(ctl, origin)| {
        let paths = changes
            .list(change)
            .iter()
            .map(|i| i.path.clone())
            .collect();
        view! { <ListReprocess ctl origin paths/> }
    });
    let shown = RwSignal::new(STEP.min(total));
    let heading_id = format!("apc-compare-{key}");
    let labelled_by = heading_id.clone();
    view! {
        <section class=format!("apc-compare__list apc-compare__list--{key}") aria-labelledby=labelled_by>
            <h2 class="apc-section-title" id=heading_id>{text::compare_list_title(title, &number(total as u64))}</h2>
            <p class="apc-muted">{help}</p>
            {offer}
            {(total == 0).then(|| view! { <p>{text::COMPARE_LIST_EMPTY}</p> })}
            <ul class="apc-compare__items">
                // Keyed by place: "Show more" adds rows and leaves those shown alone.
                <For each=move || 0..shown.get() key=|i| *i children=move |i| {
                    view! { <ChangedAsset item=changes.list(change)[i].clone() ids=ids.clone()/> }
                }/>
            </ul>
            {move || (shown.get() < total).then(|| {
                let more = STEP.min(total - shown.get());
                view! {
                    <p class="apc-compare__more">
                        <span class="apc-muted" role="status">{text::compare_showing(&number(shown.get() as u64), &number(total as u64))}</span>
                        <button type="button" class="apc-button apc-button--secondary"
                            on:click=move |_| shown.update(|n| *n = (*n + STEP).min(total))>
                            {text::compare_show_more(&number(more as u64))}
                        </button>
                    </p>
                }
            })}
        </section>
    }
}

fn note_words(note: Note) -> Option<&'static str> {
    match note {
        Note::None => None,
        Note::NotInOlder => Some(text::COMPARE_NOTE_NOT_IN_OLDER),
        Note::OutsideNewer => Some(text::COMPARE_NOTE_OUTSIDE_NEWER),
        Note::NotYet => Some(text::COMPARE_NOTE_NOT_YET),
        Note::NotReached => Some(text::COMPARE_NOTE_NOT_REACHED),
        Note::Gone => Some(text::COMPARE_NOTE_GONE),
    }
}

/// One asset: its path, why it is here when that needs saying, and each run's line.
#[component]
fn ChangedAsset(item: Item, ids: (String, String)) -> impl IntoView {
    let (older_id, newer_id) = ids;
    view! {
        <li class="apc-compare__item">
            <span class="apc-path apc-compare__path">{item.path.clone()}</span>
            {note_words(item.note).map(|n| view! { <span class="apc-compare__why">{n}</span> })}
            <RunSays side=text::COMPARE_OLDER id=older_id said=item.older.clone() path=item.path.clone()/>
            <RunSays side=text::COMPARE_NEWER id=newer_id said=item.newer.clone() path=item.path.clone()/>
        </li>
    }
}

/// "Older run 693d61a8…: Malformed XML in … · Line 12" (the line links into that run's log).
#[component]
fn RunSays(side: &'static str, id: String, said: Option<Said>, path: String) -> impl IntoView {
    let config = expect_context::<Config>();
    let short = short_id(&id);
    let (message, link) = match said {
        Some(s) => {
            let href = config.href(&format!("/jobs/{id}#L{}", s.line));
            let label = text::compare_line_label(&number(s.line), &short, &path);
            let link = view! {
                <a class="apc-compare__line" href=href aria-label=label>{text::problems_line(&number(s.line))}</a>
            };
            (s.message, Some(link))
        }
        None => (text::COMPARE_LOG_SILENT.to_string(), None),
    };
    view! {
        <span class="apc-compare__said">
            <span class="apc-compare__side">{text::compare_side(side, &short)}": "</span>
            <span class="apc-compare__reason">{message}</span>
            {link}
        </span>
    }
}
