//! What the operators' probes and metrics read: whether the database takes writes, and how many
//! webhook deliveries wait.

use super::{DomainResult, Services};

impl Services {
    /// The database answers, is migrated and takes a write.
    pub async fn ready(&self) -> DomainResult<()> {
        Ok(self.store.ready().await?)
    }

    /// Deliveries still to be attempted, across every client (the `/metrics` backlog).
    pub async fn pending_deliveries(&self) -> DomainResult<u64> {
        Ok(self.store.pending_deliveries().await?)
    }
}
