//! Path ids parsed into typed ids; an id that cannot exist gets the same 404 as one that does not.

use feedbridge_store::{CompanyId, ConnectionId, PushOperationKey};

use super::error::ApiError;

pub fn company(raw: &str) -> Result<CompanyId, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::not_found(format!("No company was found with ID {}", shown(raw))))
}

pub fn connection(raw: &str) -> Result<ConnectionId, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::not_found(format!("Data connection {} not found", shown(raw))))
}

pub fn push_operation(raw: &str) -> Result<PushOperationKey, ApiError> {
    raw.parse().map_err(|_| {
        ApiError::not_found(format!(
            "No push operation was found with key {}",
            shown(raw)
        ))
    })
}

/// Echoes at most a short, printable prefix of what the caller sent.
fn shown(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_control()).take(64).collect()
}
