//! Security and caching headers: what a browser may load, run and frame for each kind of
//! answer, in one place.
//!
//! - Every answer: `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin`,
//!   `X-Frame-Options: SAMEORIGIN` and, unless the handler chose a page-specific one, the
//!   strictest policy `default-src 'none'; frame-ancestors 'self'` (JSON, ZIP and Sling
//!   answers load nothing). These are tower-http layers on the whole router (`security`).
//! - The console's page (`console_policy`): scripts and styles from this origin only,
//!   `'wasm-unsafe-eval'` to compile the console's wasm, fetches to this origin only.
//!   Trunk 0.21 always writes its start-up code as an inline `<script type="module">` (its
//!   `inject_scripts = false` drops the start-up altogether, and the nonce it can add is
//!   fixed at build time, so it would prove nothing). So the policy allows exactly the
//!   inline scripts and styles of the `index.html` being served, by their SHA-256 hashes,
//!   computed from the very bytes sent: an injected script has another hash and is refused.
//! - API answers (`api_answers`): JSON says `charset=utf-8`, and nothing under `/bin/` (nor
//!   the CSRF token) is stored by a cache.
//! - Caching (`cache_control`): trunk's hashed file names (`name-<16 hex>.js`, `_bg.wasm`,
//!   `.css`…) never change content, so they are cached for a year (`immutable`); the page
//!   itself is never stored, so a new build is picked up at once.

use asset_processing_api::CSRF_TOKEN_PATH;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use tower_http::set_header::SetResponseHeaderLayer;

/// For every answer that does not set its own: load nothing, be framed only by this origin.
pub const DEFAULT_POLICY: &str = "default-src 'none'; frame-ancestors 'self'";

/// Cache-Control of files whose name carries the hash of their content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Cache-Control of the console's page and any file whose name does not change with it.
pub const NEVER_STORE: &str = "no-store";
pub const REVALIDATE: &str = "no-cache";

/// The contract's JSON: `application/json; charset=utf-8`.
pub const JSON_UTF8: &str = "application/json; charset=utf-8";

/// JSON answers name their charset, as the contract says (axum's `Json` writes only
/// `application/json`); the API's answers (under `/bin/`, and the CSRF token) are never
/// stored by a cache, unless a handler said otherwise: a job changes from one poll to the
/// next, and a token belongs to one session.
pub async fn api_answers(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let never_store = path.starts_with("/bin/") || path == CSRF_TOKEN_PATH;
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v == "application/json")
    {
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_UTF8));
    }
    if never_store && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(NEVER_STORE));
    }
    response
}

/// The headers every answer carries (a handler's own `Content-Security-Policy` wins).
pub fn security<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DEFAULT_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        // For browsers older than `frame-ancestors`.
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("SAMEORIGIN"),
        ))
}

/// The console page's policy: this origin only, plus exactly the inline `<script>` and
/// `<style>` elements of `index_html` by hash.
pub fn console_policy(index_html: &str) -> String {
    let scripts = hashes(&inline_elements(index_html, "script"));
    let styles = hashes(&inline_elements(index_html, "style"));
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; \
         style-src 'self'{styles}; img-src 'self'; connect-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
    )
}

/// A page that allows only its own inline styles (given by their text) and `data:` images:
/// the sign-in page.
pub fn inline_style_policy(styles: &[&str]) -> String {
    let styles: Vec<String> = styles.iter().map(|s| s.to_string()).collect();
    format!(
        "default-src 'none'; style-src{}; img-src data:; form-action 'self'; base-uri 'none'; \
         frame-ancestors 'self'",
        hashes(&styles)
    )
}

/// The imitation of an AEM page (`shell`, a test fixture): a host page with its own inline
/// styles, as AEM's are; the console inside it is held to the console's rules otherwise.
#[cfg(feature = "dev-fixtures")]
pub const SHELL_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
     object-src 'none'; base-uri 'self'; frame-ancestors 'self'";

/// Cache-Control for a console file by its name.
pub fn cache_control(file_name: &str) -> &'static str {
    if file_name.is_empty() || file_name == "index.html" {
        NEVER_STORE
    } else if is_hashed(file_name) {
        IMMUTABLE
    } else {
        REVALIDATE
    }
}

