//! What the viewer remembers across visits, in the browser's local storage: how timestamps are
//! shown. (The level filter is not remembered: a filter left on would make every log open
//! hiding lines, and read the whole log to fill itself.)

use crate::log_model::TimeMode;

const TIMES_KEY: &str = "apc.log.times";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The timestamp mode chosen last (as written when none or unreadable).
pub(super) fn times() -> TimeMode {
    storage()
        .and_then(|s| s.get_item(TIMES_KEY).ok().flatten())
        .and_then(|k| TimeMode::from_key(&k))
        .unwrap_or_default()
}

pub(super) fn set_times(mode: TimeMode) {
    if let Some(s) = storage() {
        let _ = s.set_item(TIMES_KEY, mode.key());
    }
}
