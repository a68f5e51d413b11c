//! The `Store` contract, split by aggregate so each part stays small and readable.
//!
//! Every method that changes state takes the [`Effects`] to write in the same transaction, so an
//! outbox event exists exactly when its change was committed.

use async_trait::async_trait;
use jiff::Timestamp;

use crate::error::StoreResult;
use crate::ids::{ApiKeyId, ClientId, CompanyId, ConnectionId, PushOperationKey, SourceAccountId};
use crate::model::{
    ApiKey, Client, Company, ConfirmationCode, Connection, Credential, Effects, IdempotencyClaim,
    PushOperation, SourceAccount, StoredResponse,
};
use crate::outbox::OutboxStore;

/// Tenants and their API keys.
#[async_trait]
pub trait TenantStore: Send + Sync {
    async fn insert_client(&self, client: &Client) -> StoreResult<()>;
    async fn get_client(&self, id: ClientId) -> StoreResult<Client>;
    async fn insert_api_key(&self, key: &ApiKey, hash: &[u8]) -> StoreResult<()>;
    /// The unrevoked key with this keyed hash.
    async fn find_api_key(&self, hash: &[u8]) -> StoreResult<ApiKey>;
    async fn list_api_keys(&self) -> StoreResult<Vec<ApiKey>>;
    async fn revoke_api_key(&self, id: ApiKeyId, at: Timestamp) -> StoreResult<()>;
}

/// Companies and their connections, always scoped to the owning client.
#[async_trait]
pub trait CompanyStore: Send + Sync {
    async fn insert_company(&self, company: &Company, effects: Effects) -> StoreResult<()>;
    async fn list_companies(&self, client: ClientId) -> StoreResult<Vec<Company>>;
    async fn get_company(&self, client: ClientId, id: CompanyId) -> StoreResult<Company>;
    /// A company by id alone, for the Link UI and the feed, which know no client.
    async fn find_company(&self, id: CompanyId) -> StoreResult<Company>;
    async fn update_company(&self, company: &Company) -> StoreResult<()>;
    /// Removes the company and everything under it.
    async fn delete_company(
        &self,
        client: ClientId,
        id: CompanyId,
        effects: Effects,
    ) -> StoreResult<()>;

    async fn insert_connection(&self, connection: &Connection, effects: Effects)
        -> StoreResult<()>;
    async fn list_connections(&self, company: CompanyId) -> StoreResult<Vec<Connection>>;
    async fn get_connection(&self, company: CompanyId, id: ConnectionId)
        -> StoreResult<Connection>;
    /// Looks a connection up without knowing its company (link pages and the feed do this).
    async fn find_connection(&self, id: ConnectionId) -> StoreResult<Connection>;
    async fn update_connection(&self, connection: &Connection, effects: Effects)
        -> StoreResult<()>;
    /// Removes the connection and everything under it.
    async fn delete_connection(
        &self,
        company: CompanyId,
        id: ConnectionId,
        effects: Effects,
    ) -> StoreResult<()>;
}

