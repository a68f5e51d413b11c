//! Source accounts in Codat's two shapes (v1 `SourceAccount`, v2 `SourceAccountV2`), parsed from
//! whatever a client sends and written back in the shape it sent.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use feedbridge_store::{AccountShape, AccountStatus, SourceAccount as Record};

use crate::domain::accounts::{AccountInput, AccountPatch, V2_ACCOUNT_TYPES};

/// A v1 source account (also the PATCH body and answer).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SourceAccountV1 {
    pub id: String,
    pub account_name: Option<String>,
    pub account_type: Option<String>,
    pub account_number: Option<String>,
    pub sort_code: Option<String>,
    pub currency: Option<String>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    #[schema(value_type = Option<f64>)]
    pub balance: Option<Decimal>,
    pub modified_date: Option<String>,
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feed_start_date: Option<String>,
}

/// A v2 source account.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SourceAccountV2 {
    pub id: String,
    pub account_name: Option<String>,
    pub account_type: Option<String>,
    pub account_number: Option<String>,
    pub sort_code: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub routing_info: Option<Value>,
    pub currency: Option<String>,
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    #[schema(value_type = Option<f64>)]
    pub balance: Option<Decimal>,
    #[schema(value_type = Option<Object>)]
    pub account_info: Option<Value>,
    pub modified_date: Option<String>,
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feed_start_date: Option<String>,
}

/// The account in the shape it was created with.
pub fn account_json(record: &Record) -> Value {
    let connected = record.status == AccountStatus::Connected;
    let start = record.feed_start_date.filter(|_| connected);
    let shaped = match record.shape {
        AccountShape::V1 => serde_json::to_value(v1(record)),
        AccountShape::V2 => serde_json::to_value(SourceAccountV2 {
            id: record.id.to_string(),
            account_name: record.account_name.clone(),
            account_type: record.account_type.clone(),
            account_number: record.account_number.clone(),
            sort_code: record.sort_code.clone(),
            routing_info: record.routing_info.clone(),
            currency: record.currency.clone(),
            balance: record.balance,
            account_info: record.account_info.clone(),
            modified_date: record.modified_date.clone(),
            status: Some(record.status.as_str().into()),
            feed_start_date: start.map(|d| d.to_string()),
        }),
    };
    shaped.unwrap_or(Value::Null)
}

/// The v1 view of an account, whatever shape it was created with (PATCH answers in v1); the feed
/// start date appears only while the account is connected, as a v1 DateTime.
pub fn v1(record: &Record) -> SourceAccountV1 {
    let feed_start_date = record
        .feed_start_date
        .filter(|_| record.status == AccountStatus::Connected)
        .map(|d| format!("{d}T00:00:00Z"));
    SourceAccountV1 {
        id: record.id.to_string(),
        account_name: record.account_name.clone(),
        account_type: record.account_type.clone(),
        account_number: record.account_number.clone(),
        sort_code: record.sort_code.clone(),
        currency: record.currency.clone(),
        balance: record.balance,
        modified_date: record.modified_date.clone(),
        status: Some(record.status.as_str().into()),
        feed_start_date,
    }
}

/// Reads a create body; the shape is v2 when it carries v2-only fields, or every v2 required
/// field with a v2 account type (the rule Codat's SDK applies when it parses accounts).
pub fn parse_account(body: &Value) -> Result<AccountInput, String> {
    let map = body
        .as_object()
        .ok_or("a source account must be a JSON object")?;
    let v2_only = map.contains_key("routingInfo") || map.contains_key("accountInfo");
    let v2_complete = ["id", "accountName", "accountNumber", "currency", "balance"]
        .iter()
        .all(|k| map.get(*k).is_some_and(|v| !v.is_null()))
        && text(map, "accountType")?.is_some_and(|t| V2_ACCOUNT_TYPES.contains(&t.as_str()));
    Ok(AccountInput {
        shape: if v2_only || v2_complete {
            AccountShape::V2
        } else {
            AccountShape::V1
        },
        id: text(map, "id")?,
        account_name: text(map, "accountName")?,
        account_type: text(map, "accountType")?,
        account_number: text(map, "accountNumber")?,
        sort_code: text(map, "sortCode")?,
        currency: text(map, "currency")?,
        balance: decimal(map, "balance")?,
        routing_info: object(map, "routingInfo")?,
        account_info: object(map, "accountInfo")?,
        modified_date: text(map, "modifiedDate")?,
    })
}

/// Reads a PATCH body.
pub fn parse_patch(body: &Value) -> Result<AccountPatch, String> {
    let map = body.as_object().ok_or("the body must be a JSON object")?;
    let fixed = ["accountType", "accountNumber", "sortCode", "currency"];
    Ok(AccountPatch {
        id: text(map, "id")?,
        account_name: text(map, "accountName")?,
        status: text(map, "status")?,
        balance: decimal(map, "balance")?,
        other_fields: fixed
            .iter()
            .filter_map(|k| Some((*k, text(map, k).ok()??)))
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    })
}

fn text(map: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("`{key}` must be a string")),
    }
}

fn object(map: &Map<String, Value>, key: &str) -> Result<Option<Value>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v @ Value::Object(_)) => Ok(Some(v.clone())),
        Some(_) => Err(format!("`{key}` must be an object")),
    }
}

/// A decimal read from the JSON number's own text, so `4002.0` or `0.1` stay exact.
pub fn decimal(map: &Map<String, Value>, key: &str) -> Result<Option<Decimal>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => exact_decimal(&n.to_string())
            .map(Some)
            .ok_or_else(|| format!("`{key}` is not a decimal amount Feedbridge can store exactly")),
        Some(Value::String(s)) => exact_decimal(s)
            .map(Some)
            .ok_or_else(|| format!("`{key}` is not a decimal amount")),
        Some(_) => Err(format!("`{key}` must be a number")),
    }
}

/// Parses decimal text, including exponents (`1e2`), refusing what cannot be held exactly.
pub fn exact_decimal(text: &str) -> Option<Decimal> {
    let text = text.trim();
    if text.contains(['e', 'E']) {
        Decimal::from_scientific(text).ok()
    } else {
        text.parse::<Decimal>().ok()
    }
}
