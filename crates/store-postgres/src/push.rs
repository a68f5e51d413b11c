//! Push operations.

use async_trait::async_trait;
use sqlx::postgres::PgRow;
use sqlx::PgConnection;

use feedbridge_store::{
    CompanyId, Effects, PushOperation, PushOperationKey, PushStatus, PushStore, SourceAccountId,
    StoreResult,
};

use crate::effects;
use crate::rows::{backend, corrupt, get, get_opt_ts, get_ts, opt_ts, parse, ts};
use crate::PgStore;

const COLUMNS: &str = "key, company_id, connection_id, account_id, requested, completed, status, \
    status_code, error_message, errors, warnings, timeout_in_minutes, changes";

#[async_trait]
impl PushStore for PgStore {
    async fn insert_push_operation(
        &self,
        operation: &PushOperation,
        effects: Effects,
    ) -> StoreResult<()> {
        let op = operation.clone();
        self.write(move |c| {
            Box::pin(async move {
                insert_operation(c, &op).await?;
                effects::write(c, &effects).await
            })
        })
        .await
    }

    async fn list_push_operations(&self, company: CompanyId) -> StoreResult<Vec<PushOperation>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM push_operations WHERE company_id = $1 ORDER BY requested, seq"
        );
        let rows = sqlx::query(&sql)
            .bind(company.to_string())
            .fetch_all(self.read())
            .await
            .map_err(backend)?;
        rows.iter().map(operation).collect()
    }

    async fn get_push_operation(
        &self,
        company: CompanyId,
        key: PushOperationKey,
    ) -> StoreResult<PushOperation> {
        let sql =
            format!("SELECT {COLUMNS} FROM push_operations WHERE key = $1 AND company_id = $2");
        let row = sqlx::query(&sql)
            .bind(key.to_string())
            .bind(company.to_string())
            .fetch_one(self.read())
            .await
            .map_err(backend)?;
        operation(&row)
    }
}

pub(crate) async fn insert_operation(c: &mut PgConnection, op: &PushOperation) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO push_operations ({COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    );
    sqlx::query(&sql)
        .bind(op.key.to_string())
        .bind(op.company_id.to_string())
        .bind(op.connection_id.to_string())
        .bind(op.account_id.as_str())
        .bind(ts(op.requested))
        .bind(opt_ts(op.completed))
        .bind(op.status.as_str())
        .bind(i64::from(op.status_code))
        .bind(&op.error_message)
        .bind(json(&op.errors)?)
        .bind(json(&op.warnings)?)
        .bind(op.timeout_in_minutes)
        .bind(json(&op.changes)?)
        .execute(&mut *c)
        .await
        .map_err(backend)
        .map(|_| ())
}

fn json<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(corrupt)
}

fn from_json<T: serde::de::DeserializeOwned>(row: &PgRow, col: &str) -> StoreResult<T> {
    let text: String = get(row, col)?;
    serde_json::from_str(&text).map_err(corrupt)
}

fn operation(row: &PgRow) -> StoreResult<PushOperation> {
    let status: String = get(row, "status")?;
    let account: String = get(row, "account_id")?;
    let code: i64 = get(row, "status_code")?;
    Ok(PushOperation {
        key: parse(row, "key")?,
        company_id: parse(row, "company_id")?,
        connection_id: parse(row, "connection_id")?,
        account_id: SourceAccountId::parse(&account).map_err(corrupt)?,
        requested: get_ts(row, "requested")?,
        completed: get_opt_ts(row, "completed")?,
        status: PushStatus::parse(&status).ok_or_else(|| corrupt(status))?,
        status_code: u16::try_from(code).map_err(corrupt)?,
        error_message: get(row, "error_message")?,
        errors: from_json(row, "errors")?,
        warnings: from_json(row, "warnings")?,
        timeout_in_minutes: get(row, "timeout_in_minutes")?,
        changes: from_json(row, "changes")?,
    })
}
