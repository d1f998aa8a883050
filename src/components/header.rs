//! The console's title bar: its name, the back end's health, a skip link for keyboard users.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::text;

/// The console's title bar, with a skip link for keyboard users.
#[component]
pub fn Header() -> impl IntoView {
    let home = use_context::<crate::config::Config>()
        .unwrap_or_default()
        .href("/");
    view! {
        <a class="apc-skip" href="#apc-main">{text::SKIP_TO_CONTENT}</a>
        <header class="apc-header">
            <A href=home attr:class="apc-header__title">
                <span class="apc-header__mark" aria-hidden="true"></span>
                {text::APP_TITLE}
            </A>
            <span class="apc-header__subtitle">{text::APP_SUBTITLE}</span>
            <crate::components::HealthDot/>
        </header>
    }
}
