//! Reading the outbox: the events every change wrote alongside itself, in the order written.
//!
//! Webhook delivery reads the outbox through this trait, and the contract suite uses it to check
//! that an event exists exactly when its change was committed.

use async_trait::async_trait;

use crate::error::StoreResult;
use crate::model::NewEvent;

/// An outbox event and its position in the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    /// Grows with every event written; later writes get larger numbers.
    pub seq: i64,
    pub event: NewEvent,
}

/// Reads of the transactional outbox.
#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Up to `limit` events with a position after `after` (all when `None`), in position order.
    ///
    /// Positions are handed out when an event is written, not when its transaction commits, so
    /// on a shared database a slow transaction may commit an event behind one already read.
    async fn outbox_events(&self, after: Option<i64>, limit: u32) -> StoreResult<Vec<OutboxEntry>>;
}