/// `asset-processing-console-0a1b2c3d4e5f6a7b_bg.wasm`, `console-0a1b2c3d4e5f6a7b.css`: a name
/// whose last `-` is followed by trunk's 16 hex digits (and maybe `_bg`) before the extension.
fn is_hashed(file_name: &str) -> bool {
    let stem = file_name.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn hashes(texts: &[String]) -> String {
    texts
        .iter()
        .map(|t| {
            let digest = Sha256::digest(t.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect()
}

/// The text of every `<tag>` element of `html` that has no `src` (the inline ones). Enough
/// for the pages trunk writes (script and style content is raw text: no `</tag` inside).
fn inline_elements(html: &str, tag: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let open = format!("<{tag}");
    let close = format!("</{tag}");
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(start) = lower[at..].find(&open).map(|i| i + at) {
        let after_name = start + open.len();
        // `<scripts>` or `<style-x>` are other elements.
        if !lower[after_name..].starts_with(|c: char| c == '>' || c.is_ascii_whitespace()) {
            at = after_name;
            continue;
        }
        let Some(head_end) = lower[after_name..].find('>').map(|i| i + after_name) else {
            break;
        };
        let attributes = &lower[after_name..head_end];
        let Some(end) = lower[head_end..].find(&close).map(|i| i + head_end) else {
            break;
        };
        let has_src = attributes
            .split(|c: char| c.is_ascii_whitespace())
            .any(|a| a == "src" || a.starts_with("src="));
        if !has_src {
            found.push(html[head_end + 1..end].to_string());
        }
        at = end + close.len();
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_PAGE: &str = r#"<!DOCTYPE html><html lang="en"><head>
<style>body { margin: 0; }</style>
<link rel="stylesheet" href="/console-0123456789abcdef.css" integrity="sha384-x">
<link rel="modulepreload" href="/app-0123456789abcdef.js">
<script type="module">
import init, * as bindings from '/app-0123456789abcdef.js';
const wasm = await init({ module_or_path: '/app-0123456789abcdef_bg.wasm' });
</script>
<script src="/other.js"></script>
</head><body><noscript>needs JavaScript</noscript></body></html>"#;

    #[test]
    fn the_console_policy_allows_exactly_the_pages_inline_code() {
        let scripts = inline_elements(TRUNK_PAGE, "script");
        assert_eq!(scripts.len(), 1, "the one with src is not inline");
        assert!(scripts[0].starts_with("\nimport init"));
        assert_eq!(
            inline_elements(TRUNK_PAGE, "style"),
            vec!["body { margin: 0; }"]
        );
        assert!(inline_elements(TRUNK_PAGE, "noscript").len() == 1);

        let policy = console_policy(TRUNK_PAGE);
        // sha256 of the exact text, as a browser computes it (checked with openssl).
        let style_hash = "'sha256-Pme0qVBbJGACcvHOa2d2xK4uveiPdlWdSipR9gLYAMQ='";
        assert!(
            policy.contains(&format!("style-src 'self' {style_hash};")),
            "{policy}"
        );
        assert!(
            policy.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
            "{policy}"
        );
        assert!(!policy.contains("unsafe-inline"));
        assert!(policy.contains("frame-ancestors 'self'"));
        assert!(policy.contains("connect-src 'self'"));
        // A page with no inline code allows none.
        let plain = console_policy("<html><script src=/a.js></script></html>");
        assert!(
            plain.contains("script-src 'self' 'wasm-unsafe-eval';"),
            "{plain}"
        );
    }

    #[test]
    fn hashed_names_are_cached_for_a_year_and_the_page_never() {
        assert_eq!(
            cache_control("asset-processing-console-0a1b2c3d4e5f6a7b_bg.wasm"),
            IMMUTABLE
        );
        assert_eq!(
            cache_control("asset-processing-console-0a1b2c3d4e5f6a7b.js"),
            IMMUTABLE
        );
        assert_eq!(cache_control("console-0a1b2c3d4e5f6a7b.css"), IMMUTABLE);
        assert_eq!(cache_control("console-0a1b2c3d4e5f6a7b.css.br"), IMMUTABLE);
        assert_eq!(cache_control("index.html"), NEVER_STORE);
        assert_eq!(cache_control(""), NEVER_STORE);
        assert_eq!(cache_control("favicon.svg"), REVALIDATE);
        assert_eq!(cache_control("console-not-a-hash.css"), REVALIDATE);
        assert_eq!(
            cache_control("app-0a1b2c3d4e5f6a7.js"),
            REVALIDATE,
            "15 digits"
        );
    }
}
