//! A failed call in words, with a way to try again, or to sign in when the session ended.

use leptos::prelude::*;

use crate::api::{sign_in_url, ApiClient, ClientError};
use crate::text;

/// The page's own address (path, query, fragment): where signing in brings the person back.
fn current_location() -> String {
    let location = window().location();
    format!(
        "{}{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default(),
        location.hash().unwrap_or_default()
    )
}

/// A failed call, said in words, with a way to try again (and to sign in when the session
/// has ended).
#[component]
pub fn ErrorPanel(
    error: ClientError,
    #[prop(optional, into)] retry: Option<Callback<()>>,
) -> impl IntoView {
    let sign_in = (error == ClientError::SessionExpired).then(|| {
        let base = use_context::<ApiClient>().map(|c| c.base().to_string()).unwrap_or_default();
        view! {
            // rel="external": the router must let the browser load the login page.
            <a class="apc-button apc-button--primary apc-link-button" rel="external" href=sign_in_url(&base, &current_location())>
                {text::SIGN_IN}
            </a>
        }
    });
    view! {
        <div class="apc-alert apc-alert--negative" role="alert">
            <p class="apc-alert__text">{error.message()}</p>
            {sign_in}
            {retry.map(|retry| view! {
                <button type="button" class="apc-button apc-button--secondary" on:click=move |_| retry.run(())>
                    {text::TRY_AGAIN}
                </button>
            })}
        </div>
    }
}
