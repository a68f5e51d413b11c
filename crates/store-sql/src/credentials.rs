//! The `AccountStore` contract: source accounts, credential pairs and confirmation codes.

use async_trait::async_trait;
use jiff::Timestamp;

use feedbridge_store::{
    AccountStore, ConfirmationCode, Connection, ConnectionId, Credential, Effects, SourceAccount,
    SourceAccountId, StoreResult,
};

use crate::accounts::{
    account, delete_account, insert_account, update_account, GET_ACCOUNT, LIST_ACCOUNTS,
};
use crate::backend::Backend;
use crate::companies::update_connection;
use crate::row::Row;
use crate::stmt::Stmt;
use crate::store::{Change, SqlStore};

macro_rules! credential_columns {
    () => {
        "id, connection_id, username, password_mac, created, paired, revoked, consumed"
    };
}

/// The credential pair `$1` by id.
pub(crate) const GET_CREDENTIAL: &str = concat!(
    "SELECT ",
    credential_columns!(),
    " FROM credentials WHERE id = $1"
);

#[async_trait]
impl<B: Backend> AccountStore for SqlStore<B> {
    async fn insert_source_accounts(
        &self,
        accounts: &[SourceAccount],
    ) -> StoreResult<Vec<StoreResult<()>>> {
        let inserts: Vec<Stmt> = accounts.iter().map(insert_account).collect();
        self.backend()
            .write(move |c| {
                Box::pin(async move {
                    let mut results = Vec::with_capacity(inserts.len());
                    for insert in inserts {
                        results.push(insert_alone::<B>(c, insert).await?);
                    }
                    Ok(results)
                })
            })
            .await
    }

    async fn list_source_accounts(
        &self,
        connection: ConnectionId,
    ) -> StoreResult<Vec<SourceAccount>> {
        self.read_all(Stmt::new(LIST_ACCOUNTS).text(connection), account)
            .await
    }

    async fn get_source_account(
        &self,
        connection: ConnectionId,
        id: &SourceAccountId,
    ) -> StoreResult<SourceAccount> {
        let select = Stmt::new(GET_ACCOUNT).text(connection).text(id);
        self.read_one(select, account).await
    }

    async fn update_source_accounts(
        &self,
        accounts: &[SourceAccount],
        connection: Option<&Connection>,
        effects: Effects,
    ) -> StoreResult<()> {
        let change = accounts
            .iter()
            .map(update_account)
            .chain(connection.map(update_connection))
            .fold(Change::new(), Change::changing);
        self.write(change.effects(effects)).await
    }

    async fn delete_source_account(
        &self,
        connection: ConnectionId,
        id: &SourceAccountId,
    ) -> StoreResult<()> {
        self.write(Change::new().changing(delete_account(connection, id)))
            .await
    }

    async fn insert_credential(
        &self,
        credential: &Credential,
        effects: Effects,
    ) -> StoreResult<()> {
        let insert = Stmt::new(concat!(
            "INSERT INTO credentials (",
            credential_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
        .text(credential.id)
        .text(credential.connection_id)
        .text(&credential.username)
        .bytes(credential.password_mac.as_slice())
        .ts(credential.created)
        .opt_ts(credential.paired)
        .opt_ts(credential.revoked)
        .opt_ts(credential.consumed);
        self.write(Change::new().then(insert).effects(effects))
            .await
    }

    async fn list_credentials(&self, connection: ConnectionId) -> StoreResult<Vec<Credential>> {
        let select = Stmt::new(concat!(
            "SELECT ",
            credential_columns!(),
            " FROM credentials WHERE connection_id = $1 ORDER BY created, rowid"
        ))
        .text(connection);
        self.read_all(select, credential).await
    }

    async fn find_credential(&self, username: &str) -> StoreResult<Credential> {
        let select = Stmt::new(concat!(
            "SELECT ",
            credential_columns!(),
            " FROM credentials WHERE username = $1"
        ))
        .text(username);
        self.read_one(select, credential).await
    }

    async fn revoke_credentials(
        &self,
        connection: ConnectionId,
        at: Timestamp,
        accounts: &[SourceAccount],
        updated: Option<&Connection>,
        effects: Effects,
    ) -> StoreResult<u64> {
        let revoke = Stmt::new(
            "UPDATE credentials SET revoked = $2 WHERE connection_id = $1 AND revoked IS NULL",
        )
        .text(connection)
        .ts(at);
        let change = accounts
            .iter()
            .map(update_account)
            .chain(updated.map(update_connection))
            .fold(Change::new().then(revoke), Change::changing);
        self.write_counting(change.effects(effects)).await
    }

    async fn put_confirmation_code(&self, code: &ConfirmationCode) -> StoreResult<()> {
        let upsert = Stmt::new(
            "INSERT INTO confirmation_codes (connection_id, code, expires, failures) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (connection_id) DO UPDATE SET \
             code = excluded.code, expires = excluded.expires, failures = excluded.failures",
        )
        .text(code.connection_id)
        .text(&code.code)
        .ts(code.expires)
        .int(i64::from(code.failures));
        self.write(Change::new().then(upsert)).await
    }

    async fn get_confirmation_code(
        &self,
        connection: ConnectionId,
    ) -> StoreResult<ConfirmationCode> {
        let select = Stmt::new(
            "SELECT connection_id, code, expires, failures FROM confirmation_codes \
             WHERE connection_id = $1",
        )
        .text(connection);
        self.read_one(select, |row| {
            Ok(ConfirmationCode {
                connection_id: row.parse("connection_id")?,
                code: row.string("code")?,
                expires: row.ts("expires")?,
                failures: u32::try_from(row.int("failures")?).unwrap_or(u32::MAX),
            })
        })
        .await
    }
}

/// Inserts one account inside its own savepoint, so a conflicting one is refused alone. The
/// savepoint is plain SQL: SQLite's writer opened the transaction with its own `BEGIN`, which a
/// driver's nested-transaction counter would not know about.
async fn insert_alone<B: Backend>(c: &mut B::Conn, insert: Stmt) -> StoreResult<StoreResult<()>> {
    B::execute(c, Stmt::new("SAVEPOINT account")).await?;
    let outcome = B::execute(c, insert).await.map(|_| ());
    if outcome.is_err() {
        B::execute(c, Stmt::new("ROLLBACK TO SAVEPOINT account")).await?;
    }
    B::execute(c, Stmt::new("RELEASE SAVEPOINT account")).await?;
    Ok(outcome)
}

pub(crate) fn credential(row: Row<'_>) -> StoreResult<Credential> {
    Ok(Credential {
        id: row.parse("id")?,
        connection_id: row.parse("connection_id")?,
        username: row.string("username")?,
        password_mac: row.bytes("password_mac")?,
        created: row.ts("created")?,
        paired: row.opt_ts("paired")?,
        revoked: row.opt_ts("revoked")?,
        consumed: row.opt_ts("consumed")?,
    })
}
