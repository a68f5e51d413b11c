//! Records the domain's unit tests start from, built once so every test's account has every
//! field a real one has.

use feedbridge_store::{AccountShape, AccountStatus, ConnectionId, SourceAccount, SourceAccountId};
use jiff::Timestamp;

/// A v1 source account `id` in US dollars, pending, with nothing else set; tests change what
/// they are about.
pub fn source_account(id: &str) -> SourceAccount {
    SourceAccount {
        connection_id: ConnectionId::new(),
        id: SourceAccountId::parse(id).unwrap_or_else(|e| panic!("{id}: {e}")),
        shape: AccountShape::V1,
        account_name: None,
        account_type: None,
        account_number: None,
        sort_code: None,
        currency: Some("USD".into()),
        balance: None,
        routing_info: None,
        account_info: None,
        modified_date: None,
        status: AccountStatus::Pending,
        feed_start_date: None,
        last_pulled: None,
        linked_credential: None,
        created: Timestamp::UNIX_EPOCH,
        feed_mark: Timestamp::UNIX_EPOCH,
    }
}
