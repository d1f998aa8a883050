//! Tests of `api`.

use super::*;

const JSON: &str = "application/json; charset=utf-8";

#[test]
fn success_parses() {
    let h: History = decode(200, JSON, r#"{"executionHistory":[]}"#).unwrap();
    assert!(h.execution_history.is_empty());
}

#[test]
fn success_with_bad_json_is_bad_json() {
    let e = decode::<History>(200, JSON, "<html>").unwrap_err();
    assert!(
        matches!(e, ClientError::BadJson(ref m) if m.starts_with("invalid JSON")),
        "{e:?}"
    );
}

#[test]
fn every_status_maps_to_its_kind() {
    let body = |s: u16, m: &str| format!(r#"{{"status":{s},"message":"{m}"}}"#);
    assert_eq!(
        decode::<History>(401, JSON, &body(401, "x")),
        Err(ClientError::SessionExpired)
    );
    assert_eq!(
        decode::<History>(401, "text/html", "<form>"),
        Err(ClientError::SessionExpired)
    );
    assert_eq!(
        decode::<History>(403, "text/html", "<form>"),
        Err(ClientError::SessionExpired)
    );
    assert_eq!(
        decode::<History>(403, JSON, &body(403, "bad token")),
        Err(ClientError::Forbidden("bad token".into()))
    );
    assert_eq!(
        decode::<History>(404, JSON, &body(404, "no job")),
        Err(ClientError::NotFound("no job".into()))
    );
    assert_eq!(
        decode::<History>(409, JSON, &body(409, "finished")),
        Err(ClientError::Conflict("finished".into()))
    );
    assert_eq!(
        decode::<History>(400, JSON, &body(400, "path is empty")),
        Err(ClientError::Rejected {
            status: 400,
            message: "path is empty".into()
        })
    );
    assert_eq!(
        decode::<History>(503, "text/html", "busy"),
        Err(ClientError::Server {
            status: 503,
            message: String::new()
        })
    );
}

#[test]
fn messages_keep_the_servers_sentence_and_general_ones_stand_alone() {
    assert_eq!(
        ClientError::Rejected {
            status: 400,
            message: "path is empty".into()
        }
        .message(),
        "The server rejected the request (400): path is empty"
    );
    assert_eq!(ClientError::NotFound(String::new()).message(), "Not found");
    assert!(ClientError::SessionExpired.message().contains("Sign in"));
}

#[test]
fn components_are_encoded_as_encode_uri_component_does() {
    assert_eq!(
        encode_component("AZaz09-_.!~*'()"),
        "AZaz09-_.!~*'()",
        "the unreserved characters stay"
    );
    assert_eq!(
        encode_component("a b/c?d=e&f#g%h+i"),
        "a%20b%2Fc%3Fd%3De%26f%23g%25h%2Bi"
    );
    assert_eq!(encode_component("é€😀"), "%C3%A9%E2%82%AC%F0%9F%98%80");
    assert_eq!(encode_component(""), "");
}

#[test]
fn sign_in_brings_the_person_back() {
    assert_eq!(
        sign_in_url("", "/jobs/a b?x=1#L5"),
        "/libs/granite/core/content/login.html?resource=%2Fjobs%2Fa%20b%3Fx%3D1%23L5"
    );
    assert_eq!(
        sign_in_url("https://author.example.com/", "/"),
        "https://author.example.com/libs/granite/core/content/login.html?resource=%2F"
    );
}

#[test]
fn folder_listing() {
    let v: serde_json::Value = serde_json::from_str(
        r#"{"jcr:primaryType":"sling:Folder","jcr:created":"x","b.dita":{"jcr:primaryType":"dam:Asset"},
            "Zeta":{"jcr:primaryType":"sling:OrderedFolder"},"alpha":{"jcr:primaryType":"nt:folder"},
            "jcr:content":{"jcr:primaryType":"nt:unstructured"}}"#,
    )
    .unwrap();
    let names: Vec<(String, bool)> = parse_listing(&v)
        .into_iter()
        .map(|e| (e.name, e.is_folder))
        .collect();
    assert_eq!(
        names,
        vec![
            ("alpha".into(), true),
            ("Zeta".into(), true),
            ("b.dita".into(), false)
        ]
    );
    assert_eq!(
        encode_path("/content/dam/Bifröst Gateway"),
        "/content/dam/Bifr%C3%B6st%20Gateway"
    );
}

#[test]
fn any_accepted_action_answer_is_read_and_only_the_job_itself_is_taken() {
    // The reference server's answer: the job as it is now.
    let job = answered_job("j1", r#"{"processingId":"j1","status":"RUNNING"}"#).unwrap();
    assert_eq!(job.status, asset_processing_api::Status::Running);
    // What a real AEM may answer instead: nothing to take, the status is read after.
    for body in [
        "",
        "{}",
        r#"{"message":"Cancelled"}"#,
        "OK",
        r#"{"processingId":"other"}"#,
    ] {
        assert_eq!(answered_job("j1", body), None, "{body:?}");
    }
    // The id as the workflow page sends it, whatever it holds.
    assert_eq!(action_body("a\"b"), r#"{"processingId":"a\"b"}"#);
}

#[test]
fn urls() {
    let same_origin = ApiClient::new("");
    assert_eq!(
        same_origin.endpoint_url(endpoints::HISTORY, "limit=10"),
        "/bin/guides/v1/assets/process/history?limit=10"
    );
    let remote = ApiClient::new("https://author.example.com/");
    assert_eq!(
        remote.endpoint_url(endpoints::START, ""),
        "https://author.example.com/bin/guides/v1/assets/process"
    );
}
