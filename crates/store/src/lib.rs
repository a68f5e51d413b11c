//! The persistence contract of Feedbridge.
//!
//! This crate knows nothing of SQL: it names the records ([`model`]) and the operations
//! ([`traits`]) that the SQLite and PostgreSQL backends implement, so the domain and HTTP layers
//! are written once and a single contract suite can hold both backends to the same behaviour.

pub mod error;
pub mod ids;
pub mod model;
pub mod outbox;
pub mod traits;

pub use error::{StoreError, StoreResult};
pub use ids::*;
pub use model::*;
pub use outbox::{OutboxEntry, OutboxStore};
pub use traits::*;
