//! A progress bar with its words: determinate once the total is known, else indeterminate.

use leptos::prelude::*;

use crate::format::Progress;
use crate::text;

/// A progress bar: determinate once the total is known, indeterminate while counting.
#[component]
pub fn ProgressBar(
    #[prop(into)] progress: Signal<Progress>,
    #[prop(into)] label: String,
) -> impl IntoView {
    let percent = move || progress.get().percent();
    view! {
        <div class="apc-progress">
            <div
                class="apc-progress__track"
                class:apc-progress__track--indeterminate=move || percent().is_none()
                role="progressbar"
                aria-label=label
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=move || percent().map(|p| p.to_string())
                aria-valuetext=move || {
                    let p = progress.get();
                    text::progress(p.handled, p.total, crate::browser::number)
                }
            >
                <div
                    class="apc-progress__fill"
                    style:width=move || percent().map(|p| format!("{p}%")).unwrap_or_else(|| "30%".into())
                ></div>
            </div>
            <span class="apc-progress__text">
                {move || progress.get().words(crate::browser::number)}
            </span>
        </div>
    }
}
