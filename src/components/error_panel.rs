use leptos::prelude::*;

use crate::api::ClientError;
use crate::text;

/// A failed call, said in words, with a way to try again.
#[component]
pub fn ErrorPanel(
    error: ClientError,
    #[prop(optional, into)] retry: Option<Callback<()>>,
) -> impl IntoView {
    view! {
        <div class="apc-alert apc-alert--negative" role="alert">
            <p class="apc-alert__text">{error.message()}</p>
            {retry.map(|retry| view! {
                <button type="button" class="apc-button apc-button--secondary" on:click=move |_| retry.run(())>
                    {text::TRY_AGAIN}
                </button>
            })}
        </div>
    }
}
