//! Connections: creation for the QuickBooks Online Bank Feeds platform key, unlinking and
//! deletion, each with its webhook event.

use feedbridge_store::{
    ClientId, Company, CompanyId, Connection, ConnectionId, ConnectionStatus, Effects,
};

use super::events::EventType;
use super::status::{self, ConnectionCause};
use super::{DomainError, DomainResult, OrNotFound, Services};
use crate::wire::companies::Connection as ConnectionView;

/// The only platform a connection can be made for: QuickBooks Online Bank Feeds.
pub const PLATFORM_KEY: &str = "hcws";

/// What a lookup of a connection that is not the client's answers, for any id sent.
pub fn no_connection(id: impl std::fmt::Display) -> String {
    format!("Data connection {id} not found")
}

impl Services {
    /// The connection as the client API and webhook payloads show it, with a fresh `linkUrl`.
    pub fn connection_view(&self, conn: &Connection) -> ConnectionView {
        let link = self.link_url(conn.company_id, conn);
        ConnectionView::new(conn, link, PLATFORM_KEY)
    }

    pub async fn create_connection(
        &self,
        client: ClientId,
        company: CompanyId,
        platform_key: Option<&str>,
    ) -> DomainResult<(Company, Connection)> {
        let company = self.company(client, company).await?;
        match platform_key {
            Some(PLATFORM_KEY) => {}
            Some(other) => {
                return Err(DomainError::Invalid(format!(
                    "Unsupported platformKey {other:?}: this server provides QuickBooks Online Bank Feeds (\"hcws\")."
                )))
            }
            None => return Err(DomainError::Invalid("platformKey is required.".into())),
        }
        let conn = Connection {
            id: ConnectionId::new(),
            company_id: company.id,
            status: ConnectionStatus::PendingAuth,
            created: self.now(),
            last_sync: None,
            link_generation: 0,
        };
        let effects = Effects::none().event(self.connection_event(
            &company,
            &conn,
            EventType::ConnectionCreated,
        ));
        self.store.insert_connection(&conn, effects).await?;
        Ok((company, conn))
    }

    pub async fn list_connections(
        &self,
        client: ClientId,
        company: CompanyId,
    ) -> DomainResult<Vec<Connection>> {
        let company = self.company(client, company).await?;
        Ok(self.store.list_connections(company.id).await?)
    }

    /// A connection of one of the client's companies.
    pub async fn connection(
        &self,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
    ) -> DomainResult<(Company, Connection)> {
        let company = self.company(client, company).await?;
        let conn = self
            .store
            .get_connection(company.id, id)
            .await
            .or_not_found(|| no_connection(id))?;
        Ok((company, conn))
    }

    /// De-authorises the connection: every credential is revoked, connected accounts stop, and
    /// every outstanding link stops working. The connection and its data stay.
    pub async fn unlink_connection(
        &self,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
        status: Option<&str>,
    ) -> DomainResult<Connection> {
        if status != Some(ConnectionStatus::Unlinked.as_str()) {
            return Err(DomainError::Invalid(
                "The only change allowed is {\"status\": \"Unlinked\"}.".into(),
            ));
        }
        let (company, conn) = self.connection(client, company, id).await?;
        let mut unlinked = self
            .revoke_all(&company, &conn, "unlinked by the institution")
            .await?;
        unlinked.link_generation += 1;
        let mut effects = Effects::none();
        if status::move_connection(&mut unlinked, ConnectionCause::UnlinkedByInstitution) {
            effects = effects.event(self.connection_event(
                &company,
                &unlinked,
                EventType::ConnectionDisconnected,
            ));
        }
        self.store.update_connection(&unlinked, effects).await?;
        Ok(unlinked)
    }

    pub async fn delete_connection(
        &self,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
    ) -> DomainResult<()> {
        let (company, conn) = self.connection(client, company, id).await?;
        let effects = Effects::none().event(self.connection_event(
            &company,
            &conn,
            EventType::ConnectionDeleted,
        ));
        self.store
            .delete_connection(company.id, id, effects)
            .await
            .or_not_found(|| no_connection(id))
    }
}
