//! Connected source accounts for measured servers, made through the store as an account's first
//! statement download would leave them, so pushes are accepted without a feed client.

use feedbridge::domain::Services;
use feedbridge_store::{AccountStatus, ConnectionId, Effects, SourceAccountId};
use jiff::ToSpan;

/// Marks the account connected, with a feed start 30 days back, and just pulled: the idle sweep
/// (at every start and every minute) disconnects accounts never pulled.
pub async fn connect(
    services: &Services,
    connection: ConnectionId,
    id: &str,
) -> anyhow::Result<()> {
    let mut record = services
        .store_for_tests()
        .get_source_account(connection, &SourceAccountId::parse(id)?)
        .await?;
    record.status = AccountStatus::Connected;
    record.feed_start_date = Some(services.today() - 30.days());
    record.last_pulled = Some(services.now());
    services
        .store_for_tests()
        .update_source_accounts(&[record], None, Effects::none())
        .await?;
    Ok(())
}
