//! Source accounts of a connection.

use sqlx::sqlite::SqliteRow;
use sqlx::SqliteConnection;

use feedbridge_store::{
    AccountShape, AccountStatus, ConnectionId, SourceAccount, SourceAccountId, StoreResult,
};

use crate::rows::{
    backend, corrupt, expect_rows, get, get_json, get_opt_decimal, get_opt_ts, get_ts, opt_ts,
    parse, ts,
};
use crate::SqliteStore;

pub(crate) const COLUMNS: &str =
    "connection_id, id, shape, account_name, account_type, account_number, \
    sort_code, currency, balance, routing_info, account_info, modified_date, status, \
    feed_start_date, last_pulled, linked_credential, created, feed_mark";

impl SqliteStore {
    pub(crate) async fn select_accounts(
        &self,
        connection: ConnectionId,
    ) -> StoreResult<Vec<SourceAccount>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM source_accounts WHERE connection_id = $1 ORDER BY created, rowid"
        );
        let rows = sqlx::query(&sql)
            .bind(connection.to_string())
            .fetch_all(self.read())
            .await
            .map_err(backend)?;
        rows.iter().map(account).collect()
    }

    pub(crate) async fn select_account(
        &self,
        connection: ConnectionId,
        id: &SourceAccountId,
    ) -> StoreResult<SourceAccount> {
        let sql =
            format!("SELECT {COLUMNS} FROM source_accounts WHERE connection_id = $1 AND id = $2");
        let row = sqlx::query(&sql)
            .bind(connection.to_string())
            .bind(id.as_str())
            .fetch_one(self.read())
            .await
            .map_err(backend)?;
        account(&row)
    }
}

pub(crate) async fn insert_account(c: &mut SqliteConnection, a: &SourceAccount) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO source_accounts ({COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18)"
    );
    sqlx::query(&sql)
        .bind(a.connection_id.to_string())
        .bind(a.id.as_str())
        .bind(a.shape.as_str())
        .bind(&a.account_name)
        .bind(&a.account_type)
        .bind(&a.account_number)
        .bind(&a.sort_code)
        .bind(&a.currency)
        .bind(a.balance.map(|b| b.to_string()))
        .bind(a.routing_info.as_ref().map(|v| v.to_string()))
        .bind(a.account_info.as_ref().map(|v| v.to_string()))
        .bind(&a.modified_date)
        .bind(a.status.as_str())
        .bind(a.feed_start_date.map(|d| d.to_string()))
        .bind(opt_ts(a.last_pulled))
        .bind(a.linked_credential.map(|id| id.to_string()))
        .bind(ts(a.created))
        .bind(ts(a.feed_mark))
        .execute(&mut *c)
        .await
        .map_err(backend)
        .map(|_| ())
}

/// Writes an account's mutable fields. A recorded pull moves the feed mark up to the pull's
/// instant; the mark itself is never written from the record, so it cannot go backwards.
pub(crate) async fn update_account(c: &mut SqliteConnection, a: &SourceAccount) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE source_accounts SET account_name = $3, balance = $4, modified_date = $5, \
         status = $6, feed_start_date = $7, last_pulled = $8, linked_credential = $9, \
         feed_mark = CASE WHEN $8 IS NULL OR feed_mark >= $8 THEN feed_mark ELSE $8 END \
         WHERE connection_id = $1 AND id = $2",
    )
    .bind(a.connection_id.to_string())
    .bind(a.id.as_str())
    .bind(&a.account_name)
    .bind(a.balance.map(|b| b.to_string()))
    .bind(&a.modified_date)
    .bind(a.status.as_str())
    .bind(a.feed_start_date.map(|d| d.to_string()))
    .bind(opt_ts(a.last_pulled))
    .bind(a.linked_credential.map(|id| id.to_string()))
    .execute(&mut *c)
    .await
    .map_err(backend)?;
    expect_rows(done)
}

pub(crate) async fn delete_account(
    c: &mut SqliteConnection,
    connection: ConnectionId,
    id: &SourceAccountId,
) -> StoreResult<()> {
    let done = sqlx::query("DELETE FROM source_accounts WHERE connection_id = $1 AND id = $2")
        .bind(connection.to_string())
        .bind(id.as_str())
        .execute(&mut *c)
        .await
        .map_err(backend)?;
    expect_rows(done)
}

pub(crate) fn account(row: &SqliteRow) -> StoreResult<SourceAccount> {
    let id: String = get(row, "id")?;
    let shape: String = get(row, "shape")?;
    let status: String = get(row, "status")?;
    let feed_start: Option<String> = get(row, "feed_start_date")?;
    let linked: Option<String> = get(row, "linked_credential")?;
    Ok(SourceAccount {
        connection_id: parse(row, "connection_id")?,
        id: SourceAccountId::parse(&id).map_err(corrupt)?,
        shape: AccountShape::parse(&shape).ok_or_else(|| corrupt(shape))?,
        account_name: get(row, "account_name")?,
        account_type: get(row, "account_type")?,
        account_number: get(row, "account_number")?,
        sort_code: get(row, "sort_code")?,
        currency: get(row, "currency")?,
        balance: get_opt_decimal(row, "balance")?,
        routing_info: get_json(row, "routing_info")?,
        account_info: get_json(row, "account_info")?,
        modified_date: get(row, "modified_date")?,
        status: AccountStatus::parse(&status).ok_or_else(|| corrupt(status))?,
        feed_start_date: feed_start.map(|d| d.parse().map_err(corrupt)).transpose()?,
        last_pulled: get_opt_ts(row, "last_pulled")?,
        linked_credential: linked.map(|l| l.parse().map_err(corrupt)).transpose()?,
        created: get_ts(row, "created")?,
        feed_mark: get_ts(row, "feed_mark")?,
    })
}
