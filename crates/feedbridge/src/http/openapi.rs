//! The OpenAPI document, served as the client API's router built it from the handlers'
//! annotations, and a page that renders it.

use std::sync::Arc;

use askama::Template;
use askama_web::WebTemplate;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::AppState;

/// What the document says besides its paths, which [`super::api::router`] adds.
#[derive(OpenApi)]
#[openapi(
    info(title = "Feedbridge client API", description = "Codat Bank Feeds compatible API for QuickBooks Online Bank Feeds."),
    modifiers(&Auth),
    security(("auth_header" = []))
)]
pub struct ApiDoc;

struct Auth;

impl Modify for Auth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "auth_header",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("Authorization"))),
        );
    }
}

/// `/openapi.json` and `/docs`, both from `doc`.
pub fn router(doc: utoipa::openapi::OpenApi) -> Router<AppState> {
    let doc = Arc::new(doc);
    let json = doc.clone();
    Router::new()
        .route(
            "/openapi.json",
            get(move || async move { Json(json.as_ref().clone()) }),
        )
        .route("/docs", get(move || async move { docs(&doc) }))
}

/// The reference page, rendered on the server from the same document.
#[derive(Template, WebTemplate)]
#[template(path = "docs.html")]
struct Docs {
    title: String,
    description: String,
    groups: Vec<Group>,
}

struct Group {
    tag: String,
    operations: Vec<Operation>,
}

struct Operation {
    method: &'static str,
    path: String,
    summary: String,
    codes: String,
}

fn docs(doc: &utoipa::openapi::OpenApi) -> Docs {
    let mut groups: Vec<Group> = Vec::new();
    for (path, item) in &doc.paths.paths {
        let methods = [
            ("get", &item.get),
            ("post", &item.post),
            ("put", &item.put),
            ("patch", &item.patch),
            ("delete", &item.delete),
        ];
        for (method, op) in methods {
            let Some(op) = op else { continue };
            let tag = op
                .tags
                .as_ref()
                .and_then(|t| t.first())
                .cloned()
                .unwrap_or_default();
            let operation = Operation {
                method,
                path: path.clone(),
                summary: op
                    .summary
                    .clone()
                    .or_else(|| op.description.clone())
                    .unwrap_or_default(),
                codes: op
                    .responses
                    .responses
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            match groups.iter_mut().find(|g| g.tag == tag) {
                Some(group) => group.operations.push(operation),
                None => groups.push(Group {
                    tag,
                    operations: vec![operation],
                }),
            }
        }
    }
    Docs {
        title: doc.info.title.clone(),
        description: doc.info.description.clone().unwrap_or_default(),
        groups,
    }
}
