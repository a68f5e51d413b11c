//! SQLite as a [`Backend`] of the shared store: statements bound and run through sqlx (prepared
//! once per connection and cached), rows read in place, writes through the group-committing
//! writer, and SQLite's spelling of the statements the dialects disagree on.

use futures::future::BoxFuture;
use sqlx::query::Query;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Sqlite, SqliteConnection};

use feedbridge_store::StoreResult;
use feedbridge_store_sql::{
    select_claimed, transaction_columns, Arg, Backend, Col, Columns, Row, Stmt,
};

use crate::error::backend;
use crate::{SqliteBackend, MIGRATOR};

impl Backend for SqliteBackend {
    type Conn = SqliteConnection;

    /// No lock: the single writer already runs one write at a time.
    const LOCK_ACCOUNT: Option<&'static str> = None;
    const TRANSACTIONS_AMONG: &'static str = concat!(
        "SELECT ",
        transaction_columns!(),
        " FROM bank_transactions WHERE connection_id = $1 AND account_id = $2 \
         AND id IN (SELECT value FROM json_each($3))"
    );
    /// `json_each` walks the array in order, so rowids (the tie-break of listings) follow it.
    /// (A path such as `'$[0]'` reads a little faster than the bare index `0`.)
    const INSERT_TRANSACTIONS: &'static str = concat!(
        "INSERT INTO bank_transactions (connection_id, account_id, ",
        transaction_columns!(),
        ", available_at) SELECT $1, $2, value ->> '$[0]', value ->> '$[1]', \
         value ->> '$[2]', value ->> '$[3]', value ->> '$[4]', value ->> '$[5]', \
         value ->> '$[6]', value ->> '$[7]', $4 FROM json_each($3)"
    );
    /// No row locks: the single writer runs one claim at a time.
    const CLAIM_DELIVERIES: &'static str = "UPDATE webhook_deliveries SET lease_until = $2 \
         WHERE id IN (SELECT id FROM webhook_deliveries \
         WHERE status = 'pending' AND next_attempt <= $1 \
         AND (lease_until IS NULL OR lease_until <= $1) ORDER BY next_attempt LIMIT $3) \
         RETURNING id";
    const CLAIMED_DELIVERIES: &'static str = concat!(
        select_claimed!(),
        " WHERE d.id IN (SELECT value FROM json_each($1)) ORDER BY d.next_attempt"
    );

    async fn open(url: &str) -> StoreResult<Self> {
        Self::start(url, true).await
    }

    async fn connect(url: &str) -> StoreResult<Self> {
        Self::start(url, false).await
    }

    async fn write<T, F>(&self, job: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, StoreResult<T>>
            + Send
            + 'static,
    {
        self.writer().write(job).await
    }

    async fn execute(conn: &mut SqliteConnection, stmt: Stmt) -> StoreResult<u64> {
        let done = query(stmt)?.execute(conn).await.map_err(backend)?;
        Ok(done.rows_affected())
    }

    async fn fetch<T, F>(conn: &mut SqliteConnection, stmt: Stmt, map: F) -> StoreResult<Vec<T>>
    where
        T: Send,
        F: FnMut(Row<'_>) -> StoreResult<T> + Send,
    {
        let rows = query(stmt)?.fetch_all(conn).await.map_err(backend)?;
        read_rows(&rows, map)
    }

    async fn read<T, F>(&self, stmt: Stmt, map: F) -> StoreResult<Vec<T>>
    where
        T: Send,
        F: FnMut(Row<'_>) -> StoreResult<T> + Send,
    {
        let rows = query(stmt)?
            .fetch_all(self.read_pool())
            .await
            .map_err(backend)?;
        read_rows(&rows, map)
    }

    fn migrations(&self) -> usize {
        MIGRATOR.iter().count()
    }
}

/// The statement with its values bound; an id list goes in as the JSON array `json_each` reads.
fn query(stmt: Stmt) -> StoreResult<Query<'static, Sqlite, SqliteArguments<'static>>> {
    let mut query = sqlx::query(stmt.sql);
    for arg in stmt.args {
        query = match arg {
            Arg::Text(text) => query.bind(text),
            Arg::Int(int) => query.bind(int),
            Arg::Bytes(bytes) => query.bind(bytes),
            Arg::TextList(list) => query.bind(feedbridge_store_sql::json(&list)?),
        };
    }
    Ok(query)
}

fn read_rows<T>(
    rows: &[SqliteRow],
    mut map: impl FnMut(Row<'_>) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    rows.iter().map(|row| map(Row::new(&Cells(row)))).collect()
}

/// A SQLite row as the shared code reads it.
struct Cells<'r>(&'r SqliteRow);

impl Cells<'_> {
    fn get<'r, T>(&'r self, col: Col<'_>) -> StoreResult<T>
    where
        T: sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite>,
    {
        use sqlx::Row as _;
        match col {
            Col::Name(name) => self.0.try_get(name),
            Col::At(position) => self.0.try_get(position),
        }
        .map_err(backend)
    }
}

impl Columns for Cells<'_> {
    fn text(&self, col: Col<'_>) -> StoreResult<Option<&str>> {
        self.get(col)
    }

    fn int(&self, col: Col<'_>) -> StoreResult<Option<i64>> {
        self.get(col)
    }

    fn bytes(&self, col: Col<'_>) -> StoreResult<Option<&[u8]>> {
        self.get(col)
    }
}
