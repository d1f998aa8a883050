//! A minimal Leptos page: the history's last 100 runs in a plain table.

use gloo_net::http::Request;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use serde_json::Value;

const HISTORY: &str = "/bin/guides/v1/assets/process/history?limit=100";

async fn history() -> Result<Vec<Value>, String> {
    let answer = Request::get(HISTORY)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let json: Value = answer.json().await.map_err(|e| e.to_string())?;
    Ok(json["executionHistory"]
        .as_array()
        .cloned()
        .unwrap_or_default())
}

fn cell(job: &Value, key: &str) -> String {
    match &job[key] {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[component]
fn History() -> impl IntoView {
    let runs = LocalResource::new(history);
    view! {
        <h1>"History"</h1>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || runs.get().map(|r| match r {
                Err(e) => view! { <p>{e}</p> }.into_any(),
                Ok(jobs) => view! {
                    <table>
                        <thead><tr><th>"Id"</th><th>"Status"</th><th>"Folder"</th><th>"Started"</th><th>"Assets"</th></tr></thead>
                        <tbody>
                            {jobs.iter().map(|j| view! {
                                <tr>
                                    <td>{cell(j, "processingId")}</td>
                                    <td>{cell(j, "status")}</td>
                                    <td>{cell(j, "path")}</td>
                                    <td>{cell(j, "startedAt")}</td>
                                    <td>{cell(j, "triggeredCount")}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn App() -> impl IntoView {
    view! {
        <Router>
            <Routes fallback=|| "Not found">
                <Route path=path!("/") view=History/>
            </Routes>
        </Router>
    }
}

fn main() {
    leptos::mount::mount_to_body(App);
}
