//! Typed identifiers, so a company id can never be passed where a connection id is expected.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh random identifier.
            pub fn new() -> Self {
                Self(Uuid::new_v4())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

uuid_id!(
    /// A tenant: one institution (or one environment of it) with its own API keys.
    ClientId
);
uuid_id!(
    /// One API key of a client.
    ApiKeyId
);
uuid_id!(
    /// A company (the SMB) created by a client.
    CompanyId
);
uuid_id!(
    /// A data connection of a company to QuickBooks Online Bank Feeds.
    ConnectionId
);
uuid_id!(
    /// One generated credential pair.
    CredentialId
);
uuid_id!(
    /// A push operation (one create-bank-transactions call).
    PushOperationKey
);
uuid_id!(
    /// An event written to the outbox.
    EventId
);
uuid_id!(
    /// A webhook endpoint registered by a client.
    EndpointId
);
uuid_id!(
    /// One delivery of an event to one webhook endpoint.
    DeliveryId
);
uuid_id!(
    /// A data recipient's OAuth `client_id`.
    RecipientId
);
uuid_id!(
    /// An FDX consent (the grant behind a recipient's tokens), `fdxConsentId`.
    ConsentId
);

/// The institution's own id for a source account; unique within a connection.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SourceAccountId(String);

/// Why a source account id was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("a source account id must be 1 to 200 characters, without control characters or '/'")]
pub struct InvalidAccountId;

impl SourceAccountId {
    /// Parses a client-chosen id; the id travels in URL paths, so '/' is refused.
    pub fn parse(raw: &str) -> Result<Self, InvalidAccountId> {
        let ok = !raw.is_empty()
            && raw.chars().count() <= 200
            && !raw.chars().any(|c| c.is_control() || c == '/');
        ok.then(|| Self(raw.to_owned())).ok_or(InvalidAccountId)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SourceAccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids_refuse_slashes_and_empties() {
        assert!(SourceAccountId::parse("acc-001").is_ok());
        assert_eq!(SourceAccountId::parse(""), Err(InvalidAccountId));
        assert_eq!(SourceAccountId::parse("a/b"), Err(InvalidAccountId));
        assert_eq!(SourceAccountId::parse("a\nb"), Err(InvalidAccountId));
    }

    #[test]
    fn uuid_ids_round_trip_through_text() {
        let id = CompanyId::new();
        assert_eq!(id.to_string().parse::<CompanyId>().unwrap(), id);
        assert!("not-a-uuid".parse::<CompanyId>().is_err());
    }
}
