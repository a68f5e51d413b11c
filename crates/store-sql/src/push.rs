//! Push operations.

use async_trait::async_trait;

use feedbridge_store::{
    CompanyId, Effects, PushOperation, PushOperationKey, PushStatus, PushStore, StoreResult,
};

use crate::backend::Backend;
use crate::row::{json, Row};
use crate::stmt::Stmt;
use crate::store::{Change, SqlStore};

macro_rules! operation_columns {
    () => {
        "key, company_id, connection_id, account_id, requested, completed, status, status_code, \
         error_message, errors, warnings, timeout_in_minutes, changes"
    };
}

#[async_trait]
impl<B: Backend> PushStore for SqlStore<B> {
    async fn insert_push_operation(
        &self,
        operation: &PushOperation,
        effects: Effects,
    ) -> StoreResult<()> {
        let insert = insert_operation(operation)?;
        self.write(Change::new().then(insert).effects(effects))
            .await
    }

    async fn list_push_operations(&self, company: CompanyId) -> StoreResult<Vec<PushOperation>> {
        let select = Stmt::new(concat!(
            "SELECT ",
            operation_columns!(),
            " FROM push_operations WHERE company_id = $1 ORDER BY requested, rowid"
        ))
        .text(company);
        self.read_all(select, operation).await
    }

    async fn get_push_operation(
        &self,
        company: CompanyId,
        key: PushOperationKey,
    ) -> StoreResult<PushOperation> {
        let select = Stmt::new(concat!(
            "SELECT ",
            operation_columns!(),
            " FROM push_operations WHERE key = $1 AND company_id = $2"
        ))
        .text(key)
        .text(company);
        self.read_one(select, operation).await
    }
}

pub(crate) fn insert_operation(op: &PushOperation) -> StoreResult<Stmt> {
    Ok(Stmt::new(concat!(
        "INSERT INTO push_operations (",
        operation_columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    ))
    .text(op.key)
    .text(op.company_id)
    .text(op.connection_id)
    .text(&op.account_id)
    .ts(op.requested)
    .opt_ts(op.completed)
    .text(op.status)
    .int(i64::from(op.status_code))
    .opt_text(op.error_message.as_ref())
    .text(json(&op.errors)?)
    .text(json(&op.warnings)?)
    .opt_int(op.timeout_in_minutes.map(i64::from))
    .text(json(&op.changes)?))
}

fn operation(row: Row<'_>) -> StoreResult<PushOperation> {
    Ok(PushOperation {
        key: row.parse("key")?,
        company_id: row.parse("company_id")?,
        connection_id: row.parse("connection_id")?,
        account_id: row.account_id("account_id")?,
        requested: row.ts("requested")?,
        completed: row.opt_ts("completed")?,
        status: row.spelled("status", PushStatus::parse)?,
        status_code: row.number("status_code")?,
        error_message: row.opt_string("error_message")?,
        errors: row.json("errors")?,
        warnings: row.json("warnings")?,
        timeout_in_minutes: row.opt_number("timeout_in_minutes")?,
        changes: row.json("changes")?,
    })
}
