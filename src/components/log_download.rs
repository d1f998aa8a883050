//! The "download logs" link: a ZIP for the browser, or the list of log files a server names
//! instead (the other form the published pages describe).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::download::{file_name, DownloadAnswer};
use crate::api::{ApiClient, ClientError};
use crate::components::ErrorPanel;
use crate::text;

/// The "download logs" link. It stays a real link (`download`, so the router leaves it
/// alone and it works without script), but a click first asks the server what it answers:
/// a ZIP is handed to the browser to download; JSON `{"logFilePaths": [...]}` (the other
/// form the published pages describe) becomes a list of links to those files.
#[component]
pub fn LogDownload(
    href: String,
    #[prop(into)] label: String,
    #[prop(into)] class: String,
    #[prop(optional, into)] aria_label: Option<String>,
) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let files = RwSignal::new(None::<Vec<String>>);
    let error = RwSignal::new(None::<ClientError>);
    let busy = RwSignal::new(false);
    let url = href.clone();
    let click = move |ev: leptos::ev::MouseEvent| {
        if !plain_click(&ev) {
            return;
        }
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let (client, url) = (client.clone(), url.clone());
        spawn_local(async move {
            match ask_for_logs(client, url).await {
                Ok(named) => files.set(named),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <a class=class href=href download="" rel="external" aria-label=aria_label
            aria-busy=move || busy.get().to_string() on:click=click>{label}</a>
        {move || files.get().map(|list| {
            if list.is_empty() {
                return view! { <p class="apc-muted apc-log-files" role="status">{text::NO_LOG_FILES}</p> }.into_any();
            }
            view! {
                <ul class="apc-log-files" aria-label=text::LOG_FILES role="list">
                    {list.into_iter().map(|url| {
                        let name = file_name(&url).to_string();
                        view! { <li><a class="apc-link" href=url download="" rel="external">{name}</a></li> }
                    }).collect_view()}
                </ul>
            }.into_any()
        })}
        {move || error.get().map(|e| view! { <ErrorPanel error=e/> })}
    }
}

/// A plain click (not a new tab, save as, or another button): the page's own business.
pub fn plain_click(ev: &leptos::ev::MouseEvent) -> bool {
    !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key() || ev.button() != 0)
}

/// Asks the server what its logs' address answers: a ZIP is handed to the browser to
/// download (`None`); a list of log files (the other form the published pages describe) is
/// returned to be shown as links.
pub async fn ask_for_logs(
    client: ApiClient,
    url: String,
) -> Result<Option<Vec<String>>, ClientError> {
    match crate::lazy::actions::download_answer(client, url.clone()).await? {
        DownloadAnswer::Archive => {
            crate::browser::start_download(&url);
            Ok(None)
        }
        DownloadAnswer::Files(list) => Ok(Some(list)),
    }
}
