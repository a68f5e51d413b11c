//! The bodies of source account requests: a create body in either of Codat's shapes, and a PATCH
//! body, read field by field into the domain's inputs so a wrong field gets a message naming it.

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use feedbridge_store::AccountShape;

use crate::domain::accounts::{AccountInput, AccountPatch, V2_ACCOUNT_TYPES};

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
fn decimal(map: &Map<String, Value>, key: &str) -> Result<Option<Decimal>, String> {
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
