//! Sling's default JSON rendering of the repository, as a folder picker reads it:
//! `GET /content/dam/docs.1.json` answers the node and its direct children, each with its
//! `jcr:primaryType` (`sling:Folder` for folders, `dam:Asset` for assets).

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{Map, Value};

use super::auth::CurrentUser;
use super::{ApiError, AppState};
use crate::repository::{percent_decode, NodeKind, RepoError};

/// Splits `/content/dam/a/x.dita.1.json` into the node path and the depth (0 or 1).
pub fn parse_rendering(decoded_path: &str) -> Result<(String, u32), ApiError> {
    let Some(node) = decoded_path.strip_suffix(".json") else {
        return Err(ApiError::NotFound(format!("nothing is at {decoded_path}")));
    };
    let (node, depth) = if let Some(n) = node.strip_suffix(".1") {
        (n, 1)
    } else if let Some(n) = node.strip_suffix(".0") {
        (n, 0)
    } else if node.ends_with(".infinity")
        || node
            .rsplit_once('.')
            .is_some_and(|(_, s)| s.parse::<u32>().is_ok())
    {
        return Err(ApiError::BadRequest(
            "only the .json, .0.json and .1.json renderings are served here".into(),
        ));
    } else {
        (node, 0)
    };
    Ok((node.to_string(), depth))
}

fn primary_type(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Folder => "sling:Folder",
        NodeKind::Asset => "dam:Asset",
    }
}

fn node_json(kind: NodeKind) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(
        "jcr:primaryType".into(),
        Value::String(primary_type(kind).into()),
    );
    m
}

/// `GET /content/dam[/...].{0,1}.json`
pub async fn render(
    State(state): State<AppState>,
    _user: CurrentUser,
    uri: Uri,
) -> Result<Response, ApiError> {
    let decoded = percent_decode(uri.path()).ok_or_else(|| {
        ApiError::BadRequest("the path is not valid percent-encoded UTF-8".into())
    })?;
    let (node, depth) = parse_rendering(&decoded)?;
    let repo = state.repo.clone();
    let shown = node.clone();
    let body = tokio::task::spawn_blocking(move || -> Result<Value, RepoError> {
        let kind = repo.kind(&node)?;
        let mut json = node_json(kind);
        if depth >= 1 {
            match kind {
                NodeKind::Folder => {
                    for child in repo.children(&node)? {
                        json.insert(child.name, Value::Object(node_json(child.kind)));
                    }
                }
                NodeKind::Asset => {
                    let mut content = Map::new();
                    content.insert(
                        "jcr:primaryType".into(),
                        Value::String("dam:AssetContent".into()),
                    );
                    json.insert("jcr:content".into(), Value::Object(content));
                }
            }
        }
        Ok(Value::Object(json))
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    match body {
        Ok(v) => Ok(Json(v).into_response()),
        Err(RepoError::NotFound) => Err(ApiError::NotFound(format!("nothing is at {shown}"))),
        Err(RepoError::Invalid(why)) => Err(ApiError::BadRequest(format!("the path {why}"))),
        Err(RepoError::Io(e)) => Err(ApiError::Internal(format!("reading {shown}: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors() {
        assert_eq!(
            parse_rendering("/content/dam.1.json").unwrap(),
            ("/content/dam".into(), 1)
        );
        assert_eq!(
            parse_rendering("/content/dam/a/x.dita.1.json").unwrap(),
            ("/content/dam/a/x.dita".into(), 1)
        );
        assert_eq!(
            parse_rendering("/content/dam/a/release notes 2.1.dita.json").unwrap(),
            ("/content/dam/a/release notes 2.1.dita".into(), 0)
        );
        assert!(parse_rendering("/content/dam.infinity.json").is_err());
        assert!(parse_rendering("/content/dam.5.json").is_err());
        assert!(parse_rendering("/content/dam/a.html").is_err());
    }
}
