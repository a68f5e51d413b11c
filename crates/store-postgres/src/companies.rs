//! Companies and their connections.

use async_trait::async_trait;
use sqlx::postgres::PgRow;

use feedbridge_store::{
    ClientId, Company, CompanyId, CompanyStore, Connection, ConnectionId, ConnectionStatus,
    Effects, StoreError, StoreResult,
};

use crate::effects;
use crate::rows::{backend, corrupt, expect_rows, get, get_opt_ts, get_ts, opt_ts, parse, ts};
use crate::PgStore;

const COMPANY_COLUMNS: &str = "id, client_id, name, description, tags, created";
const CONNECTION_COLUMNS: &str = "id, company_id, status, created, last_sync, link_generation";

#[async_trait]
impl CompanyStore for PgStore {
    async fn insert_company(&self, company: &Company, effects: Effects) -> StoreResult<()> {
        let company = company.clone();
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO companies (id, client_id, name, description, tags, created) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(company.id.to_string())
                .bind(company.client_id.to_string())
                .bind(&company.name)
                .bind(&company.description)
                .bind(tags_json(&company)?)
                .bind(ts(company.created))
                .execute(&mut *c)
                .await
                .map_err(backend)?;
                effects::write(c, &effects).await
            })
        })
        .await
    }

    async fn list_companies(&self, client: ClientId) -> StoreResult<Vec<Company>> {
        let sql = format!(
            "SELECT {COMPANY_COLUMNS} FROM companies WHERE client_id = $1 ORDER BY created, seq"
        );
        let rows = sqlx::query(&sql)
            .bind(client.to_string())
            .fetch_all(self.read())
            .await
            .map_err(backend)?;
        rows.iter().map(company).collect()
    }

    async fn get_company(&self, client: ClientId, id: CompanyId) -> StoreResult<Company> {
        let sql =
            format!("SELECT {COMPANY_COLUMNS} FROM companies WHERE id = $1 AND client_id = $2");
        let row = sqlx::query(&sql)
            .bind(id.to_string())
            .bind(client.to_string())
            .fetch_one(self.read())
            .await
            .map_err(backend)?;
        company(&row)
    }

    async fn find_company(&self, id: CompanyId) -> StoreResult<Company> {
        let sql = format!("SELECT {COMPANY_COLUMNS} FROM companies WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id.to_string())
            .fetch_one(self.read())
            .await
            .map_err(backend)?;
        company(&row)
    }

    async fn update_company(&self, company: &Company) -> StoreResult<()> {
        let company = company.clone();
        self.write(move |c| {
            Box::pin(async move {
                let done = sqlx::query(
                    "UPDATE companies SET name = $3, description = $4, tags = $5 \
                         WHERE id = $1 AND client_id = $2",
                )
                .bind(company.id.to_string())
                .bind(company.client_id.to_string())
                .bind(&company.name)
                .bind(&company.description)
                .bind(tags_json(&company)?)
                .execute(&mut *c)
                .await
                .map_err(backend)?;
                expect_rows(done)
            })
        })
        .await
    }

    async fn delete_company(
        &self,
        client: ClientId,
        id: CompanyId,
        effects: Effects,
    ) -> StoreResult<()> {
        self.write(move |c| {
            Box::pin(async move {
                let done = sqlx::query("DELETE FROM companies WHERE id = $1 AND client_id = $2")
                    .bind(id.to_string())
                    .bind(client.to_string())
                    .execute(&mut *c)
                    .await
                    .map_err(backend)?;
                expect_rows(done)?;
                effects::write(c, &effects).await
            })
        })
        .await
    }

    async fn insert_connection(
        &self,
        connection: &Connection,
        effects: Effects,
    ) -> StoreResult<()> {
        let conn = connection.clone();
        self.write(move |c| {
            Box::pin(async move {
                sqlx::query(
                    "INSERT INTO connections \
                         (id, company_id, status, created, last_sync, link_generation) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(conn.id.to_string())
                .bind(conn.company_id.to_string())
                .bind(conn.status.as_str())
                .bind(ts(conn.created))
                .bind(opt_ts(conn.last_sync))
                .bind(conn.link_generation)
                .execute(&mut *c)
                .await
                .map_err(backend)?;
                effects::write(c, &effects).await
            })
        })
        .await
    }

    async fn list_connections(&self, company: CompanyId) -> StoreResult<Vec<Connection>> {
        let sql = format!(
            "SELECT {CONNECTION_COLUMNS} FROM connections WHERE company_id = $1 \
             ORDER BY created, seq"
        );
        let rows = sqlx::query(&sql)
            .bind(company.to_string())
            .fetch_all(self.read())
            .await
            .map_err(backend)?;
        rows.iter().map(connection).collect()
    }

    async fn get_connection(
        &self,
        company: CompanyId,
        id: ConnectionId,
    ) -> StoreResult<Connection> {
        let sql = format!(
            "SELECT {CONNECTION_COLUMNS} FROM connections WHERE id = $1 AND company_id = $2"
        );
        let row = sqlx::query(&sql)
            .bind(id.to_string())
            .bind(company.to_string())
            .fetch_one(self.read())
            .await
            .map_err(backend)?;
        connection(&row)
    }

    async fn find_connection(&self, id: ConnectionId) -> StoreResult<Connection> {
        let sql = format!("SELECT {CONNECTION_COLUMNS} FROM connections WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id.to_string())
            .fetch_one(self.read())
            .await
            .map_err(backend)?;
        connection(&row)
    }

    async fn update_connection(
        &self,
        connection: &Connection,
        effects: Effects,
    ) -> StoreResult<()> {
        let conn = connection.clone();
        self.write(move |c| {
            Box::pin(async move {
                update_connection_on(c, &conn).await?;
                effects::write(c, &effects).await
            })
        })
        .await
    }

    async fn delete_connection(
        &self,
        company: CompanyId,
        id: ConnectionId,
        effects: Effects,
    ) -> StoreResult<()> {
        self.write(move |c| {
            Box::pin(async move {
                let done = sqlx::query("DELETE FROM connections WHERE id = $1 AND company_id = $2")
                    .bind(id.to_string())
                    .bind(company.to_string())
                    .execute(&mut *c)
                    .await
                    .map_err(backend)?;
                expect_rows(done)?;
                effects::write(c, &effects).await
            })
        })
        .await
    }
}

/// Writes a connection's mutable fields; shared by every change that moves its status.
pub(crate) async fn update_connection_on(
    c: &mut sqlx::PgConnection,
    conn: &Connection,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE connections SET status = $2, last_sync = $3, link_generation = $4 WHERE id = $1",
    )
    .bind(conn.id.to_string())
    .bind(conn.status.as_str())
    .bind(opt_ts(conn.last_sync))
    .bind(conn.link_generation)
    .execute(&mut *c)
    .await
    .map_err(backend)?;
    expect_rows(done)
}

fn tags_json(company: &Company) -> StoreResult<String> {
    serde_json::to_string(&company.tags).map_err(|e| StoreError::Backend(e.to_string()))
}

fn company(row: &PgRow) -> StoreResult<Company> {
    let tags: String = get(row, "tags")?;
    Ok(Company {
        id: parse(row, "id")?,
        client_id: parse(row, "client_id")?,
        name: get(row, "name")?,
        description: get(row, "description")?,
        tags: serde_json::from_str(&tags).map_err(corrupt)?,
        created: get_ts(row, "created")?,
    })
}

fn connection(row: &PgRow) -> StoreResult<Connection> {
    let status: String = get(row, "status")?;
    Ok(Connection {
        id: parse(row, "id")?,
        company_id: parse(row, "company_id")?,
        status: ConnectionStatus::parse(&status).ok_or_else(|| corrupt(status))?,
        created: get_ts(row, "created")?,
        last_sync: get_opt_ts(row, "last_sync")?,
        link_generation: get(row, "link_generation")?,
    })
}
