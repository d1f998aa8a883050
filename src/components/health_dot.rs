//! The header's health: a quiet dot, or the warning in words (`api::health` reads the answer).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::health::Health;
use crate::api::ApiClient;
use crate::text;

/// How often the back end's health is asked while the page is visible.
const EVERY_MS: u64 = 30_000;

/// A quiet dot in the header when the processing back end says it is healthy; a clear
/// warning when it says otherwise or stops answering; nothing at all on a server without
/// the system status endpoint (a 404 is not an error).
#[component]
pub fn HealthDot() -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let health = RwSignal::new(Health::Hidden);
    let ask = move || {
        let client = client.clone();
        spawn_local(async move {
            let now = client.system_health().await;
            // The header lives as long as the app, but be safe if it is ever unmounted.
            let _ = health.try_set(now);
        });
    };
    // First after the page's own requests are out (a task after their microtasks): on the
    // history, its answer is what the person waits for.
    set_timeout(ask.clone(), std::time::Duration::ZERO);
    let timer = set_interval_with_handle(
        move || {
            if crate::browser::page_visible() {
                ask();
            }
        },
        std::time::Duration::from_millis(EVERY_MS),
    )
    .ok();
    on_cleanup(move || {
        if let Some(t) = timer {
            t.clear();
        }
    });
    move || {
        match health.get() {
        Health::Hidden => ().into_any(),
        Health::Healthy => view! {
            <span class="apc-health apc-health--ok" role="img" aria-label=text::HEALTH_OK title=text::HEALTH_OK></span>
        }
        .into_any(),
        Health::Unhealthy(reason) => view! {
            <span class="apc-health apc-health--bad" role="status">
                <span class="apc-health__dot" aria-hidden="true"></span>
                {text::health_unhealthy(&reason)}
            </span>
        }
        .into_any(),
        Health::DatabaseFailed => view! {
            <span class="apc-health apc-health--bad" role="status">
                <span class="apc-health__dot" aria-hidden="true"></span>
                {text::HEALTH_DATABASE_FAILED}
            </span>
        }
        .into_any(),
        Health::Unreachable => view! {
            <span class="apc-health apc-health--bad" role="status">
                <span class="apc-health__dot" aria-hidden="true"></span>
                {text::HEALTH_UNREACHABLE}
            </span>
        }
        .into_any(),
    }
    }
}
