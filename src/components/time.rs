//! Times as a person reads them: relative ("5 min ago"), the exact local time on hover.

use leptos::prelude::*;

use crate::format;
use crate::text;

/// Milliseconds since the epoch, from the browser's clock.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// A time shown relative to now ("5 min ago") with the exact local time on hover and for
/// assistive technology. `0` ("not yet") shows a dash.
#[component]
pub fn LocalTime(ms: i64, now: i64) -> impl IntoView {
    if ms <= 0 {
        return view! { <span class="apc-muted">{text::NOT_YET}</span> }.into_any();
    }
    // Without `Intl` for an English reader, as in the history (`browser::exact_time`).
    let absolute = crate::browser::exact_time(ms);
    let iso = format::iso_utc(ms);
    view! {
        <time datetime=iso title=absolute.clone() aria-label=absolute>
            {{
                let (value, unit) = format::relative_parts(now, ms);
                crate::browser::relative_time(value, unit)
            }}
        </time>
    }
    .into_any()
}
