//! Source accounts of a connection: the statements every account change shares.

use feedbridge_store::{
    AccountShape, AccountStatus, ConnectionId, SourceAccount, SourceAccountId, StoreResult,
};

use crate::account_columns;
use crate::row::Row;
use crate::stmt::Stmt;

pub(crate) const LIST_ACCOUNTS: &str = concat!(
    "SELECT ",
    account_columns!(),
    " FROM source_accounts WHERE connection_id = $1 ORDER BY created, rowid"
);
pub(crate) const GET_ACCOUNT: &str = concat!(
    "SELECT ",
    account_columns!(),
    " FROM source_accounts WHERE connection_id = $1 AND id = $2"
);

pub(crate) fn insert_account(a: &SourceAccount) -> Stmt {
    Stmt::new(concat!(
        "INSERT INTO source_accounts (",
        account_columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18)"
    ))
    .text(a.connection_id)
    .text(&a.id)
    .text(a.shape)
    .opt_text(a.account_name.as_ref())
    .opt_text(a.account_type.as_ref())
    .opt_text(a.account_number.as_ref())
    .opt_text(a.sort_code.as_ref())
    .opt_text(a.currency.as_ref())
    .opt_text(a.balance)
    .opt_text(a.routing_info.as_ref())
    .opt_text(a.account_info.as_ref())
    .opt_text(a.modified_date.as_ref())
    .text(a.status)
    .opt_text(a.feed_start_date)
    .opt_ts(a.last_pulled)
    .opt_text(a.linked_credential)
    .ts(a.created)
    .ts(a.feed_mark)
}

/// Writes an account's mutable fields. A recorded pull moves the feed mark up to the pull's
/// instant; the mark itself is never written from the record, so it cannot go backwards.
pub(crate) fn update_account(a: &SourceAccount) -> Stmt {
    Stmt::new(
        "UPDATE source_accounts SET account_name = $3, balance = $4, modified_date = $5, \
         status = $6, feed_start_date = $7, last_pulled = $8, linked_credential = $9, \
         feed_mark = CASE WHEN $8 IS NULL OR feed_mark >= $8 THEN feed_mark ELSE $8 END \
         WHERE connection_id = $1 AND id = $2",
    )
    .text(a.connection_id)
    .text(&a.id)
    .opt_text(a.account_name.as_ref())
    .opt_text(a.balance)
    .opt_text(a.modified_date.as_ref())
    .text(a.status)
    .opt_text(a.feed_start_date)
    .opt_ts(a.last_pulled)
    .opt_text(a.linked_credential)
}

pub(crate) fn delete_account(connection: ConnectionId, id: &SourceAccountId) -> Stmt {
    Stmt::new("DELETE FROM source_accounts WHERE connection_id = $1 AND id = $2")
        .text(connection)
        .text(id)
}

pub(crate) fn account(row: Row<'_>) -> StoreResult<SourceAccount> {
    Ok(SourceAccount {
        connection_id: row.parse("connection_id")?,
        id: row.account_id("id")?,
        shape: row.spelled("shape", AccountShape::parse)?,
        account_name: row.opt_string("account_name")?,
        account_type: row.opt_string("account_type")?,
        account_number: row.opt_string("account_number")?,
        sort_code: row.opt_string("sort_code")?,
        currency: row.opt_string("currency")?,
        balance: row.opt_parse("balance")?,
        routing_info: row.opt_json("routing_info")?,
        account_info: row.opt_json("account_info")?,
        modified_date: row.opt_string("modified_date")?,
        status: row.spelled("status", AccountStatus::parse)?,
        feed_start_date: row.opt_parse("feed_start_date")?,
        last_pulled: row.opt_ts("last_pulled")?,
        linked_credential: row.opt_parse("linked_credential")?,
        created: row.ts("created")?,
        feed_mark: row.ts("feed_mark")?,
    })
}
