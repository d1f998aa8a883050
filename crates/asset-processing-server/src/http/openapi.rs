//! The OpenAPI document of the API, generated from the shared Rust types and the handlers'
//! annotations (never written by hand), served at `/openapi.json`.

use asset_processing_api::{
    AssetOutcome, AssetState, AssetStatusReport, AssetStatusRequest, AssetStatusStarted,
    CalculationStatus, CsrfToken, ErrorBody, Eta, EtaUnit, FileCategory, Filter, History, Job,
    LogPage, MigrationSet, ProcessingIdBody, ProcessingType, StartRequest, StartResponse, Status,
};
use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "AEM Guides bulk asset processing",
        description = "The API the Asset Processing Console is built on (docs/contract.md). \
            Sign in with the login-token cookie or HTTP Basic; every POST needs a CSRF-Token header.",
    ),
    paths(
        super::jobs::start,
        super::jobs::status,
        super::jobs::logs_page,
        super::jobs::download_logs,
        super::jobs::cancel,
        super::jobs::resume,
        super::jobs::history,
        super::assets_status::start,
        super::assets_status::report,
        super::system::system_status,
    ),
    components(schemas(
        StartRequest, StartResponse, ProcessingIdBody, Filter, Job, Status, CalculationStatus, MigrationSet, Eta,
        EtaUnit, ProcessingType, LogPage, History, ErrorBody, CsrfToken, FileCategory,
        AssetStatusRequest, AssetStatusStarted, AssetStatusReport, AssetState, AssetOutcome,
        super::system::SystemStatus, super::system::DatabaseStatus, super::system::QueueStatus,
        super::system::WorkerStatus
    )),
    modifiers(&Security),
    security(("basic" = [])),
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "basic",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Basic).build()),
        );
    }
}

/// `GET /openapi.json`
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What each operation documents: the shared failures (`error.rs`) and its own answers.
    #[test]
    fn every_operation_documents_its_statuses() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let statuses = |method: &str, path: &str| -> Vec<String> {
            let responses = &doc["paths"][path][method]["responses"];
            let map = responses
                .as_object()
                .unwrap_or_else(|| panic!("{method} {path}"));
            map.keys().cloned().collect()
        };
        let process = "/bin/guides/v1/assets/process";
        for (method, path, expected) in [
            ("post", process.to_string(), "200 400 401 403 413 429 500"),
            ("get", format!("{process}/status"), "200 400 401 404 500"),
            ("get", format!("{process}/logs"), "200 400 401 404 500"),
            (
                "get",
                format!("{process}/logs/download"),
                "200 400 401 404 500",
            ),
            (
                "post",
                format!("{process}/cancel"),
                "200 400 401 403 404 409 413 500",
            ),
            (
                "post",
                format!("{process}/resume"),
                "200 400 401 403 404 409 413 500",
            ),
            ("get", format!("{process}/history"), "200 400 401 500"),
            (
                "post",
                "/bin/guides/v1/assets/status".into(),
                "200 400 401 403 413 500",
            ),
            (
                "get",
                "/bin/guides/v1/assets/status".into(),
                "200 400 401 404 500",
            ),
            ("get", "/bin/guides/v1/system/status".into(), "200 401 503"),
        ] {
            assert_eq!(
                statuses(method, &path).join(" "),
                expected,
                "{method} {path}"
            );
        }
        // Every error answer of the API has the contract's body.
        let paths = doc["paths"].as_object().unwrap();
        for (path, operations) in paths {
            for (method, operation) in operations.as_object().unwrap() {
                for (status, response) in operation["responses"].as_object().unwrap() {
                    let schema = &response["content"]["application/json"]["schema"]["$ref"];
                    if status.starts_with('4') || status == "500" {
                        assert_eq!(
                            schema, "#/components/schemas/ErrorBody",
                            "{method} {path} {status}"
                        );
                    }
                }
            }
        }
    }
}
