//! Bank transactions: the atomic push (read the ledger, decide, write) and the counts.
//!
//! The push runs in one write transaction: the ledger is read, the domain's `decide` turns it into
//! a write, and the write is applied, so nothing the decision read can change before it lands.
//! Where instances share the database, [`Backend::PUSH_ACCOUNT`] locks the account row first, so
//! pushes to one account decide one after the other, as SQLite's single writer guarantees by
//! construction. The transactions go in with one statement, whatever their number.

use async_trait::async_trait;

use feedbridge_store::{
    ConnectionId, Decide, Ledger, PushOperation, PushWrite, SourceAccountId, StoreResult,
    TransactionStore,
};

use crate::accounts::account;
use crate::backend::Backend;
use crate::feed::{transaction, StoreTransactions};
use crate::push::insert_operation;
use crate::stmt::Stmt;
use crate::store::{Change, SqlStore};

#[async_trait]
impl<B: Backend> TransactionStore for SqlStore<B> {
    async fn push_transactions(
        &self,
        connection: ConnectionId,
        account: &SourceAccountId,
        ids: Vec<String>,
        decide: Decide,
    ) -> StoreResult<PushOperation> {
        let account = account.clone();
        self.backend()
            .write(move |c| {
                Box::pin(async move {
                    let ledger = ledger::<B>(c, connection, &account, ids).await?;
                    apply::<B>(c, connection, &account, decide(ledger)).await
                })
            })
            .await
    }

    async fn count_transactions(
        &self,
        connection: ConnectionId,
        account: &SourceAccountId,
    ) -> StoreResult<u64> {
        let count = Stmt::new(
            "SELECT COUNT(*) AS stored FROM bank_transactions \
             WHERE connection_id = $1 AND account_id = $2",
        )
        .text(connection)
        .text(account);
        self.read_one(count, |row| row.number("stored")).await
    }
}

/// Reads the account, its newest transaction date and the stored transactions among `ids`.
async fn ledger<B: Backend>(
    c: &mut B::Conn,
    connection: ConnectionId,
    id: &SourceAccountId,
    ids: Vec<String>,
) -> StoreResult<Ledger> {
    let select = Stmt::new(B::PUSH_ACCOUNT).text(connection).text(id);
    let Some(found) = B::fetch(c, select, account).await?.into_iter().next() else {
        return Ok(Ledger {
            account: None,
            newest: None,
            stored: Vec::new(),
        });
    };
    let newest = Stmt::new(
        "SELECT MAX(date) AS newest FROM bank_transactions \
         WHERE connection_id = $1 AND account_id = $2",
    )
    .text(connection)
    .text(id);
    let newest = B::fetch(c, newest, |row| row.opt_parse("newest")).await?;
    let stored = if ids.is_empty() {
        Vec::new()
    } else {
        let among = Stmt::new(B::TRANSACTIONS_AMONG)
            .text(connection)
            .text(id)
            .list(ids);
        B::fetch(c, among, transaction).await?
    };
    Ok(Ledger {
        account: Some(found),
        newest: newest.into_iter().next().flatten(),
        stored,
    })
}

/// Writes the decided outcome: transactions, balance, operation and effects.
async fn apply<B: Backend>(
    c: &mut B::Conn,
    connection: ConnectionId,
    account: &SourceAccountId,
    write: PushWrite,
) -> StoreResult<PushOperation> {
    let PushWrite {
        operation,
        transactions,
        balance,
        effects,
    } = write;
    let at = operation.completed.unwrap_or(operation.requested);
    if let Some(stored) = StoreTransactions::new::<B>(connection, account, &transactions, Some(at))?
    {
        stored.write_on::<B>(c).await?;
    }
    let balance = balance.map(|balance| {
        Stmt::new("UPDATE source_accounts SET balance = $3 WHERE connection_id = $1 AND id = $2")
            .text(connection)
            .text(account)
            .text(balance)
    });
    let change = balance.into_iter().fold(Change::new(), Change::changing);
    change
        .then(insert_operation(&operation)?)
        .effects(effects)
        .write_on::<B>(c)
        .await?;
    Ok(operation)
}
