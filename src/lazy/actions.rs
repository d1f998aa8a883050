//! The requests behind the history's row actions (cancel, resume, restart, with the CSRF
//! token and a restart's new job) and a log download's first answer: `act` and
//! `download_answer`. In a split build they come with a chunk of their own; the buttons and
//! links render with the history, their code comes with the chunk, prefetched with the pages
//! or fetched at the first click. Every other build calls `ApiClient` at once.

use asset_processing_api::{Job, JobAction};

use crate::api::download::DownloadAnswer;
use crate::api::{Acted, ApiClient, ClientError};

/// `ApiClient::act`, from the actions' chunk in a split build.
pub async fn act(client: ApiClient, action: JobAction, job: Job) -> Result<Acted, ClientError> {
    #[cfg(apc_split)]
    {
        (split::actions().await.act)(client, action, job).await
    }
    #[cfg(not(apc_split))]
    {
        client.act(action, &job).await
    }
}

/// `ApiClient::download_answer`, from the actions' chunk in a split build.
pub async fn download_answer(
    client: ApiClient,
    url: String,
) -> Result<DownloadAnswer, ClientError> {
    #[cfg(apc_split)]
    {
        (split::actions().await.download)(client, url).await
    }
    #[cfg(not(apc_split))]
    {
        client.download_answer(&url).await
    }
}

/// Fetches the actions' chunk (once; nothing to do in a build that is not split).
#[cfg(not(apc_split))]
pub fn prefetch() {}

#[cfg(apc_split)]
pub use split::prefetch;

/// Waits until the actions' chunk is in (fetching it unless it is).
#[cfg(apc_split)]
pub async fn fetched() {
    split::actions().await;
}

#[cfg(apc_split)]
mod split {
    use std::cell::Cell;
    use std::future::Future;
    use std::pin::Pin;

    use asset_processing_api::{Job, JobAction};
    use leptos::lazy;

    use super::super::chunk::{load, loaded};
    use crate::api::download::DownloadAnswer;
    use crate::api::{Acted, ApiClient, ClientError};

    type Boxed<T> = Pin<Box<dyn Future<Output = Result<T, ClientError>>>>;

    /// The requests of the actions' chunk.
    #[derive(Clone, Copy)]
    pub struct Actions {
        pub act: fn(ApiClient, JobAction, Job) -> Boxed<Acted>,
        pub download: fn(ApiClient, String) -> Boxed<DownloadAnswer>,
    }

    thread_local! {
        static ACTIONS: Cell<Option<Actions>> = const { Cell::new(None) };
    }

    #[lazy]
    fn actions_chunk() -> Actions {
        Actions {
            act: |client, action, job| Box::pin(async move { client.act(action, &job).await }),
            download: |client, url| Box::pin(async move { client.download_answer(&url).await }),
        }
    }

    /// The actions' requests, once their chunk is in.
    pub async fn actions() -> Actions {
        loaded(&ACTIONS, actions_chunk).await
    }

    /// Fetches the actions' chunk in the background (once).
    pub fn prefetch() {
        load(&ACTIONS, actions_chunk);
    }
}
