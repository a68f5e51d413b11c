//! Source accounts in Codat's two shapes (v1 `SourceAccount`, v2 `SourceAccountV2`), written back
//! in the shape the client created them with.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use feedbridge_store::{AccountShape, AccountStatus, SourceAccount as Record};

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
