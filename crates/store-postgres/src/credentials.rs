//! The `AccountStore` contract: source accounts, credential pairs and confirmation codes.

use async_trait::async_trait;
use jiff::Timestamp;
use sqlx::postgres::PgRow;

use feedbridge_store::{
    AccountStore, ConfirmationCode, Connection, ConnectionId, Credential, Effects, SourceAccount,
    SourceAccountId, StoreResult,
};

use crate::accounts::{delete_account, insert_account, update_account};
use crate::companies::update_connection_on;
use crate::effects;
use crate::rows::{backend, get, get_opt_ts, get_ts, parse, ts};
use crate::PgStore;

const CREDENTIAL_COLUMNS: &str =
    "id, connection_id, username, password_mac, created, paired, revoked";

#[async_trait]
impl AccountStore for PgStore {
    async fn insert_source_accounts(
        &self,
        accounts: &[SourceAccount],
    ) -> StoreResult<Vec<StoreResult<()>>> {
        let accounts = accounts.to_vec();
        self.write(move |c| {
            Box::pin(async move {
                let mut results = Vec::with_capacity(accounts.len());
                for account in &accounts {
                    results.push(insert_alone(c, account).await?);
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
        self.select_accounts(connection).await
    }

    async fn get_source_account(
        &self,
        connection: ConnectionId,
        id: &SourceAccountId,
    ) -> StoreResult<SourceAccount> {
        self.select_account(connection, id).await
    }

    async fn update_source_accounts(
        &self,
        accounts: &[SourceAccount],
        connection: Option<&Connection>,
        effects: Effects,
    ) -> StoreResult<()> {
        let (accounts, connection) = (accounts.to_vec(), connection.cloned());
        self.write(move |c| {
            Box::pin(async move {
                for account in &accounts {
                    update_account(c, account).await?;
                }
                if let Some(conn) = &connection {
                    update_connection_on(c, conn).await?;
                }
                effects::write(c, &effects).await
            })
        })
        .await
    }

    async fn delete_source_account(
        &self,
        connection: ConnectionId,
        id: &SourceAccountId,
    ) -> StoreResult<()> {
        let id = id.clone();
        self.write(move |c| Box::pin(async move { delete_account(c, connection, &id).await }))
            .await
    }

    async fn insert_credential(
        &self,
        credential: &Credential,
        effects: Effects,
    ) -> StoreResult<()> {
        let cred = credential.clone();
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO credentials \
                         (id, connection_id, username, password_mac, created, paired, revoked) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(cred.id.to_string())
                .bind(cred.connection_id.to_string())
                .bind(&cred.username)
                .bind(&cred.password_mac)
                .bind(ts(cred.created))
                .bind(cred.paired.map(ts))
                .bind(cred.revoked.map(ts))
                .execute(&mut *c)
                .await
                .map_err(backend)?;
                effects::write(c, &effects).await
            })
        })
        .await
    }

    async fn list_credentials(&self, connection: ConnectionId) -> StoreResult<Vec<Credential>> {
        let sql = format!(
            "SELECT {CREDENTIAL_COLUMNS} FROM credentials WHERE connection_id = $1 \
             ORDER BY created, seq"
        );
        let rows = sqlx::query(&sql)
            .bind(connection.to_string())
            .fetch_all(self.read())
            .await
            .map_err(backend)?;
        rows.iter().map(credential).collect()
    }

    async fn find_credential(&self, username: &str) -> StoreResult<Credential> {
        let sql = format!("SELECT {CREDENTIAL_COLUMNS} FROM credentials WHERE username = $1");
        let row = sqlx::query(&sql)
            .bind(username)
            .fetch_one(self.read())
            .await
            .map_err(backend)?;
        credential(&row)
    }

    async fn revoke_credentials(
        &self,
        connection: ConnectionId,
        at: Timestamp,
        accounts: &[SourceAccount],
        updated: Option<&Connection>,
        effects: Effects,
    ) -> StoreResult<u64> {
        let (accounts, updated) = (accounts.to_vec(), updated.cloned());
        self.write(move |c| {
            Box::pin(async move {
                let done = sqlx::query(
                    "UPDATE credentials SET revoked = $2 \
                         WHERE connection_id = $1 AND revoked IS NULL",
                )
                .bind(connection.to_string())
                .bind(ts(at))
                .execute(&mut *c)
                .await
                .map_err(backend)?;
                for account in &accounts {
                    update_account(c, account).await?;
                }
                if let Some(conn) = &updated {
                    update_connection_on(c, conn).await?;
                }
                effects::write(c, &effects).await?;
                Ok(done.rows_affected())
            })
        })
        .await
    }

    async fn put_confirmation_code(&self, code: &ConfirmationCode) -> StoreResult<()> {
        let code = code.clone();
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO confirmation_codes (connection_id, code, expires, failures) \
                         VALUES ($1, $2, $3, $4) ON CONFLICT (connection_id) DO UPDATE SET \
                         code = excluded.code, expires = excluded.expires, \
                         failures = excluded.failures",
                )
                .bind(code.connection_id.to_string())
                .bind(&code.code)
                .bind(ts(code.expires))
                .bind(i64::from(code.failures))
                .execute(&mut *c)
                .await
                .map_err(backend)
                .map(|_| ())
            })
        })
        .await
    }

    async fn get_confirmation_code(
        &self,
        connection: ConnectionId,
    ) -> StoreResult<ConfirmationCode> {
        let row = sqlx::query(
            "SELECT connection_id, code, expires, failures FROM confirmation_codes \
             WHERE connection_id = $1",
        )
        .bind(connection.to_string())
        .fetch_one(self.read())
        .await
        .map_err(backend)?;
        let failures: i64 = get(&row, "failures")?;
        Ok(ConfirmationCode {
            connection_id: parse(&row, "connection_id")?,
            code: get(&row, "code")?,
            expires: get_ts(&row, "expires")?,
            failures: u32::try_from(failures).unwrap_or(u32::MAX),
        })
    }
}

/// Inserts one account inside a savepoint, so a refused account leaves the others standing
/// (PostgreSQL aborts the whole transaction on a failed statement otherwise).
async fn insert_alone(
    c: &mut sqlx::PgConnection,
    account: &SourceAccount,
) -> StoreResult<StoreResult<()>> {
    let mut savepoint = sqlx::Connection::begin(&mut *c).await.map_err(backend)?;
    let outcome = insert_account(&mut savepoint, account).await;
    if outcome.is_ok() {
        savepoint.commit().await.map_err(backend)?;
    } else {
        savepoint.rollback().await.map_err(backend)?;
    }
    Ok(outcome)
}

fn credential(row: &PgRow) -> StoreResult<Credential> {
    Ok(Credential {
        id: parse(row, "id")?,
        connection_id: parse(row, "connection_id")?,
        username: get(row, "username")?,
        password_mac: get(row, "password_mac")?,
        created: get_ts(row, "created")?,
        paired: get_opt_ts(row, "paired")?,
        revoked: get_opt_ts(row, "revoked")?,
    })
}
