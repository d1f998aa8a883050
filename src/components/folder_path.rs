//! A folder's path as text that breaks only after a `/` (never inside a name).

use leptos::prelude::*;

/// A folder's path that breaks only after a `/`, never inside a name: each name that could
/// break (it has a space) is kept whole, and a break may come after each `/`.
#[component]
pub fn FolderPath(path: String) -> impl IntoView {
    crate::format::path_pieces(&path)
        .into_iter()
        .enumerate()
        .map(|(i, piece)| {
            let piece = piece.to_string();
            view! {
                {(i > 0).then(|| view! { <wbr/> })}
                {if piece.contains(' ') { view! { <span class="apc-nowrap">{piece}</span> }.into_any() } else { piece.into_any() }}
            }
        })
        .collect_view()
}
