//! The start form: folder (type-ahead and a browser over Sling's JSON), excluded folders,
//! type, filter. What is typed is kept in the tab while the person signs in again.

use asset_processing_api::{FileCategory, ProcessingType, DAM_ROOT};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::api::{ApiClient, ClientError, FolderEntry};
use crate::components::{ErrorPanel, PastRuns};
mod form;

use crate::text;
use form::{
    check_excluded, completion_base, field_of_message, overlapping_runs, sentence, Draft, Field,
};

const DRAFT_KEY: &str = "apc-start-draft";

/// The form's fields, each a signal, first from the tab's draft (an expired session loses
/// nothing: every keystroke is kept for this tab).
#[derive(Clone, Copy)]
struct Fields {
    path: RwSignal<String>,
    excluded: RwSignal<Vec<String>>,
    categories: RwSignal<Vec<String>>,
    created_after: RwSignal<String>,
    created_before: RwSignal<String>,
    skip: RwSignal<bool>,
    kind: RwSignal<String>,
    draft: Memo<Draft>,
}

fn use_fields() -> Fields {
    let initial = crate::browser::session_get(DRAFT_KEY)
        .and_then(|t| Draft::from_storage(&t))
        .unwrap_or_default();
    let path = RwSignal::new(initial.path.clone());
    let excluded = RwSignal::new(initial.excluded.clone());
    let categories = RwSignal::new(initial.categories.clone());
    let created_after = RwSignal::new(initial.created_after.clone());
    let created_before = RwSignal::new(initial.created_before.clone());
    let skip = RwSignal::new(initial.skip_processed);
    let kind = RwSignal::new(initial.kind.clone());
    let draft = Memo::new(move |_| Draft {
        path: path.get(),
        excluded: excluded.get(),
        categories: categories.get(),
        created_after: created_after.get(),
        created_before: created_before.get(),
        skip_processed: skip.get(),
        kind: kind.get(),
    });
    Effect::new(move |_| crate::browser::session_set(DRAFT_KEY, &draft.get().to_storage()));
    Fields {
        path,
        excluded,
        categories,
        created_after,
        created_before,
        skip,
        kind,
        draft,
    }
}

/// What is wrong, at each field (and for the form as a whole).
#[derive(Clone, Copy)]
struct Errors {
    path: RwSignal<Option<String>>,
    excluded: RwSignal<Option<String>>,
    kind: RwSignal<Option<String>>,
    file_types: RwSignal<Option<String>>,
    after: RwSignal<Option<String>>,
    before: RwSignal<Option<String>>,
    form: RwSignal<Option<ClientError>>,
}

impl Errors {
    fn new() -> Errors {
        Errors {
            path: RwSignal::new(None),
            excluded: RwSignal::new(None),
            kind: RwSignal::new(None),
            file_types: RwSignal::new(None),
            after: RwSignal::new(None),
            before: RwSignal::new(None),
            form: RwSignal::new(None),
        }
    }

    fn clear(&self) {
        for field in [
            self.path,
            self.excluded,
            self.kind,
            self.file_types,
            self.after,
            self.before,
        ] {
            field.set(None);
        }
        self.form.set(None);
    }

    fn show(&self, field: Field, message: String) {
        match field {
            Field::Path => self.path.set(Some(message)),
            Field::Excluded => self.excluded.set(Some(message)),
            Field::Type => self.kind.set(Some(message)),
            Field::FileTypes => self.file_types.set(Some(message)),
            Field::CreatedAfter => self.after.set(Some(message)),
            Field::CreatedBefore => self.before.set(Some(message)),
            Field::Form => self.form.set(Some(ClientError::Rejected {
                status: 400,
                message,
            })),
        }
    }
}

