//! The Problems panel's warnings grouped by what would fix them (`triage::causes`): a missing
//! file with how many references from how many topics, other warnings by kind. Each group
//! opens to the lines it stands for, each a link into the log at that line.

use leptos::prelude::*;

use crate::browser::number;
use crate::text;
use crate::triage::causes::{Cause, Group};

use super::{show_log, Triage};

/// Groups listed; the rest are counted.
const LISTED: usize = 10;

#[component]
pub fn CauseGroups(t: Triage) -> impl IntoView {
    let groups = Memo::new(move |_| {
        t.reasons.with(|r| {
            let ranked = r.causes().ranked();
            let more = ranked.len().saturating_sub(LISTED);
            let listed: Vec<Group> = ranked.into_iter().take(LISTED).cloned().collect();
            (listed, more)
        })
    });
    move || {
        groups.with(|(listed, _)| !listed.is_empty()).then(|| {
            view! {
                <div class="apc-causes">
                    <h3 class="apc-causes__title">{text::CAUSES_TITLE}</h3>
                    <ul class="apc-causes__list">
                        // Keyed by cause and count: a group stays while the log is read past
                        // lines that do not change it.
                        <For each=move || groups.with(|(listed, _)| listed.clone())
                            key=|g| (g.cause.clone(), g.count)
                            children=|g| view! { <CauseGroup g/> }/>
                    </ul>
                    {move || groups.with(|(_, more)| (*more > 0).then(|| view! {
                        <p class="apc-muted">{text::causes_more(&number(*more as u64))}</p>
                    }))}
                </div>
            }
        })
    }
}

/// One cause: its words, then (opened) the file looked for and the lines.
#[component]
fn CauseGroup(g: Group) -> impl IntoView {
    let (words, looked_for) = match &g.cause {
        Cause::MissingFile(path) => (
            text::causes_missing(
                g.cause.name(),
                &number(g.count),
                g.count,
                &number(g.assets.len() as u64),
                g.assets.len(),
            ),
            Some(text::causes_looked_for(path)),
        ),
        Cause::Kind(kind) => (
            text::causes_kind(
                kind,
                &number(g.count),
                g.count,
                &number(g.assets.len() as u64),
                g.assets.len(),
            ),
            None,
        ),
    };
    let more = g.count.saturating_sub(g.lines.len() as u64);
    let lines = g
        .lines
        .iter()
        .map(|(n, path)| {
            let label = text::causes_line_label(&number(*n), path);
            view! {
                <li>
                    <a class="apc-causes__line" href=format!("#L{n}") rel="external" aria-label=label
                        on:click=move |_| show_log()>{text::problems_line(&number(*n))}</a>
                    " "<span class="apc-path">{path.clone()}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <li class="apc-causes__group">
            <details>
                <summary class="apc-causes__summary">
                    <span class="apc-disclosure">{words}</span>
                </summary>
                {looked_for.map(|p| view! { <p class="apc-muted apc-path">{p}</p> })}
                <ul class="apc-causes__lines">{lines}</ul>
                {(more > 0).then(|| view! {
                    <p class="apc-muted">{text::causes_more_lines(&number(more))}</p>
                })}
            </details>
        </li>
    }
}
