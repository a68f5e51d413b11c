//! Bank transactions: the atomic push (read the ledger, decide, write) and the counts.

use async_trait::async_trait;
use sqlx::SqliteConnection;

use feedbridge_store::{
    ConnectionId, Decide, Ledger, PushOperation, PushWrite, SourceAccountId, StoreResult,
    TransactionStore,
};

use crate::accounts::{account, COLUMNS as ACCOUNT_COLUMNS};
use crate::effects;
use crate::feed::{store_transactions, transaction};
use crate::push::insert_operation;
use crate::rows::{backend, corrupt, expect_rows};
use crate::SqliteStore;

const COLUMNS: &str = "id, date, description, amount, balance, transaction_type, counterparty, \
    reference";

#[async_trait]
impl TransactionStore for SqliteStore {
    async fn push_transactions(
        &self,
        connection: ConnectionId,
        account: &SourceAccountId,
        ids: Vec<String>,
        decide: Decide,
    ) -> StoreResult<PushOperation> {
        let account = account.clone();
        self.writer()
            .write(move |c| {
                Box::pin(async move {
                    let ledger = ledger(c, connection, &account, &ids).await?;
                    let write = decide(ledger);
                    apply(c, connection, &account, &write).await?;
                    Ok(write.operation)
                })
            })
            .await
    }

    async fn count_transactions(
        &self,
        connection: ConnectionId,
        account: &SourceAccountId,
    ) -> StoreResult<u64> {
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM bank_transactions WHERE connection_id = $1 AND account_id = $2",
        )
        .bind(connection.to_string())
        .bind(account.as_str())
        .fetch_one(self.read())
        .await
        .map_err(backend)?;
        u64::try_from(count).map_err(corrupt)
    }
}

/// Reads the account, its newest transaction date and the stored transactions among `ids`.
async fn ledger(
    c: &mut SqliteConnection,
    connection: ConnectionId,
    id: &SourceAccountId,
    ids: &[String],
) -> StoreResult<Ledger> {
    let sql = format!(
        "SELECT {ACCOUNT_COLUMNS} FROM source_accounts WHERE connection_id = $1 AND id = $2"
    );
    let found = sqlx::query(&sql)
        .bind(connection.to_string())
        .bind(id.as_str())
        .fetch_optional(&mut *c)
        .await
        .map_err(backend)?;
    let Some(row) = found else {
        return Ok(Ledger {
            account: None,
            newest: None,
            stored: Vec::new(),
        });
    };
    let newest: Option<String> = sqlx::query_scalar(
        "SELECT MAX(date) FROM bank_transactions WHERE connection_id = $1 AND account_id = $2",
    )
    .bind(connection.to_string())
    .bind(id.as_str())
    .fetch_one(&mut *c)
    .await
    .map_err(backend)?;
    let sql = format!(
        "SELECT {COLUMNS} FROM bank_transactions WHERE connection_id = $1 AND account_id = $2 \
         AND id IN (SELECT value FROM json_each($3))"
    );
    let ids = serde_json::to_string(ids).map_err(corrupt)?;
    let stored = sqlx::query(&sql)
        .bind(connection.to_string())
        .bind(id.as_str())
        .bind(ids)
        .fetch_all(&mut *c)
        .await
        .map_err(backend)?;
    Ok(Ledger {
        account: Some(account(&row)?),
        newest: newest.map(|d| d.parse().map_err(corrupt)).transpose()?,
        stored: stored.iter().map(transaction).collect::<StoreResult<_>>()?,
    })
}

/// Writes the decided outcome: transactions, balance, operation and effects.
async fn apply(
    c: &mut SqliteConnection,
    connection: ConnectionId,
    account: &SourceAccountId,
    write: &PushWrite,
) -> StoreResult<()> {
    let at = write
        .operation
        .completed
        .unwrap_or(write.operation.requested);
    store_transactions(c, connection, account, &write.transactions, Some(at)).await?;
    if let Some(balance) = write.balance {
        let done = sqlx::query(
            "UPDATE source_accounts SET balance = $3 WHERE connection_id = $1 AND id = $2",
        )
        .bind(connection.to_string())
        .bind(account.as_str())
        .bind(balance.to_string())
        .execute(&mut *c)
        .await
        .map_err(backend)?;
        expect_rows(done)?;
    }
    insert_operation(c, &write.operation).await?;
    effects::write(c, &write.effects).await
}
