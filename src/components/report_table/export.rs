//! "Export CSV": the shown rows as a file built in the browser in chunks (a Blob from an array
//! of string parts), yielding to the browser between chunks so the page never freezes.

use std::sync::Arc;

use wasm_bindgen::{JsCast, JsValue};

use crate::browser::sleep_ms;
use crate::triage::{csv, Row};

/// Rows per chunk: a few milliseconds of work each.
const CHUNK_ROWS: usize = 5_000;

/// Builds the CSV of `rows[order]` and hands it to the browser as a download named
/// `file_name`; `progress` hears the rows written so far.
pub async fn export_csv(
    rows: Arc<Vec<Row>>,
    order: Arc<Vec<u32>>,
    file_name: String,
    progress: impl Fn(usize),
) -> Result<(), JsValue> {
    let parts = js_sys::Array::new();
    let mut start = 0;
    loop {
        let end = (start + CHUNK_ROWS).min(order.len());
        parts.push(&JsValue::from_str(&csv::chunk(&rows, &order, start..end)));
        progress(end);
        if end >= order.len() {
            break;
        }
        start = end;
        sleep_ms(0).await;
    }
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(JsValue::NULL)?;
    let link = document.create_element("a")?;
    link.set_attribute("href", &url)?;
    link.set_attribute("download", &file_name)?;
    link.dyn_into::<web_sys::HtmlElement>()?.click();
    // The download has its own copy once started; the URL is let go a little later.
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(())
}
