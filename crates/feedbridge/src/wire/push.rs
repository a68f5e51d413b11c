//! `PushOperation` and `CreateBankTransactionsResponse`.

use serde::Serialize;
use utoipa::ToSchema;

use feedbridge_store::PushOperation as Record;

use super::datetime;
use super::errors::Validation;

/// A push operation.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PushOperation {
    pub changes: Option<Vec<PushChange>>,
    pub data_type: String,
    pub company_id: String,
    pub push_operation_key: String,
    pub data_connection_key: String,
    pub requested_on_utc: String,
    pub completed_on_utc: Option<String>,
    pub timeout_in_minutes: Option<i32>,
    pub status: String,
    pub error_message: Option<String>,
    pub validation: Option<Validation>,
    pub status_code: u16,
    /// The submitted body, echoed by create bank transactions only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub data: Option<serde_json::Value>,
}

/// One changed record.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PushChange {
    #[serde(rename = "type")]
    pub type_: String,
    pub record_ref: RecordRef,
    pub attachment_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecordRef {
    pub id: String,
    pub data_type: Option<String>,
}

impl PushOperation {
    pub fn new(op: &Record, data: Option<serde_json::Value>) -> Self {
        let changes = op
            .changes
            .iter()
            .map(|id| PushChange {
                type_: "Created".into(),
                record_ref: RecordRef {
                    id: id.clone(),
                    data_type: Some("bankTransactions".into()),
                },
                attachment_id: None,
            })
            .collect();
        let has_findings = !op.errors.is_empty() || !op.warnings.is_empty();
        Self {
            changes: Some(changes),
            data_type: "bankTransactions".into(),
            company_id: op.company_id.to_string(),
            push_operation_key: op.key.to_string(),
            data_connection_key: op.connection_id.to_string(),
            requested_on_utc: datetime(op.requested),
            completed_on_utc: op.completed.map(datetime),
            timeout_in_minutes: op.timeout_in_minutes,
            status: op.status.as_str().into(),
            error_message: op.error_message.clone(),
            validation: has_findings.then(|| Validation::new(&op.errors, &op.warnings)),
            status_code: op.status_code,
            data,
        }
    }
}
