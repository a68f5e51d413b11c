//! What a request naming objects the caller does not own must answer, and the ids and bodies such
//! requests are made of.

use reqwest::StatusCode;
use serde_json::Value;
use uuid::Uuid;

use super::fixture::Seeded;
use super::ops::Ids;
use crate::support::Answer;

/// An id of the same kind as `own` that names nothing.
pub fn unknown(own: &str) -> String {
    if own.parse::<Uuid>().is_ok() {
        Uuid::new_v4().to_string()
    } else {
        "unknown-acc".into()
    }
}

/// An id that cannot name anything: not a UUID, or an account id past its 200 characters.
pub fn malformed(own: &str) -> String {
    if own.parse::<Uuid>().is_ok() {
        "not-a-uuid".into()
    } else {
        "x".repeat(201)
    }
}

pub fn with(ids: &Ids, param: &str, value: &str) -> Ids {
    let mut ids = ids.clone();
    ids.insert(param.to_owned(), value.to_owned());
    ids
}

/// Asserts a refusal (a 404 `ErrorMessage`, or when `in_band` a Failed push operation saying the
/// account was not found) and returns it without what differs from one request to the next: the
/// correlation id or operation key, and the id that was `sent` wherever the answer echoes it.
pub fn refused(what: &str, in_band: bool, answer: Answer, sent: &str) -> Value {
    let status = answer.status;
    let text = answer.json().to_string();
    let text = if sent.is_empty() {
        text
    } else {
        text.replace(sent, "{id}")
    };
    let mut body: Value = serde_json::from_str(&text).unwrap();
    if in_band {
        assert_eq!(status, StatusCode::OK, "{what}: {body}");
        assert_eq!(body["status"], "Failed", "{what}: {body}");
        let finding = &body["validation"]["errors"][0]["validatorName"];
        assert_eq!(finding, "AccountNotFound", "{what}: {body}");
        body["pushOperationKey"] = Value::Null;
    } else {
        assert_eq!(status, StatusCode::NOT_FOUND, "{what}: {body}");
        assert_eq!(body["statusCode"], 404, "{what}: {body}");
        assert!(body["error"].is_string(), "{what}: {body}");
        assert!(body["correlationId"].is_string(), "{what}: {body}");
        body["correlationId"] = Value::Null;
    }
    body
}

/// Adds fields naming `b` as the owner to every object of `body`.
pub fn lace(body: Value, b: &Seeded) -> Value {
    match body {
        Value::Array(items) => Value::Array(items.into_iter().map(|i| lace(i, b)).collect()),
        Value::Object(mut map) => {
            let client = b.tenant.id.to_string();
            for (field, value) in [
                ("clientId", client.as_str()),
                ("tenantId", client.as_str()),
                ("companyId", b.id("companyId")),
                ("connectionId", b.id("connectionId")),
                ("dataConnectionKey", b.id("connectionId")),
            ] {
                map.insert(field.to_owned(), Value::String(value.to_owned()));
            }
            Value::Object(map)
        }
        other => other,
    }
}
