//! What the browser is told about each answer: the console's page may run only its own code
//! (and exactly the inline start-up trunk writes), nothing may be sniffed or framed by another
//! site, hashed files are cached for a year and the page never.

mod common;

use base64::Engine as _;
use common::TestServer;
use sha2::{Digest, Sha256};

const INDEX: &str = r#"<!DOCTYPE html><html><head>
<style>body { margin: 0; }</style>
<link rel="modulepreload" href="/app-0123456789abcdef.js">
<script type="module">import init from '/app-0123456789abcdef.js';
await init({ module_or_path: '/app-0123456789abcdef_bg.wasm' });</script>
</head><body><div id="asset-processing-console"></div></body></html>"#;

fn sha256(text: &str) -> String {
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
    )
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text.find(open).unwrap() + open.len();
    let end = start + text[start..].find(close).unwrap();
    &text[start..end]
}

async fn console_server() -> TestServer {
    TestServer::start_full(
        |_| {},
        |dist| {
            std::fs::write(dist.join("index.html"), INDEX).unwrap();
            std::fs::write(dist.join("app-0123456789abcdef.js"), "export default 1;").unwrap();
            std::fs::write(
                dist.join("app-0123456789abcdef_bg.wasm"),
                b"\0asm\x01\0\0\0",
            )
            .unwrap();
            std::fs::write(dist.join("favicon.svg"), "<svg/>").unwrap();
            true
        },
    )
    .await
}

#[tokio::test]
async fn the_console_page_allows_only_its_own_code() {
    let server = console_server().await;
    let http = reqwest::Client::new();
    for path in ["/", "/jobs/abc", "/index.html"] {
        let r = http.get(server.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let h = r.headers().clone();
        let csp = h["content-security-policy"].to_str().unwrap().to_string();
        let page = r.text().await.unwrap();
        let script = between(&page, "<script type=\"module\">", "</script>");
        let style = between(&page, "<style>", "</style>");
        assert!(
            csp.contains(&format!(
                "script-src 'self' 'wasm-unsafe-eval' {};",
                sha256(script)
            )),
            "exactly the page's start-up script: {csp}"
        );
        assert!(
            csp.contains(&format!("style-src 'self' {};", sha256(style))),
            "{csp}"
        );
        for part in [
            "default-src 'self'",
            "connect-src 'self'",
            "frame-ancestors 'self'",
            "object-src 'none'",
        ] {
            assert!(csp.contains(part), "{part} in {csp}");
        }
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
            "{csp}"
        );
        assert_eq!(
            h["cache-control"], "no-store",
            "{path}: the page is never stored"
        );
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "same-origin");
        assert_eq!(h["x-frame-options"], "SAMEORIGIN");
    }
    server.stop().await;
}

#[tokio::test]
async fn hashed_files_are_cached_for_a_year_and_others_revalidate() {
    let server = console_server().await;
    let http = reqwest::Client::new();
    for file in ["/app-0123456789abcdef.js", "/app-0123456789abcdef_bg.wasm"] {
        let r = http.get(server.url(file)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{file}");
        assert_eq!(
            r.headers()["cache-control"],
            "public, max-age=31536000, immutable",
            "{file}"
        );
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    }
    let r = http.get(server.url("/favicon.svg")).send().await.unwrap();
    assert_eq!(r.headers()["cache-control"], "no-cache");
    server.stop().await;
}

#[tokio::test]
async fn api_answers_and_errors_load_nothing_and_are_not_sniffed() {
    let server = console_server().await;
    let c = server.client();
    let http = reqwest::Client::new();
    let answers = [
        http.get(server.api("/history"))
            .basic_auth("admin", Some("admin"))
            .send()
            .await
            .unwrap(),
        // An error made by the router, and one made by a layer (body too large).
        http.get(server.url("/bin/nothing")).send().await.unwrap(),
        http.post(server.api(""))
            .basic_auth("admin", Some("admin"))
            .body(vec![b' '; 300 * 1024])
            .send()
            .await
            .unwrap(),
    ];
    let statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses[..2], [200, 404]);
    assert!([403, 413].contains(&statuses[2]), "{statuses:?}");
    for r in &answers {
        let h = r.headers();
        assert_eq!(
            h["content-security-policy"],
            "default-src 'none'; frame-ancestors 'self'",
            "{}",
            r.url()
        );
        assert_eq!(h["x-content-type-options"], "nosniff");
    }
    drop(c);
    server.stop().await;
}

#[tokio::test]
async fn the_sign_in_page_allows_exactly_its_own_style() {
    let server = console_server().await;
    let r = reqwest::get(server.url("/libs/granite/core/content/login.html?resource=/"))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let page = r.text().await.unwrap();
    let style = between(&page, "<style>", "</style>");
    assert!(csp.starts_with("default-src 'none';"), "{csp}");
    assert!(
        csp.contains(&format!("style-src {};", sha256(style))),
        "{csp}"
    );
    assert!(csp.contains("form-action 'self'") && csp.contains("frame-ancestors 'self'"));
    assert!(!page.contains("<script"), "the sign-in page runs no script");
    server.stop().await;
}

#[tokio::test]
async fn json_answers_name_utf_8_and_api_answers_are_never_stored() {
    let server = TestServer::start().await;
    let http = reqwest::Client::new();
    let signed_in = |url: String| http.get(url).basic_auth("admin", Some("admin"));
    let answers = [
        // An answer, an error of a handler, an error of the router, the CSRF token.
        signed_in(server.api("/history")).send().await.unwrap(),
        signed_in(server.api("/status?processingId=nope"))
            .send()
            .await
            .unwrap(),
        http.get(server.url("/bin/nothing")).send().await.unwrap(),
        signed_in(server.url("/libs/granite/csrf/token.json"))
            .send()
            .await
            .unwrap(),
    ];
    let statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses, [200, 404, 404, 200]);
    for r in &answers {
        let h = r.headers();
        assert_eq!(
            h["content-type"],
            "application/json; charset=utf-8",
            "{}",
            r.url()
        );
        assert_eq!(h["cache-control"], "no-store", "{}", r.url());
    }
    // An error made by a layer (body too large) is JSON in UTF-8 too.
    let r = http
        .post(server.api(""))
        .basic_auth("admin", Some("admin"))
        .header("content-type", "application/json")
        .body(vec![b' '; 300 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert_eq!(
        r.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    // Sling's JSON rendering names its charset as well.
    let r = signed_in(server.url("/content/dam.1.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    server.stop().await;
}