#[component]
pub fn StartPage() -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let fields = use_fields();
    let errors = Errors::new();
    let pending = RwSignal::new(false);
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // One click (or one Enter) makes one job: nothing more is sent while one is pending.
        if pending.get_untracked() {
            return;
        }
        errors.clear();
        let request = match fields
            .draft
            .get_untracked()
            .to_request(&crate::browser::local_input_ms)
        {
            Ok(r) => r,
            Err((field, message)) => return errors.show(field, message),
        };
        pending.set(true);
        let (client, navigate) = (client.clone(), navigate.clone());
        spawn_local(async move {
            match client.start(&request).await {
                Ok(started) => {
                    crate::browser::session_remove(DRAFT_KEY);
                    navigate(
                        &format!("/jobs/{}", started.processing_id),
                        Default::default(),
                    );
                }
                Err(ClientError::Rejected {
                    status: 400,
                    message,
                }) => errors.show(field_of_message(&message), sentence(&message)),
                Err(e) => errors.form.set(Some(e)),
            }
            pending.set(false);
        });
    };
    let Fields {
        path,
        excluded,
        categories,
        created_after,
        created_before,
        skip,
        kind,
        ..
    } = fields;

    view! {
        <section class="apc-panel apc-start" aria-labelledby="apc-start-title">
            <h1 class="apc-panel__title" id="apc-start-title">{text::START_TITLE}</h1>
            <p class="apc-muted">{text::START_INTRO}</p>
            <form class="apc-form" on:submit=submit novalidate>
                <PathField path error=errors.path/>
                <ExcludedFolders path excluded error=errors.excluded/>
                <TypeField kind error=errors.kind/>
                <FileTypeBoxes categories error=errors.file_types/>
                <CreatedWindow after=created_after before=created_before after_error=errors.after before_error=errors.before/>
                <label class="apc-check">
                    <input type="checkbox" id="apc-skip" prop:checked=move || skip.get()
                        on:change=move |ev| skip.set(event_target_checked(&ev))/>
                    {text::FIELD_SKIP}
                </label>
                {move || errors.form.get().map(|e| {
                    let expired = e == ClientError::SessionExpired;
                    view! {
                        <ErrorPanel error=e/>
                        {expired.then(|| view! { <p class="apc-muted">{text::DRAFT_KEPT}</p> })}
                    }
                })}
                <div class="apc-form__buttons">
                    <button type="submit" class="apc-button apc-button--primary" disabled=move || pending.get()
                        aria-busy=move || pending.get().to_string()>
                        {move || if pending.get() { text::SUBMITTING } else { text::SUBMIT }}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// The processing type (the published API knows one; a server may know more).
#[component]
fn TypeField(kind: RwSignal<String>, error: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        <div class="apc-field apc-field--inline">
            <div>
                <label for="apc-type">{text::FIELD_TYPE}</label>
                <select id="apc-type" class="apc-input" aria-describedby="apc-type-error"
                    on:change=move |ev| kind.set(event_target_value(&ev))>
                    {ProcessingType::KNOWN.iter().map(|k| {
                        let v = k.as_str().to_string();
                        let selected = v == kind.get_untracked();
                        view! { <option value=v.clone() selected=selected>{v.clone()}</option> }
                    }).collect_view()}
                </select>
                <p class="apc-field__error" id="apc-type-error" role="alert">{move || error.get()}</p>
            </div>
        </div>
    }
}

/// The folder (or asset) to process: type-ahead over Sling's JSON, a folder browser, and the
/// pre-flight note about unfinished runs on the same assets.
#[component]
fn PathField(path: RwSignal<String>, error: RwSignal<Option<String>>) -> impl IntoView {
    // One request for both the pre-flight and the folder's previous runs.
    let recent = use_recent_runs();
    let client = expect_context::<ApiClient>();
    // Type-ahead: the children of the folder being typed in.
    let path_suggestions = suggestions(client, Signal::derive(move || path.get()));
    let browsing = RwSignal::new(false);
    view! {
        <div class="apc-field">
            <label for="apc-path">{text::FIELD_PATH}</label>
            <div class="apc-field__row">
                <input id="apc-path" name="path" type="text" class="apc-input" list="apc-path-options"
                    autocomplete="off" spellcheck="false" placeholder="/content/dam/…"
                    aria-describedby="apc-path-help apc-path-error"
                    aria-invalid=move || error.get().is_some().to_string()
                    prop:value=move || path.get()
                    on:input=move |ev| { path.set(event_target_value(&ev)); error.set(None); }/>
                <button type="button" class="apc-button apc-button--secondary" aria-expanded=move || browsing.get().to_string()
                    aria-controls="apc-browser" on:click=move |_| browsing.update(|b| *b = !*b)>{text::BROWSE}</button>
            </div>
            <datalist id="apc-path-options">
                {move || path_suggestions.get().into_iter().map(|s| view! { <option value=s/> }).collect_view()}
            </datalist>
            <p class="apc-help" id="apc-path-help">{text::FIELD_PATH_HELP}</p>
            <p class="apc-field__error" id="apc-path-error" role="alert">{move || error.get()}</p>
            <Preflight path=Signal::derive(move || path.get()) runs=recent/>
            <PastRuns path=Signal::derive(move || path.get()) history=recent/>
            <Show when=move || browsing.get()>
                <FolderBrowser start=path.get_untracked() on_pick=Callback::new(move |p: String| {
                    path.set(p);
                    error.set(None);
                    browsing.set(false);
                })/>
            </Show>
        </div>
    }
}

