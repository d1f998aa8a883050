//! The page for an address that is not one of the console's, with the way back.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::text;

#[component]
pub fn NotFound() -> impl IntoView {
    let home = use_context::<crate::config::Config>()
        .unwrap_or_default()
        .href("/");
    view! {
        <section class="apc-panel apc-empty">
            <h1 class="apc-empty__title">{text::NOT_FOUND_TITLE}</h1>
            <p>{text::NOT_FOUND_BODY}</p>
            <A href=home>{text::BACK_TO_HISTORY}</A>
        </section>
    }
}
