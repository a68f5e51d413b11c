//! The OFX feed's rules: who may sign on (throttling, the authentication prompt, access keys),
//! how a statement download links an account, what a statement contains, and when an idle
//! account is disconnected. Nothing here knows the OFX wire format.

pub mod linking;
pub mod pairing;
pub mod signon;
pub mod statements;
pub mod sweep;
pub mod throttle;

use feedbridge_store::{AuditEntry, ConnectionId};

use super::Services;

impl Services {
    /// An audit row about a connection known only by id.
    pub(crate) fn feed_audit(
        &self,
        connection: Option<ConnectionId>,
        action: &str,
        detail: String,
    ) -> AuditEntry {
        AuditEntry {
            at: self.now(),
            connection_id: connection,
            action: action.to_owned(),
            detail,
        }
    }
}
