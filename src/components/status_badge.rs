//! A job's status as a light: a dot and the word, coloured by its tone (`status_tone`).

use asset_processing_api::Status;
use leptos::prelude::*;

/// The colour family of a status (a CSS modifier). Unknown values are neutral.
pub fn status_tone(status: &Status) -> &'static str {
    match status {
        Status::Waiting => "neutral",
        Status::Running => "info",
        Status::Success => "positive",
        Status::Failed => "negative",
        Status::Cancelled => "notice",
        Status::Other(_) => "neutral",
    }
}

/// A status light: a coloured dot (the CSS draws it, `::before`) and the status in words
/// as AEM's screen says them (never colour alone); the API's word is its title.
#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    let class = format!("apc-status apc-status--{}", status_tone(&status));
    let word = crate::text::status_word(&status).to_string();
    let title = (word != status.as_str()).then(|| status.as_str().to_string());
    view! {
        <span class=class title=title>{word}</span>
    }
}
