//! The confirmation dialog of an action that stops work or makes a new job.

use leptos::html::Dialog;
use leptos::prelude::*;

/// A modal confirmation (the native `<dialog>`: focus stays inside, Escape closes it).
/// `open` shows it; choosing either button closes it.
#[component]
pub fn Confirm(
    open: RwSignal<bool>,
    #[prop(into)] title: String,
    #[prop(into)] body: String,
    #[prop(into)] confirm_label: String,
    #[prop(into)] dismiss_label: String,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();
    Effect::new(move |_| {
        let Some(d) = dialog.get() else { return };
        if open.get() {
            if !d.open() {
                let _ = d.show_modal();
            }
        } else if d.open() {
            d.close();
        }
    });
    static NEXT_ID: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let title_id = format!(
        "apc-confirm-{}",
        NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let labelled_by = title_id.clone();
    view! {
        <dialog
            class="apc-dialog"
            node_ref=dialog
            aria-labelledby=labelled_by
            on:close=move |_| open.set(false)
        >
            <h2 class="apc-dialog__title" id=title_id>{title}</h2>
            <p>{body}</p>
            <div class="apc-dialog__buttons">
                <button type="button" class="apc-button apc-button--secondary" on:click=move |_| open.set(false)>
                    {dismiss_label}
                </button>
                <button
                    type="button"
                    class="apc-button apc-button--negative"
                    on:click=move |_| {
                        open.set(false);
                        on_confirm.run(());
                    }
                >
                    {confirm_label}
                </button>
            </div>
        </dialog>
    }
}
