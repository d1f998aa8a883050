//! Case folding for matching and sorting without regard to case. ASCII is folded here; any
//! other text by the browser's own `toLowerCase`/`toUpperCase` (full Unicode), so the wasm
//! carries none of Rust's Unicode case tables: they are data, which wasm-split cannot move out
//! of the main module, and they cost the first screen 8.6 KB gzip (docs/performance.md).
//! Natively (the tests) std does the same mapping.

/// `s` in lower case.
pub fn lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(s).to_lower_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        s.to_lowercase()
    }
}

/// `s` in upper case.
pub fn upper(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_uppercase();
    }
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(s).to_upper_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        s.to_uppercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_and_any_other_script_fold() {
        assert_eq!(lower("/Content/DAM/A.dita"), "/content/dam/a.dita");
        assert_eq!(lower("ÖKÖ Ünïcode ΣΟΦΙΑ"), "ökö ünïcode σοφια");
        assert_eq!(upper("ökö"), "ÖKÖ");
        assert_eq!(upper("x"), "X");
        assert_eq!(lower(""), "");
    }
}
