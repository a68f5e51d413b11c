//! Companies and their connections.

use async_trait::async_trait;

use feedbridge_store::{
    ClientId, Company, CompanyId, CompanyStore, Connection, ConnectionId, ConnectionStatus,
    Effects, StoreResult,
};

use crate::backend::Backend;
use crate::row::{json, Row};
use crate::stmt::Stmt;
use crate::store::{Change, SqlStore};

macro_rules! company_columns {
    () => {
        "id, client_id, name, description, tags, created"
    };
}

macro_rules! connection_columns {
    () => {
        "id, company_id, status, created, last_sync, link_generation"
    };
}

const LIST_COMPANIES: &str = concat!(
    "SELECT ",
    company_columns!(),
    " FROM companies WHERE client_id = $1 ORDER BY created, rowid"
);
const GET_COMPANY: &str = concat!(
    "SELECT ",
    company_columns!(),
    " FROM companies WHERE id = $1 AND client_id = $2"
);
const FIND_COMPANY: &str = concat!(
    "SELECT ",
    company_columns!(),
    " FROM companies WHERE id = $1"
);
const LIST_CONNECTIONS: &str = concat!(
    "SELECT ",
    connection_columns!(),
    " FROM connections WHERE company_id = $1 ORDER BY created, rowid"
);
const GET_CONNECTION: &str = concat!(
    "SELECT ",
    connection_columns!(),
    " FROM connections WHERE id = $1 AND company_id = $2"
);
const FIND_CONNECTION: &str = concat!(
    "SELECT ",
    connection_columns!(),
    " FROM connections WHERE id = $1"
);

#[async_trait]
impl<B: Backend> CompanyStore for SqlStore<B> {
    async fn insert_company(&self, company: &Company, effects: Effects) -> StoreResult<()> {
        let insert = Stmt::new(concat!(
            "INSERT INTO companies (",
            company_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6)"
        ))
        .text(company.id)
        .text(company.client_id)
        .text(&company.name)
        .opt_text(company.description.as_ref())
        .text(json(&company.tags)?)
        .ts(company.created);
        self.write(Change::new().then(insert).effects(effects))
            .await
    }

    async fn list_companies(&self, client: ClientId) -> StoreResult<Vec<Company>> {
        self.read_all(Stmt::new(LIST_COMPANIES).text(client), company)
            .await
    }

    async fn get_company(&self, client: ClientId, id: CompanyId) -> StoreResult<Company> {
        self.read_one(Stmt::new(GET_COMPANY).text(id).text(client), company)
            .await
    }

    async fn find_company(&self, id: CompanyId) -> StoreResult<Company> {
        self.read_one(Stmt::new(FIND_COMPANY).text(id), company)
            .await
    }

    async fn update_company(&self, company: &Company) -> StoreResult<()> {
        let update = Stmt::new(
            "UPDATE companies SET name = $3, description = $4, tags = $5 \
             WHERE id = $1 AND client_id = $2",
        )
        .text(company.id)
        .text(company.client_id)
        .text(&company.name)
        .opt_text(company.description.as_ref())
        .text(json(&company.tags)?);
        self.write(Change::new().changing(update)).await
    }

    async fn delete_company(
        &self,
        client: ClientId,
        id: CompanyId,
        effects: Effects,
    ) -> StoreResult<()> {
        let delete = Stmt::new("DELETE FROM companies WHERE id = $1 AND client_id = $2")
            .text(id)
            .text(client);
        self.write(Change::new().changing(delete).effects(effects))
            .await
    }

    async fn insert_connection(
        &self,
        connection: &Connection,
        effects: Effects,
    ) -> StoreResult<()> {
        let insert = Stmt::new(concat!(
            "INSERT INTO connections (",
            connection_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6)"
        ))
        .text(connection.id)
        .text(connection.company_id)
        .text(connection.status)
        .ts(connection.created)
        .opt_ts(connection.last_sync)
        .int(connection.link_generation);
        self.write(Change::new().then(insert).effects(effects))
            .await
    }

    async fn list_connections(&self, company: CompanyId) -> StoreResult<Vec<Connection>> {
        self.read_all(Stmt::new(LIST_CONNECTIONS).text(company), connection)
            .await
    }

    async fn get_connection(
        &self,
        company: CompanyId,
        id: ConnectionId,
    ) -> StoreResult<Connection> {
        let select = Stmt::new(GET_CONNECTION).text(id).text(company);
        self.read_one(select, connection).await
    }

    async fn find_connection(&self, id: ConnectionId) -> StoreResult<Connection> {
        self.read_one(Stmt::new(FIND_CONNECTION).text(id), connection)
            .await
    }

    async fn update_connection(
        &self,
        connection: &Connection,
        effects: Effects,
    ) -> StoreResult<()> {
        let update = update_connection(connection);
        self.write(Change::new().changing(update).effects(effects))
            .await
    }

    async fn delete_connection(
        &self,
        company: CompanyId,
        id: ConnectionId,
        effects: Effects,
    ) -> StoreResult<()> {
        let delete = Stmt::new("DELETE FROM connections WHERE id = $1 AND company_id = $2")
            .text(id)
            .text(company);
        self.write(Change::new().changing(delete).effects(effects))
            .await
    }
}

/// Writes a connection's mutable fields; shared by every change that moves its status.
pub(crate) fn update_connection(conn: &Connection) -> Stmt {
    Stmt::new(
        "UPDATE connections SET status = $2, last_sync = $3, link_generation = $4 WHERE id = $1",
    )
    .text(conn.id)
    .text(conn.status)
    .opt_ts(conn.last_sync)
    .int(conn.link_generation)
}

fn company(row: Row<'_>) -> StoreResult<Company> {
    Ok(Company {
        id: row.parse("id")?,
        client_id: row.parse("client_id")?,
        name: row.string("name")?,
        description: row.opt_string("description")?,
        tags: row.json("tags")?,
        created: row.ts("created")?,
    })
}

fn connection(row: Row<'_>) -> StoreResult<Connection> {
    Ok(Connection {
        id: row.parse("id")?,
        company_id: row.parse("company_id")?,
        status: row.spelled("status", ConnectionStatus::parse)?,
        created: row.ts("created")?,
        last_sync: row.opt_ts("last_sync")?,
        link_generation: row.int("link_generation")?,
    })
}
