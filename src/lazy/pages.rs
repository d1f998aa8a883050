//! The pages the first screen (the history) does not need: the job view with its log viewer,
//! the report, the start form and the comparison of two runs. In a split build (`--cfg apc_split`, set only by
//! `cargo xtask`'s release build, see xtask/src/split.rs) each is a `#[lazy]` function whose
//! code wasm-split moves out of the main module into a chunk fetched when it is first asked
//! for; every other build (`trunk serve`, the wasm component tests) uses the pages as they are.
//!
//! A lazy page shows a loading line (never a blank page) until its chunk is in, then renders
//! the page; once loaded it renders at once. `prefetch` fetches every chunk after the history
//! has rendered (one at a time, when the browser is idle), so opening a job from the list
//! feels instant.
//!
//! To add a page: a `#[lazy]` loader returning `|| view! { <pages::Page/> }.into_any()`, a
//! cache cell, a component over `lazy_view` (the non-split build re-exports the page), a line
//! in `prefetch`, and the route in `lib.rs` naming `lazy::pages::Page`.
//!
//! `prefetch` also fetches the actions' chunk (`lazy::actions`).

#[cfg(not(apc_split))]
pub use crate::pages::{ComparePage, JobPage, ReportPage, StartPage};

/// Fetches the chunks of the lazy pages (once; nothing to do in a build that is not split).
#[cfg(not(apc_split))]
pub fn prefetch() {
    super::actions::prefetch();
}

#[cfg(apc_split)]
pub use split::{prefetch, ComparePage, JobPage, ReportPage, StartPage};

#[cfg(apc_split)]
mod split {
    use std::cell::Cell;
    use std::future::Future;

    use leptos::lazy;
    use leptos::prelude::*;

    use super::super::chunk::{idle, loaded, Cache};
    use crate::{pages, text};

    /// A page's view, once its code is in the module.
    type Render = fn() -> AnyView;

    thread_local! {
        static JOB: Cell<Option<Render>> = const { Cell::new(None) };
        static REPORT: Cell<Option<Render>> = const { Cell::new(None) };
        static START: Cell<Option<Render>> = const { Cell::new(None) };
        static COMPARE: Cell<Option<Render>> = const { Cell::new(None) };
        static PREFETCHED: Cell<bool> = const { Cell::new(false) };
    }

    #[lazy]
    fn job_chunk() -> Render {
        || view! { <pages::JobPage/> }.into_any()
    }

    #[lazy]
    fn report_chunk() -> Render {
        || view! { <pages::ReportPage/> }.into_any()
    }

    #[lazy]
    fn start_chunk() -> Render {
        || view! { <pages::StartPage/> }.into_any()
    }

    #[lazy]
    fn compare_chunk() -> Render {
        || view! { <pages::ComparePage/> }.into_any()
    }

    #[component]
    pub fn JobPage() -> impl IntoView {
        lazy_view(&JOB, job_chunk, text::JOB_LOADING)
    }

    #[component]
    pub fn ReportPage() -> impl IntoView {
        lazy_view(&REPORT, report_chunk, text::REPORT_LOADING)
    }

    #[component]
    pub fn StartPage() -> impl IntoView {
        lazy_view(&START, start_chunk, text::START_LOADING)
    }

    #[component]
    pub fn ComparePage() -> impl IntoView {
        lazy_view(&COMPARE, compare_chunk, text::COMPARE_LOADING)
    }

    /// Fetches every lazy page's chunk and the actions', once: one after the other, each
    /// when the browser is idle, the job view's first (the page a person opens most from the
    /// history). All at once, their fetches and instantiation were two long tasks right after
    /// the history showed (docs/performance.md, tenth session). A page asked for meanwhile
    /// loads at once: its chunk is fetched once whoever asks first.
    pub fn prefetch() {
        if PREFETCHED.replace(true) {
            return;
        }
        leptos::task::spawn_local(async {
            idle().await;
            loaded(&JOB, job_chunk).await;
            idle().await;
            super::super::actions::fetched().await;
            idle().await;
            loaded(&REPORT, report_chunk).await;
            idle().await;
            loaded(&START, start_chunk).await;
            idle().await;
            loaded(&COMPARE, compare_chunk).await;
        });
    }

    /// The page from its cache, or a loading line until its chunk is in.
    fn lazy_view<F: Future<Output = Render> + 'static>(
        cache: &'static Cache<Render>,
        chunk: fn() -> F,
        loading: &'static str,
    ) -> AnyView {
        if let Some(render) = cache.get() {
            return untrack(render);
        }
        let shown = RwSignal::new(None::<Render>);
        leptos::task::spawn_local(async move {
            let render = loaded(cache, chunk).await;
            // The page may have been left meanwhile: then nothing is shown.
            let _ = shown.try_set(Some(render));
        });
        (move || match shown.get() {
            Some(render) => untrack(render),
            None => view! { <p class="apc-loading" role="status" aria-busy="true">{loading}</p> }
                .into_any(),
        })
        .into_any()
    }
}
