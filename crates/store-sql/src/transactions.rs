//! Bank transactions: the atomic push (read the ledger, decide, write) and the counts.
//!
//! The push runs in one write transaction: the ledger is read, the domain's `decide` turns it into
//! a write, and the write is applied, so nothing the decision read can change before it lands.
//! The stored transactions among the pushed ids are read only when the insert shows there are
//! some (see [`push`]): looking each id up first would search the primary key twice per row.
//! Where instances share the database, [`Backend::LOCK_ACCOUNT`] locks the account row first, so
//! pushes to one account decide one after the other, as SQLite's single writer guarantees by
//! construction; the ledger is read after the lock, in a statement of its own, so it sees what the
//! push before committed. The transactions go in with one statement, whatever their number.

use async_trait::async_trait;
use jiff::Timestamp;

use feedbridge_store::{
    BankTransaction, ConnectionId, Decide, Ledger, PushOperation, PushStatus, PushWrite,
    SourceAccountId, StoreError, StoreResult, TransactionStore,
};

use crate::account_columns;
use crate::accounts::account;
use crate::backend::Backend;
use crate::bank_transactions::{lock_account, transaction, NewRows};
use crate::push::insert_operation;
use crate::stmt::Stmt;
use crate::store::{Change, SqlStore};

/// The account a push goes to, with its newest transaction date, `$1` connection, `$2` account.
const LEDGER: &str = concat!(
    "SELECT ",
    account_columns!(),
    ", (SELECT MAX(date) FROM bank_transactions \
     WHERE connection_id = $1 AND account_id = $2) AS newest \
     FROM source_accounts WHERE connection_id = $1 AND id = $2"
);

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
            .write(move |c| Box::pin(push::<B>(c, connection, account, ids, decide)))
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

/// One push inside the write, decided first on the ledger as read, which holds no stored
/// transactions yet. A decision that stores every id the push names is written under a
/// savepoint, and the primary key refuses its insert if one of them is stored after all. Only
/// then, or when the decision stores fewer, are the stored ones among `ids` read; and only when
/// there are some is the push decided again, now seeing them.
async fn push<B: Backend>(
    c: &mut B::Conn,
    connection: ConnectionId,
    account: SourceAccountId,
    ids: Vec<String>,
    decide: Decide,
) -> StoreResult<PushOperation> {
    let mut ledger = ledger::<B>(c, connection, &account).await?;
    let mark = ledger.account.as_ref().map(|a| a.feed_mark);
    let write = decide(&ledger);
    if ledger.account.is_none() || ids.is_empty() {
        return apply::<B>(c, connection, &account, mark, write).await;
    }
    let all_new =
        write.operation.status == PushStatus::Success && write.transactions.len() == ids.len();
    let write = if all_new {
        match unseen::<B>(c, connection, &account, mark, write).await? {
            Some(op) => return Ok(op),
            None => None,
        }
    } else {
        Some(write)
    };
    ledger.stored = stored_among::<B>(c, connection, &account, ids).await?;
    let write = match write {
        Some(write) if ledger.stored.is_empty() => write,
        _ => decide(&ledger),
    };
    apply::<B>(c, connection, &account, mark, write).await
}

/// Writes a push decided with no stored transactions, or nothing (`None`) when the insert meets
/// one that is stored after all.
async fn unseen<B: Backend>(
    c: &mut B::Conn,
    connection: ConnectionId,
    account: &SourceAccountId,
    mark: Option<Timestamp>,
    write: PushWrite,
) -> StoreResult<Option<PushOperation>> {
    B::execute(c, Stmt::new("SAVEPOINT push_unseen")).await?;
    match apply::<B>(c, connection, account, mark, write).await {
        Ok(op) => {
            B::execute(c, Stmt::new("RELEASE SAVEPOINT push_unseen")).await?;
            Ok(Some(op))
        }
        Err(StoreError::Conflict(_)) => {
            B::execute(c, Stmt::new("ROLLBACK TO SAVEPOINT push_unseen")).await?;
            B::execute(c, Stmt::new("RELEASE SAVEPOINT push_unseen")).await?;
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Locks the account and reads it with its newest transaction date.
async fn ledger<B: Backend>(
    c: &mut B::Conn,
    connection: ConnectionId,
    id: &SourceAccountId,
) -> StoreResult<Ledger> {
    lock_account::<B>(c, connection, id).await?;
    let select = Stmt::new(LEDGER).text(connection).text(id);
    let found = B::fetch(c, select, |row| {
        Ok((account(row)?, row.opt_parse("newest")?))
    })
    .await?;
    let (account, newest) = found.into_iter().next().unzip();
    Ok(Ledger {
        account,
        newest: newest.flatten(),
        stored: Vec::new(),
    })
}

/// The account's stored transactions among `ids`.
async fn stored_among<B: Backend>(
    c: &mut B::Conn,
    connection: ConnectionId,
    id: &SourceAccountId,
    ids: Vec<String>,
) -> StoreResult<Vec<BankTransaction>> {
    let among = Stmt::new(B::TRANSACTIONS_AMONG)
        .text(connection)
        .text(id)
        .list(ids);
    B::fetch(c, among, transaction).await
}

/// Writes the decided outcome: transactions, balance and mark, operation and effects. `mark` is
/// the account's feed mark as the ledger read it.
async fn apply<B: Backend>(
    c: &mut B::Conn,
    connection: ConnectionId,
    account: &SourceAccountId,
    mark: Option<Timestamp>,
    write: PushWrite,
) -> StoreResult<PushOperation> {
    let PushWrite {
        operation,
        transactions,
        balance,
        effects,
    } = write;
    let rows = NewRows {
        connection,
        account,
        rows: &transactions,
        balance,
    };
    let change = match mark {
        Some(mark) => {
            let at = operation.completed.unwrap_or(operation.requested);
            rows.add_to::<B>(Change::new(), mark, Some(at))?
        }
        None if transactions.is_empty() && balance.is_none() => Change::new(),
        None => return Err(StoreError::NotFound),
    };
    change
        .then(insert_operation(&operation)?)
        .effects(effects)
        .write_on::<B>(c)
        .await?;
    Ok(operation)
}