/// Folders below the chosen one that are left out, each checked as it is added.
#[component]
fn ExcludedFolders(
    path: RwSignal<String>,
    excluded: RwSignal<Vec<String>>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let new_excluded = RwSignal::new(String::new());
    let excluded_suggestions = suggestions(
        client,
        Signal::derive(move || {
            let typed = new_excluded.get();
            if typed.trim().is_empty() {
                format!("{}/", path.get().trim_end_matches('/'))
            } else {
                typed
            }
        }),
    );
    let add_excluded = move || {
        let candidate = new_excluded.get_untracked();
        if candidate.trim().is_empty() {
            return;
        }
        match check_excluded(&path.get_untracked(), &excluded.get_untracked(), &candidate) {
            Ok(normal) => {
                excluded.update(|v| v.push(normal));
                new_excluded.set(String::new());
                error.set(None);
            }
            Err(message) => error.set(Some(message)),
        }
    };
    view! {
        <fieldset class="apc-field">
            <legend>{text::FIELD_EXCLUDED}</legend>
            <p class="apc-help" id="apc-excluded-help">{text::FIELD_EXCLUDED_HELP}</p>
            <ul class="apc-chips" aria-label=text::FIELD_EXCLUDED>
                {move || excluded.get().into_iter().enumerate().map(|(i, p)| {
                    let label = format!("{} {p}", text::REMOVE);
                    view! {
                        <li class="apc-chip">
                            <span class="apc-path">{p}</span>
                            <button type="button" class="apc-chip__remove" aria-label=label
                                on:click=move |_| excluded.update(|v| { if i < v.len() { v.remove(i); } })>"×"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <div class="apc-field__row">
                <input id="apc-excluded" type="text" class="apc-input" list="apc-excluded-options" autocomplete="off"
                    spellcheck="false" aria-label=text::NEW_EXCLUDED aria-describedby="apc-excluded-help apc-excluded-error"
                    aria-invalid=move || error.get().is_some().to_string()
                    prop:value=move || new_excluded.get()
                    on:input=move |ev| { new_excluded.set(event_target_value(&ev)); error.set(None); }
                    on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); add_excluded(); }/>
                <button type="button" class="apc-button apc-button--secondary" on:click=move |_| add_excluded()>
                    {text::ADD_EXCLUDED}
                </button>
            </div>
            <datalist id="apc-excluded-options">
                {move || excluded_suggestions.get().into_iter().map(|s| view! { <option value=s/> }).collect_view()}
            </datalist>
            <p class="apc-field__error" id="apc-excluded-error" role="alert">{move || error.get()}</p>
        </fieldset>
    }
}

/// How often the pre-flight check looks at the runs again while the form is open.
const PREFLIGHT_REFRESH_MS: u64 = 15_000;

/// The recent runs the form reads (the pre-flight and the folder's previous runs): one
/// history request when the form opens, asked again while it stays open.
fn use_recent_runs() -> LocalResource<Option<asset_processing_api::History>> {
    let client = expect_context::<ApiClient>();
    let runs = LocalResource::new(move || {
        let client = client.clone();
        async move {
            client
                .history(asset_processing_api::HISTORY_LIMIT_MAX)
                .await
                .ok()
        }
    });
    let timer = set_interval_with_handle(
        move || runs.refetch(),
        std::time::Duration::from_millis(PREFLIGHT_REFRESH_MS),
    )
    .ok();
    on_cleanup(move || {
        if let Some(t) = timer {
            t.clear();
        }
    });
    runs
}

/// Pre-flight: a run already waiting or running on the same folder, one containing it or
/// one inside it is named, with a link, before the person starts another (which they may).
#[component]
fn Preflight(
    path: Signal<String>,
    runs: LocalResource<Option<asset_processing_api::History>>,
) -> impl IntoView {
    let config = use_context::<crate::config::Config>().unwrap_or_default();
    move || {
        let history = runs.get().flatten()?;
        let typed = path.get();
        let found = overlapping_runs(&history.execution_history, &typed);
        if found.is_empty() {
            return None;
        }
        Some(view! {
            <div class="apc-alert apc-alert--notice apc-preflight" role="status">
                <p class="apc-alert__text">{text::PREFLIGHT_INTRO}</p>
                <ul class="apc-preflight__runs">
                    {found.into_iter().map(|(job, overlap)| {
                        let href = config.href(&format!("/jobs/{}", job.processing_id));
                        view! {
                            <li>
                                <a class="apc-link" href=href>{text::preflight_run(&job.status.to_string(), &job.path, overlap.words())}</a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <p class="apc-alert__text">{text::PREFLIGHT_START_ANYWAY}</p>
            </div>
        })
    }
}

/// The file-type categories as a group of checkboxes; none ticked means every type.
#[component]
fn FileTypeBoxes(
    categories: RwSignal<Vec<String>>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    view! {
        <fieldset class="apc-field apc-categories" aria-describedby="apc-file-types-help apc-file-types-error">
            <legend>{text::FIELD_FILE_TYPES}</legend>
            <p class="apc-help" id="apc-file-types-help">{text::FIELD_FILE_TYPES_HELP}</p>
            <div class="apc-categories__boxes">
                {FileCategory::KNOWN.iter().map(|category| {
                    let wire = category.as_str().to_string();
                    let id = format!("apc-type-{}", wire.to_ascii_lowercase().replace('/', "-"));
                    let hint_id = format!("{id}-hint");
                    let (checked_wire, toggled_wire) = (wire.clone(), wire);
                    view! {
                        <div class="apc-check apc-categories__box">
                            <input type="checkbox" id=id.clone() aria-describedby=hint_id.clone()
                                prop:checked=move || categories.get().contains(&checked_wire)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    categories.update(|list| {
                                        list.retain(|c| *c != toggled_wire);
                                        if on { list.push(toggled_wire.clone()); }
                                    });
                                    error.set(None);
                                }/>
                            <label for=id>{text::category_label(category)}</label>
                            <span class="apc-help apc-categories__hint" id=hint_id>{text::category_hint(category)}</span>
                        </div>
                    }
                }).collect_view()}
            </div>
            <p class="apc-field__error" id="apc-file-types-error" role="alert">{move || error.get()}</p>
        </fieldset>
    }
}

/// "Created after" / "Created before": local date and time, sent as epoch ms.
#[component]
fn CreatedWindow(
    after: RwSignal<String>,
    before: RwSignal<String>,
    after_error: RwSignal<Option<String>>,
    before_error: RwSignal<Option<String>>,
) -> impl IntoView {
    let input = move |id: &'static str,
                      label: &'static str,
                      value: RwSignal<String>,
                      error: RwSignal<Option<String>>| {
        let error_id = format!("{id}-error");
        view! {
            <div>
                <label for=id>{label}</label>
                <input id=id type="datetime-local" class="apc-input"
                    aria-describedby=format!("apc-created-help {error_id}")
                    aria-invalid=move || error.get().is_some().to_string()
                    prop:value=move || value.get()
                    on:input=move |ev| {
                        value.set(event_target_value(&ev));
                        after_error.set(None);
                        before_error.set(None);
                    }/>
                <p class="apc-field__error" id=error_id role="alert">{move || error.get()}</p>
            </div>
        }
    };
    view! {
        <fieldset class="apc-field">
            <legend>{text::FIELD_CREATED}</legend>
            <p class="apc-help" id="apc-created-help">{text::FIELD_CREATED_HELP}</p>
            <div class="apc-field apc-field--inline">
                {input("apc-created-after", text::FIELD_CREATED_AFTER, after, after_error)}
                {input("apc-created-before", text::FIELD_CREATED_BEFORE, before, before_error)}
            </div>
        </fieldset>
    }
}

/// Full paths of the children of the folder being typed in, that start with what follows
/// its last slash.
fn suggestions(client: ApiClient, typed: Signal<String>) -> Signal<Vec<String>> {
    let base = Memo::new(move |_| completion_base(&typed.get()));
    let listing = LocalResource::new(move || {
        let client = client.clone();
        let base = base.get();
        async move {
            match base {
                Some((folder, _)) => client.folder(&folder).await.map(|e| (folder, e)).ok(),
                None => None,
            }
        }
    });
    Signal::derive(move || {
        let Some(Some((folder, entries))) = listing.get() else {
            return Vec::new();
        };
        let prefix = base
            .get()
            .map(|(_, p)| crate::fold::lower(&p))
            .unwrap_or_default();
        entries
            .into_iter()
            .filter(|e| e.is_folder && crate::fold::lower(&e.name).starts_with(&prefix))
            .take(50)
            .map(|e| format!("{folder}/{}", e.name))
            .collect()
    })
}

/// Browses the repository folder by folder (Sling's `.1.json`), keyboard first.
#[component]
fn FolderBrowser(start: String, on_pick: Callback<String>) -> impl IntoView {
    let client = expect_context::<ApiClient>();
    let initial =
        asset_processing_api::normalize_path(&start).unwrap_or_else(|_| DAM_ROOT.to_string());
    let current = RwSignal::new(initial);
    let listing = LocalResource::new(move || {
        let client = client.clone();
        let folder = current.get();
        async move { client.folder(&folder).await }
    });
    let go_up = move |_| {
        current.update(|c| {
            if c.as_str() != DAM_ROOT {
                if let Some((parent, _)) = c.rsplit_once('/') {
                    *c = parent.to_string();
                }
            }
        })
    };
    view! {
        <div class="apc-browser" id="apc-browser" role="group" aria-label=text::BROWSE>
            <div class="apc-browser__bar">
                <button type="button" class="apc-button apc-button--quiet" on:click=go_up
                    disabled=move || current.get() == DAM_ROOT>{text::UP_ONE_FOLDER}</button>
                <span class="apc-path apc-browser__here" aria-live="polite">{move || current.get()}</span>
                <button type="button" class="apc-button apc-button--primary" on:click=move |_| on_pick.run(current.get_untracked())>
                    {text::USE_THIS_FOLDER}
                </button>
            </div>
            {move || match listing.get() {
                None => view! { <p class="apc-loading" role="status">"…"</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorPanel error=e/> }.into_any(),
                Some(Ok(entries)) => {
                    let folders: Vec<FolderEntry> = entries.into_iter().filter(|e| e.is_folder).collect();
                    if folders.is_empty() {
                        view! { <p class="apc-muted">{text::FOLDER_EMPTY}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="apc-browser__list">
                                {folders.into_iter().map(|f| {
                                    let name = f.name.clone();
                                    view! {
                                        <li>
                                            <button type="button" class="apc-browser__folder"
                                                on:click=move |_| current.update(|c| *c = format!("{c}/{name}"))>
                                                <svg class="apc-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                                                    <path d="M1 3.5A1.5 1.5 0 0 1 2.5 2h3.6l1.5 1.5h5.9A1.5 1.5 0 0 1 15 5v7.5a1.5 1.5 0 0 1-1.5 1.5h-11A1.5 1.5 0 0 1 1 12.5z"/>
                                                </svg>
                                                {f.name.clone()}
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }
            }}
        </div>
    }
}