/// Source accounts, credentials and confirmation codes of a connection.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Inserts each account on its own; an id already on the connection is a `Conflict`.
    async fn insert_source_accounts(
        &self,
        accounts: &[SourceAccount],
    ) -> StoreResult<Vec<StoreResult<()>>>;
    /// Accounts in creation order.
    async fn list_source_accounts(
        &self,
        connection: ConnectionId,
    ) -> StoreResult<Vec<SourceAccount>>;
    async fn get_source_account(
        &self,
        connection: ConnectionId,
        id: &SourceAccountId,
    ) -> StoreResult<SourceAccount>;
    /// Writes the given accounts (and optionally the connection) as one change.
    async fn update_source_accounts(
        &self,
        accounts: &[SourceAccount],
        connection: Option<&Connection>,
        effects: Effects,
    ) -> StoreResult<()>;
    async fn delete_source_account(
        &self,
        connection: ConnectionId,
        id: &SourceAccountId,
    ) -> StoreResult<()>;

    async fn insert_credential(&self, credential: &Credential, effects: Effects)
        -> StoreResult<()>;
    async fn list_credentials(&self, connection: ConnectionId) -> StoreResult<Vec<Credential>>;
    /// The credential (revoked or not) with this username.
    async fn find_credential(&self, username: &str) -> StoreResult<Credential>;
    /// Revokes every unrevoked pair and writes the account and connection changes with it.
    async fn revoke_credentials(
        &self,
        connection: ConnectionId,
        at: Timestamp,
        accounts: &[SourceAccount],
        updated: Option<&Connection>,
        effects: Effects,
    ) -> StoreResult<u64>;

    async fn put_confirmation_code(&self, code: &ConfirmationCode) -> StoreResult<()>;
    async fn get_confirmation_code(
        &self,
        connection: ConnectionId,
    ) -> StoreResult<ConfirmationCode>;
}

/// Push operations (the transactions themselves belong to the push and feed parts).
#[async_trait]
pub trait PushStore: Send + Sync {
    async fn insert_push_operation(
        &self,
        operation: &PushOperation,
        effects: Effects,
    ) -> StoreResult<()>;
    async fn list_push_operations(&self, company: CompanyId) -> StoreResult<Vec<PushOperation>>;
    async fn get_push_operation(
        &self,
        company: CompanyId,
        key: PushOperationKey,
    ) -> StoreResult<PushOperation>;
}

/// `Idempotency-Key` bookkeeping, shared by every instance through the database.
#[async_trait]
pub trait IdempotencyStore: Send + Sync {
    /// Claims `key` for a request whose fingerprint is `request_hash`, or reports its state.
    /// The claim lapses at `lease_until` unless completed first: a request cut off by a timeout
    /// or by the process dying must not hold its key forever.
    async fn claim_idempotency_key(
        &self,
        client: ClientId,
        key: &str,
        request_hash: &[u8],
        now: Timestamp,
        lease_until: Timestamp,
    ) -> StoreResult<IdempotencyClaim>;
    /// Records the answer to replay until `keep_until`.
    async fn complete_idempotency_key(
        &self,
        client: ClientId,
        key: &str,
        response: &StoredResponse,
        keep_until: Timestamp,
    ) -> StoreResult<()>;
    /// Forgets a claim whose answer must not be replayed (a 5xx or a 429).
    async fn release_idempotency_key(&self, client: ClientId, key: &str) -> StoreResult<()>;
    /// Forgets every claim still running. Only for a database one instance serves alone (SQLite),
    /// as it starts: nothing can be in flight then, and a retry need not wait out the lease.
    async fn release_running_idempotency_keys(&self) -> StoreResult<u64>;
}

/// Operational checks.
#[async_trait]
pub trait HealthStore: Send + Sync {
    /// Succeeds when the database answers, every migration is applied and it takes a write.
    async fn ready(&self) -> StoreResult<()>;
}

/// Everything a backend provides.
pub trait Store:
    TenantStore
    + CompanyStore
    + AccountStore
    + PushStore
    + IdempotencyStore
    + HealthStore
    + crate::feed::FeedStore
    + crate::transactions::TransactionStore
    + crate::webhooks::WebhookStore
    + crate::LinkSessionStore
    + crate::OAuthStore
    + crate::ConsentStore
    + OutboxStore
{
}

impl<T> Store for T where
    T: TenantStore
        + CompanyStore
        + AccountStore
        + PushStore
        + IdempotencyStore
        + HealthStore
        + crate::feed::FeedStore
        + crate::transactions::TransactionStore
        + crate::webhooks::WebhookStore
        + crate::LinkSessionStore
        + crate::OAuthStore
        + crate::ConsentStore
        + crate::ConsentStore
        + OutboxStore
{
}
