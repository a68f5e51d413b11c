//! Builds the outbox events of state changes, in Codat's envelope
//! `{id, eventType, generatedDate, payload}`, ready for the webhook worker to send as they are.

use serde_json::{json, Value};

use feedbridge_store::{AuditEntry, Company, Connection, EventId, NewEvent, SourceAccount};

use super::Services;
use crate::wire::accounts::account_json;
use crate::wire::companies::CompanyReference;
use crate::wire::datetime;

pub const CONNECTION_CREATED: &str = "connection.created";
pub const CONNECTION_CONNECTED: &str = "connection.connected";
pub const CONNECTION_DISCONNECTED: &str = "connection.disconnected";
pub const CONNECTION_DELETED: &str = "connection.deleted";
pub const ACCOUNT_CONNECTED: &str = "bankFeeds.sourceAccount.connected";
pub const ACCOUNT_DISCONNECTED: &str = "bankFeeds.sourceAccount.disconnected";
pub const WRITE_SUCCESSFUL: &str = "bankTransactions.write.successful";
pub const WRITE_UNSUCCESSFUL: &str = "bankTransactions.write.unsuccessful";
pub const CREDENTIALS_GENERATED: &str = "bankFeeds.credentials.generated";
pub const CREDENTIALS_REVOKED: &str = "bankFeeds.credentials.revoked";

/// Every event type Feedbridge emits.
pub const ALL_EVENT_TYPES: [&str; 10] = [
    CONNECTION_CREATED,
    CONNECTION_CONNECTED,
    CONNECTION_DISCONNECTED,
    CONNECTION_DELETED,
    ACCOUNT_CONNECTED,
    ACCOUNT_DISCONNECTED,
    WRITE_SUCCESSFUL,
    WRITE_UNSUCCESSFUL,
    CREDENTIALS_GENERATED,
    CREDENTIALS_REVOKED,
];

impl Services {
    /// An event of `company`'s client with the given payload.
    pub fn event(&self, company: &Company, event_type: &str, payload: Value) -> NewEvent {
        let id = EventId::new();
        let generated = self.now();
        NewEvent {
            id,
            client_id: company.client_id,
            event_type: event_type.to_owned(),
            generated,
            body: json!({
                "id": id,
                "eventType": event_type,
                "generatedDate": datetime(generated),
                "payload": payload,
            }),
        }
    }

    pub fn reference(&self, company: &Company) -> CompanyReference {
        CompanyReference::new(company, self.company_redirect(company.id))
    }

    /// A `connection.*` event carrying the connection as the API shows it.
    pub fn connection_event(&self, company: &Company, conn: &Connection, kind: &str) -> NewEvent {
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
        kind: &str,
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
        kind: &str,
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
