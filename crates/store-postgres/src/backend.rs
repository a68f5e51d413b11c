//! PostgreSQL as a [`Backend`] of the shared store: statements bound and run through sqlx
//! (prepared once per connection and cached), rows read in place, each write in its own pooled
//! transaction, and PostgreSQL's spelling of the statements the dialects disagree on.

use futures::future::BoxFuture;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::query::Query;
use sqlx::{PgConnection, Postgres};

use feedbridge_store::StoreResult;
use feedbridge_store_sql::{
    select_claimed, transaction_columns, Arg, Backend, Col, Columns, Row, Stmt,
};

use crate::error::backend;
use crate::{PgBackend, MIGRATOR};

impl Backend for PgBackend {
    type Conn = PgConnection;

    /// A push or a feed write to the same account from another instance waits here until this
    /// one commits, then reads what it stored.
    const LOCK_ACCOUNT: Option<&'static str> =
        Some("SELECT 1 FROM source_accounts WHERE connection_id = $1 AND id = $2 FOR UPDATE");
    const TRANSACTIONS_AMONG: &'static str = concat!(
        "SELECT ",
        transaction_columns!(),
        " FROM bank_transactions WHERE connection_id = $1 AND account_id = $2 AND id = ANY($3)"
    );
    /// Ordered by position in the document, so the identity column (the tie-break of
    /// listings) follows it.
    const INSERT_TRANSACTIONS: &'static str = concat!(
        "INSERT INTO bank_transactions (connection_id, account_id, ",
        transaction_columns!(),
        ", available_at) SELECT $1, $2, r.value ->> 0, r.value ->> 1, r.value ->> 2, \
         r.value ->> 3, r.value ->> 4, r.value ->> 5, r.value ->> 6, r.value ->> 7, $4 \
         FROM jsonb_array_elements(CAST($3 AS jsonb)) WITH ORDINALITY AS r(value, position) \
         ORDER BY r.position"
    );
    /// Instances claiming at the same moment split the due rows instead of waiting on each
    /// other or taking the same one.
    const CLAIM_DELIVERIES: &'static str = "UPDATE webhook_deliveries SET lease_until = $2 \
         WHERE id IN (SELECT id FROM webhook_deliveries \
         WHERE status = 'pending' AND next_attempt <= $1 \
         AND (lease_until IS NULL OR lease_until <= $1) ORDER BY next_attempt LIMIT $3 \
         FOR UPDATE SKIP LOCKED) RETURNING id";
    const CLAIMED_DELIVERIES: &'static str = concat!(
        select_claimed!(),
        " WHERE d.id = ANY($1) ORDER BY d.next_attempt"
    );

    async fn open(url: &str) -> StoreResult<Self> {
        Self::start(url, true).await
    }

    async fn connect(url: &str) -> StoreResult<Self> {
        Self::start(url, false).await
    }

    /// Committed when `job` succeeds; rolled back (the transaction dropped) when it fails.
    async fn write<T, F>(&self, job: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut PgConnection) -> BoxFuture<'c, StoreResult<T>> + Send + 'static,
    {
        let mut tx = self.pool().begin().await.map_err(backend)?;
        let value = job(&mut tx).await?;
        tx.commit().await.map_err(backend)?;
        Ok(value)
    }

    async fn execute(conn: &mut PgConnection, stmt: Stmt) -> StoreResult<u64> {
        let done = query(stmt).execute(conn).await.map_err(backend)?;
        Ok(done.rows_affected())
    }

    async fn fetch<T, F>(conn: &mut PgConnection, stmt: Stmt, map: F) -> StoreResult<Vec<T>>
    where
        T: Send,
        F: FnMut(Row<'_>) -> StoreResult<T> + Send,
    {
        let rows = query(stmt).fetch_all(conn).await.map_err(backend)?;
        read_rows(&rows, map)
    }

    async fn read<T, F>(&self, stmt: Stmt, map: F) -> StoreResult<Vec<T>>
    where
        T: Send,
        F: FnMut(Row<'_>) -> StoreResult<T> + Send,
    {
        let rows = query(stmt).fetch_all(self.pool()).await.map_err(backend)?;
        read_rows(&rows, map)
    }

    fn migrations(&self) -> usize {
        MIGRATOR.iter().count()
    }
}

/// The statement with its values bound; an id list goes in as a `text[]` for `= ANY`.
fn query(stmt: Stmt) -> Query<'static, Postgres, PgArguments> {
    let mut query = sqlx::query(stmt.sql);
    for arg in stmt.args {
        query = match arg {
            Arg::Text(text) => query.bind(text),
            Arg::Int(int) => query.bind(int),
            Arg::Bytes(bytes) => query.bind(bytes),
            Arg::TextList(list) => query.bind(list),
        };
    }
    query
}

fn read_rows<T>(
    rows: &[PgRow],
    mut map: impl FnMut(Row<'_>) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    rows.iter().map(|row| map(Row::new(&Cells(row)))).collect()
}

/// A PostgreSQL row as the shared code reads it.
struct Cells<'r>(&'r PgRow);

impl Cells<'_> {
    fn get<'r, T>(&'r self, col: Col<'_>) -> StoreResult<T>
    where
        T: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
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

    /// Integers of every width: the schema's are `BIGINT` but for one `INTEGER` column
    /// (`timeout_in_minutes`).
    fn int(&self, col: Col<'_>) -> StoreResult<Option<i64>> {
        self.get(col)
            .or_else(|_| self.get::<Option<i32>>(col).map(|n| n.map(i64::from)))
    }

    fn bytes(&self, col: Col<'_>) -> StoreResult<Option<&[u8]>> {
        self.get(col)
    }
}
