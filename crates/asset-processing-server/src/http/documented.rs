//! What the OpenAPI document says once for many endpoints: the failures they share
//! (`ApiErrors`, `PostErrors`, `SignInErrors`) and the inputs they share (`CsrfHeader`,
//! `ActionId`). A handler's `#[utoipa::path]` names these types beside what is its own. They
//! only describe: `error.rs` makes the answers, `auth.rs` checks the token.

use std::collections::BTreeMap;

use asset_processing_api::{ErrorBody, CSRF_HEADER, CSRF_TOKEN_PATH};
use axum::http::StatusCode;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{self, ContentBuilder, Ref, RefOr, Required, ResponseBuilder};
use utoipa::{IntoParams, IntoResponses, ToSchema};

/// Responses as the OpenAPI document lists them, by status ([`IntoResponses`]).
pub type DocumentedResponses = BTreeMap<String, RefOr<openapi::Response>>;

/// An error answer as the OpenAPI document describes it: `status` with the contract's JSON
/// body. For a handler's own failures, in an [`IntoResponses`] of its own (a 404's words).
pub fn documented(status: StatusCode, description: &str) -> (String, RefOr<openapi::Response>) {
    let body = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name(ErrorBody::name())))
        .build();
    let response = ResponseBuilder::new()
        .description(description)
        .content("application/json", body)
        .build();
    (status.as_str().to_string(), response.into())
}

// The failures the endpoints share, described once: a handler's `#[utoipa::path]` names these
// types in its `responses(...)` beside what is its own (its 200, its 404's words, a 409, a 429).

/// 401: every endpoint of the API needs a session.
pub struct SignInErrors;

/// 400, 401 and 500: every endpoint that takes input and reads the database.
pub struct ApiErrors;

/// 403 and 413: every POST (it carries a CSRF token and may carry a body).
pub struct PostErrors;

impl IntoResponses for SignInErrors {
    fn responses() -> DocumentedResponses {
        [documented(StatusCode::UNAUTHORIZED, "Not signed in")].into()
    }
}

impl IntoResponses for ApiErrors {
    fn responses() -> DocumentedResponses {
        let mut responses = SignInErrors::responses();
        responses.extend([
            documented(
                StatusCode::BAD_REQUEST,
                "Invalid input: the message names the field and why",
            ),
            documented(StatusCode::INTERNAL_SERVER_ERROR, "Server error"),
        ]);
        responses
    }
}

impl IntoResponses for PostErrors {
    fn responses() -> DocumentedResponses {
        [
            documented(StatusCode::FORBIDDEN, "Missing or invalid CSRF token"),
            documented(StatusCode::PAYLOAD_TOO_LARGE, "Body too large"),
        ]
        .into()
    }
}

/// `params(CsrfHeader)`: the CSRF-Token header every POST carries.
pub struct CsrfHeader;

/// `params(ActionId, ...)`: a cancel's or resume's job id, a query parameter unless the JSON
/// body carries it.
pub struct ActionId;

impl IntoParams for CsrfHeader {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let from = format!("from {CSRF_TOKEN_PATH}");
        vec![ParameterBuilder::new()
            .name(CSRF_HEADER)
            .parameter_in(ParameterIn::Header)
            .description(Some(from))
            .required(Required::True)
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .build()]
    }
}

impl IntoParams for ActionId {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let id = ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1));
        vec![ParameterBuilder::new()
            .name("processingId")
            .parameter_in(ParameterIn::Query)
            .description(Some("The job's id (or in a JSON body)"))
            .required(Required::False)
            .schema(Some(id))
            .build()]
    }
}
