//! The persistence contract of Feedbridge.
//!
//! This crate knows nothing of SQL: it names the records ([`model`]) and the operations
//! ([`traits`]) that the SQLite and PostgreSQL backends implement, so the domain and HTTP layers
//! are written once and a single contract suite can hold both backends to the same behaviour.

pub mod error;
pub mod feed;
pub mod ids;
pub mod link_sessions;
pub mod model;
pub mod oauth;
pub mod outbox;
pub mod traits;
pub mod transactions;
pub mod webhooks;

pub use error::{StoreError, StoreResult};
pub use feed::*;
pub use ids::*;
pub use link_sessions::{LinkSession, LinkSessionStore};
pub use model::*;
pub use oauth::*;
pub use outbox::{OutboxEntry, OutboxStore};
pub use traits::*;
pub use transactions::*;
pub use webhooks::*;
