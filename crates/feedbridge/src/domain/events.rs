//! Builds the outbox events of state changes, in Codat's envelope
//! `{id, eventType, generatedDate, payload}`, ready for the webhook worker to send as they are.

use serde_json::{json, Value};

use feedbridge_store::{AuditEntry, Company, Connection, EventId, NewEvent, SourceAccount};

use super::Services;
use crate::wire::accounts::account_json;
use crate::wire::companies::CompanyReference;
use crate::wire::datetime;

/// Every event type Feedbridge emits; a type no variant names cannot be emitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    ConnectionCreated,
    ConnectionConnected,
    ConnectionDisconnected,
    ConnectionDeleted,
    AccountConnected,
    AccountDisconnected,
    WriteSuccessful,
    WriteUnsuccessful,
    CredentialsGenerated,
    CredentialsRevoked,
}

impl EventType {
    /// Every type, in the order the documentation lists them.
    pub const ALL: [Self; 10] = [
        Self::ConnectionCreated,
        Self::ConnectionConnected,
        Self::ConnectionDisconnected,
        Self::ConnectionDeleted,
        Self::AccountConnected,
        Self::AccountDisconnected,
        Self::WriteSuccessful,
        Self::WriteUnsuccessful,
        Self::CredentialsGenerated,
        Self::CredentialsRevoked,
    ];

    /// The `eventType` text on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ConnectionCreated => "connection.created",
            Self::ConnectionConnected => "connection.connected",
            Self::ConnectionDisconnected => "connection.disconnected",
            Self::ConnectionDeleted => "connection.deleted",
            Self::AccountConnected => "bankFeeds.sourceAccount.connected",
            Self::AccountDisconnected => "bankFeeds.sourceAccount.disconnected",
            Self::WriteSuccessful => "bankTransactions.write.successful",
            Self::WriteUnsuccessful => "bankTransactions.write.unsuccessful",
            Self::CredentialsGenerated => "bankFeeds.credentials.generated",
            Self::CredentialsRevoked => "bankFeeds.credentials.revoked",
        }
    }

    /// The type with this exact `eventType` text.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == text)
    }
}

impl std::fmt::Display for EventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Services {
    /// An event of `company`'s client with the given payload.
    pub fn event(&self, company: &Company, event_type: EventType, payload: Value) -> NewEvent {
        let id = EventId::new();
        let generated = self.now();
        NewEvent {
            id,
            client_id: company.client_id,
            event_type: event_type.as_str().to_owned(),
            generated,
            body: json!({
                "id": id,
                "eventType": event_type.as_str(),
                "generatedDate": datetime(generated),
                "payload": payload,
            }),
        }
    }

    pub fn reference(&self, company: &Company) -> CompanyReference {
        CompanyReference::new(company, self.company_redirect(company.id))
    }

    /// A `connection.*` event carrying the connection as the API shows it.
    pub fn connection_event(
        &self,
        company: &Company,
        conn: &Connection,
        kind: EventType,
    ) -> NewEvent {
        let payload = json!({
            "referenceCompany": self.reference(company),
            "connection": self.connection_view(conn),
        });
        self.event(company, kind, payload)
    }

    /// A `bankFeeds.sourceAccount.*` event.
    pub fn account_event(
        &self,
        company: &Company,
        account: &SourceAccount,
        kind: EventType,
    ) -> NewEvent {
        let payload = json!({
            "referenceCompany": self.reference(company),
            "companyId": company.id,
            "connectionId": account.connection_id,
            "sourceAccount": account_json(account),
        });
        self.event(company, kind, payload)
    }

    /// A `bankFeeds.credentials.*` event (Feedbridge's own; Codat has none).
    pub fn credentials_event(
        &self,
        company: &Company,
        conn: &Connection,
        kind: EventType,
        count: u64,
    ) -> NewEvent {
        let payload = json!({
            "referenceCompany": self.reference(company),
            "connectionId": conn.id,
            "credentials": count,
        });
        self.event(company, kind, payload)
    }

    pub fn audit_entry(&self, conn: &Connection, action: &str, detail: String) -> AuditEntry {
        AuditEntry {
            at: self.now(),
            connection_id: Some(conn.id),
            action: action.to_owned(),
            detail,
        }
    }
}
