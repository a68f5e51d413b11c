//! The `FeedStore` contract: what the OFX feed reads and writes besides accounts and
//! credentials — statement transactions, access keys, and the sign-on failure counters that
//! throttle guessing across restarts and instances.

use async_trait::async_trait;
use jiff::civil::Date;
use jiff::Timestamp;

use crate::error::StoreResult;
use crate::ids::{ConnectionId, CredentialId, SourceAccountId};
use crate::model::{BankTransaction, Effects};

/// Which of an account's transactions a statement holds: every one dated `dated_from` through
/// `dated_to`, and every one made available (stored) at or after `available_from` and dated
/// `floor` through `dated_to`. Nothing dated before `floor` (the feed start date) is ever included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatementRange {
    pub floor: Date,
    pub dated_from: Date,
    pub dated_to: Date,
    pub available_from: Option<Timestamp>,
}

/// A transaction as a statement lists it, with the instant it was made available to the feed
/// (FDX's `postedTimestamp`).
#[derive(Debug, Clone, PartialEq)]
pub struct ListedTransaction {
    pub transaction: BankTransaction,
    pub available_at: Timestamp,
}

/// What the database knows about recent failed sign-ons of one username and one address.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SignonCounters {
    /// Failures of the username since its last successful sign-on.
    pub consecutive: u32,
    /// Until when every attempt for the username fails at once.
    pub blocked_until: Option<Timestamp>,
    /// Failures of the username within the counting window.
    pub username_recent: u32,
    /// Failures from the address within the counting window.
    pub address_recent: u32,
}

/// One failed sign-on to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignonFailure {
    pub username: String,
    pub address: String,
    pub at: Timestamp,
    /// The back-off or lock the failure starts, if any.
    pub blocked_until: Option<Timestamp>,
    /// Whether the failure counts towards the username's consecutive failures.
    pub extends: bool,
}

/// Transactions and sign-on state of the OFX feed.
#[async_trait]
pub trait FeedStore: Send + Sync {
    /// The account's transactions in `range`, oldest first.
    async fn list_transactions(
        &self,
        connection: ConnectionId,
        account: &SourceAccountId,
        range: StatementRange,
    ) -> StoreResult<Vec<ListedTransaction>>;
    /// The most recent transaction that carries a running balance.
    async fn latest_balance(
        &self,
        connection: ConnectionId,
        account: &SourceAccountId,
    ) -> StoreResult<Option<BankTransaction>>;
    /// Stores transactions of one account, made available just after its feed mark; an id
    /// already stored for it is a `Conflict` and nothing is written.
    async fn insert_transactions(
        &self,
        connection: ConnectionId,
        account: &SourceAccountId,
        transactions: &[BankTransaction],
        effects: Effects,
    ) -> StoreResult<()>;

    /// Connected accounts last pulled at or before `before` (or never).
    async fn list_stale_accounts(
        &self,
        before: Timestamp,
    ) -> StoreResult<Vec<(ConnectionId, SourceAccountId)>>;

    /// Marks the credential paired and keeps the keyed hash of its new access key.
    async fn pair_credential(
        &self,
        credential: CredentialId,
        at: Timestamp,
        access_key_hash: Option<&[u8]>,
        effects: Effects,
    ) -> StoreResult<()>;
    /// The credential an access key was issued to.
    async fn find_access_key(&self, hash: &[u8]) -> StoreResult<CredentialId>;
    /// Counts one wrong answer to the connection's confirmation code; returns the new count.
    async fn record_code_failure(&self, connection: ConnectionId) -> StoreResult<u32>;

    /// The counters for a sign-on attempt; "recent" means at or after `since`.
    async fn signon_counters(
        &self,
        username: &str,
        address: &str,
        since: Timestamp,
    ) -> StoreResult<SignonCounters>;
    async fn record_signon_failure(
        &self,
        failure: &SignonFailure,
        effects: Effects,
    ) -> StoreResult<()>;
    /// Resets the username's consecutive failures after a successful sign-on.
    async fn clear_signon_failures(&self, username: &str) -> StoreResult<()>;
    /// Forgets failures older than `before`.
    async fn prune_signon_failures(&self, before: Timestamp) -> StoreResult<()>;
}
