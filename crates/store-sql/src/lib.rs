//! The Feedbridge store written once in SQL.
//!
//! SQLite and PostgreSQL hold the same schema (timestamps as integer microseconds, money and
//! documents as text, ids as text), so every aggregate's statements and logic live here, once,
//! against the small [`Backend`] trait. A backend crate opens its database, applies its own
//! migrations, owns its write path and spells the few statements the dialects disagree on (id
//! lists, row locks, the set-based insert); [`SqlStore`] implements the whole `Store` contract on
//! top of it.
//!
//! No statement text is ever built at run time: [`Stmt::sql`] is `'static`, and column lists are
//! joined to statements at compile time with `concat!` (see [`columns`]).

mod accounts;
mod backend;
mod bank_transactions;
pub mod columns;
mod companies;
mod consents;
mod credentials;
mod deliveries;
mod effects;
mod feed;
mod health;
mod idempotency;
mod link_sessions;
mod oauth;
mod outbox;
mod push;
mod row;
mod stmt;
mod store;
mod tenants;
mod transactions;
mod webhooks;

pub use backend::{Backend, Col, Columns};
pub use row::{json, Row};
pub use stmt::{Arg, Stmt};
pub use store::SqlStore;
