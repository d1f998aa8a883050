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
