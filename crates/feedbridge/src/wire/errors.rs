//! Codat's `ErrorMessage` body, carried by every 4xx and 5xx answer.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use feedbridge_store::ValidationItem as ItemRecord;

/// The error body.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorMessage {
    pub status_code: u16,
    pub service: String,
    pub error: String,
    pub correlation_id: String,
    pub validation: Option<Validation>,
    /// A string on purpose: Codat's SDK refuses a boolean here.
    pub can_be_retried: String,
    pub detailed_error_code: i64,
}

/// Errors and warnings of a validation.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Validation {
    pub errors: Option<Vec<ValidationItem>>,
    pub warnings: Option<Vec<ValidationItem>>,
}

/// One finding.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ValidationItem {
    pub item_id: Option<String>,
    pub message: Option<String>,
    pub validator_name: Option<String>,
}

impl From<&ItemRecord> for ValidationItem {
    fn from(item: &ItemRecord) -> Self {
        Self {
            item_id: item.item_id.clone(),
            message: Some(item.message.clone()),
            validator_name: Some(item.validator_name.clone()),
        }
    }
}

impl Validation {
    pub fn new(errors: &[ItemRecord], warnings: &[ItemRecord]) -> Self {
        let list = |items: &[ItemRecord]| Some(items.iter().map(ValidationItem::from).collect());
        Self {
            errors: list(errors),
            warnings: list(warnings),
        }
    }
}
