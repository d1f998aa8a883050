//! The bar of the marked line or range: what is marked, "Copy lines" (the text without line
//! numbers, loading the pages it needs first) and "Copy link".

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ClientError;
use crate::browser::{copy_text, number};
use crate::job_log::JobLog;
use crate::log_model::LineSpan;
use crate::text;

use super::marks::span_url;
use super::state::Viewer;

/// The most lines "Copy lines" copies (ten pages): more is the ZIP's job.
const COPY_MAX: u64 = 10_000;

#[component]
pub(super) fn SelectedLines(v: Viewer, log: JobLog) -> impl IntoView {
    let status = RwSignal::new(None::<String>);
    // A new mark: the last copy's word is about another range.
    Effect::new(move |_| {
        v.span();
        status.set(None);
    });
    let log = StoredValue::new(log);
    let copy_lines = move |span: LineSpan| {
        if span.len() > COPY_MAX {
            status.set(Some(text::log_copy_too_many(&number(COPY_MAX))));
            return;
        }
        status.set(Some(text::LOG_COPYING.to_string()));
        let log = log.get_value();
        spawn_local(async move {
            let said = match span_text(v, &log, span).await {
                Ok(text) => {
                    copy_text(&text);
                    text::log_copied(&number(span.len()), span.is_single())
                }
                Err(e) => text::log_load_failed(&e.message()),
            };
            let _ = status.try_set(Some(said));
        });
    };
    move || {
        v.span().and_then(|s| s.within(v.len.get())).map(|span| {
            let said = if span.is_single() {
                text::log_line_selected(&number(span.first))
            } else {
                text::log_lines_selected(&number(span.first), &number(span.last), &number(span.len()))
            };
            let (copy_label, link_label) = if span.is_single() {
                (text::LOG_COPY_LINE, text::LOG_COPY_LINK)
            } else {
                (text::LOG_COPY_LINES, text::LOG_COPY_RANGE_LINK)
            };
            view! {
                <div class="apc-logv__bar apc-logv__selected">
                    <span>{said}</span>
                    <button type="button" class="apc-button apc-button--quiet" on:click=move |_| copy_lines(span)>{copy_label}</button>
                    <button type="button" class="apc-button apc-button--quiet" on:click=move |_| {
                        copy_text(&span_url(span));
                        status.set(Some(text::LOG_LINK_COPIED.to_string()));
                    }>{link_label}</button>
                    <span class="apc-muted" role="status">{move || status.get()}</span>
                </div>
            }
        })
    }
}

/// The text of `span`'s lines, one per line, without numbers: from the cache where it has
/// them, else each missing page fetched (and kept, as any page read is).
async fn span_text(v: Viewer, log: &JobLog, span: LineSpan) -> Result<String, ClientError> {
    let lines = log
        .lines(span.indices(), |offset, lines| {
            v.absorb_keeping_place(offset, lines)
        })
        .await?;
    Ok(lines.join("\n"))
}
