//! The records Feedbridge keeps, in domain language. Both backends store and return exactly these.

use std::collections::BTreeMap;

use jiff::civil::{Date, DateTime};
use jiff::Timestamp;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ids::{
    ApiKeyId, ClientId, CompanyId, ConnectionId, CredentialId, EventId, PushOperationKey,
    SourceAccountId,
};

/// Declares a closed set of wire names with parsing and printing in one place.
macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The exact text used on the wire and in storage.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            /// Parses the exact wire text.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some(Self::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_enum!(
    /// Codat's connection status.
    ConnectionStatus {
        PendingAuth => "PendingAuth",
        Linked => "Linked",
        Unlinked => "Unlinked",
        Deauthorized => "Deauthorized",
    }
);

wire_enum!(
    /// Codat's source account status.
    AccountStatus {
        Pending => "pending",
        Connecting => "connecting",
        Connected => "connected",
        Disconnected => "disconnected",
        Unknown => "unknown",
    }
);

wire_enum!(
    /// Codat's push operation status.
    PushStatus {
        Pending => "Pending",
        Success => "Success",
        Failed => "Failed",
        TimedOut => "TimedOut",
    }
);

wire_enum!(
    /// Which request shape created a source account; responses echo the same shape.
    AccountShape {
        V1 => "v1",
        V2 => "v2",
    }
);

/// A tenant of the client API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub id: ClientId,
    pub name: String,
    pub created: Timestamp,
}

/// An API key's public facts; the key itself is kept only as a keyed hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub id: ApiKeyId,
    pub client_id: ClientId,
    pub name: String,
    pub created: Timestamp,
    pub revoked: Option<Timestamp>,
}

/// An SMB company created by a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Company {
    pub id: CompanyId,
    pub client_id: ClientId,
    pub name: String,
    pub description: Option<String>,
    pub tags: BTreeMap<String, String>,
    pub created: Timestamp,
}

/// A QuickBooks Online Bank Feeds connection of a company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    pub id: ConnectionId,
    pub company_id: CompanyId,
    pub status: ConnectionStatus,
    pub created: Timestamp,
    pub last_sync: Option<Timestamp>,
    /// Bumped whenever every outstanding link must stop working (unlink); links carry it.
    pub link_generation: i64,
}

/// A bank account the institution offers for feeding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceAccount {
    pub connection_id: ConnectionId,
    pub id: SourceAccountId,
    pub shape: AccountShape,
    pub account_name: Option<String>,
    pub account_type: Option<String>,
    pub account_number: Option<String>,
    pub sort_code: Option<String>,
    pub currency: Option<String>,
    pub balance: Option<Decimal>,
    /// v2 `routingInfo`, kept as sent.
    pub routing_info: Option<serde_json::Value>,
    /// v2 `accountInfo`, kept as sent.
    pub account_info: Option<serde_json::Value>,
    pub modified_date: Option<String>,
    pub status: AccountStatus,
    pub feed_start_date: Option<Date>,
    /// When the accounting platform last downloaded a statement of this account.
    pub last_pulled: Option<Timestamp>,
    /// The credential pair through which the account was connected.
    pub linked_credential: Option<CredentialId>,
    pub created: Timestamp,
    /// The feed's high-water mark: every transaction stored from now on is made available
    /// after it. Only the store moves it forward (a push, a recorded pull); updates of this
    /// record never write it back, so it cannot go backwards.
    pub feed_mark: Timestamp,
}

/// One generated credential pair; the password is kept only as a MAC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub id: CredentialId,
    pub connection_id: ConnectionId,
    pub username: String,
    pub password_mac: Vec<u8>,
    pub created: Timestamp,
    /// Set once the authentication prompt was answered (or skipped when it is off).
    pub paired: Option<Timestamp>,
    pub revoked: Option<Timestamp>,
    /// Set when an FDX consent consumed the pair: it signs in nowhere else after that.
    pub consumed: Option<Timestamp>,
}

/// The six-digit confirmation code of a connection's authentication prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmationCode {
    pub connection_id: ConnectionId,
    pub code: String,
    pub expires: Timestamp,
    pub failures: u32,
}

/// A bank transaction as stored for one source account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankTransaction {
    pub id: String,
    /// The local cleared-on date and time; any offset sent by the client is dropped.
    pub date: DateTime,
    pub description: String,
    pub amount: Decimal,
    pub balance: Option<Decimal>,
    pub transaction_type: String,
    pub counterparty: Option<String>,
    pub reference: Option<String>,
}

/// One validation finding of a push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationItem {
    pub item_id: Option<String>,
    pub message: String,
    pub validator_name: String,
}

/// A create-bank-transactions operation and its outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct PushOperation {
    pub key: PushOperationKey,
    pub company_id: CompanyId,
    pub connection_id: ConnectionId,
    pub account_id: SourceAccountId,
    pub requested: Timestamp,
    pub completed: Option<Timestamp>,
    pub status: PushStatus,
    pub status_code: u16,
    pub error_message: Option<String>,
    pub errors: Vec<ValidationItem>,
    pub warnings: Vec<ValidationItem>,
    pub timeout_in_minutes: Option<i32>,
    /// Ids of the transactions the operation stored.
    pub changes: Vec<String>,
}

/// An event written to the outbox in the same transaction as the change it describes.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub id: EventId,
    pub client_id: ClientId,
    pub event_type: String,
    pub generated: Timestamp,
    /// The whole Codat envelope, ready to send.
    pub body: serde_json::Value,
}

/// A security-relevant action, kept for the institution's auditors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: Timestamp,
    pub connection_id: Option<ConnectionId>,
    pub action: String,
    pub detail: String,
}

/// What a state change writes besides itself: outbox events and audit rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Effects {
    pub events: Vec<NewEvent>,
    pub audit: Vec<AuditEntry>,
}

impl Effects {
    pub fn none() -> Self {
        Self::default()
    }

    pub fn event(mut self, event: NewEvent) -> Self {
        self.events.push(event);
        self
    }

    pub fn audit(mut self, entry: AuditEntry) -> Self {
        self.audit.push(entry);
        self
    }

    pub fn merge(mut self, other: Effects) -> Self {
        self.events.extend(other.events);
        self.audit.extend(other.audit);
        self
    }
}

/// A stored first answer to an `Idempotency-Key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

/// The outcome of claiming an `Idempotency-Key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyClaim {
    /// First use: the caller runs the request and then completes or releases the key.
    Claimed,
    /// The first request with this key is still running.
    InFlight,
    /// The key was used with a different request.
    Mismatch,
    /// The key was used with this request: replay the answer.
    Done(StoredResponse),
}
