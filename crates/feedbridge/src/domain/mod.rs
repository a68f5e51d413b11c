//! The rules of Feedbridge, free of HTTP and SQL.
//!
//! [`Services`] holds what every rule needs (the store, the keys, the clock, the settings); each
//! submodule adds the operations of one aggregate to it. Handlers call these and map the
//! [`DomainError`] they return; nothing here knows about axum or sqlx.
//!
//! Only this module reaches the store, so the tenant scoping of every lookup ("through the
//! client's companies") is written here once and no handler can go around it.

pub mod accounts;
pub mod companies;
pub mod connections;
pub mod credentials;
pub mod events;
pub mod fdx;
pub mod feed;
#[cfg(test)]
mod fixtures;
pub mod health;
pub mod idempotency;
pub mod link_sessions;
pub mod links;
pub mod oauth;
pub mod push;
pub mod secrets;
pub mod status;
pub mod tenants;
pub mod webhooks;

use std::sync::Arc;

use jiff::tz::TimeZone;
use jiff::Timestamp;

use feedbridge_store::{Store, StoreError};

use crate::clock::Clock;
use crate::config::{Feed, Institution};
use crate::keys::Keys;

/// Settings the rules read, resolved once at start-up.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Base URL of links, without a trailing slash.
    pub public_url: String,
    pub link_ttl_seconds: i64,
    pub time_zone: TimeZone,
    pub institution: Institution,
    pub feed: Feed,
    pub webhooks: crate::config::Webhooks,
}

/// The entry point of every rule.
#[derive(Clone)]
pub struct Services {
    pub(in crate::domain) store: Arc<dyn Store>,
    pub(in crate::domain) keys: Keys,
    pub(in crate::domain) clock: Arc<dyn Clock>,
    pub settings: Arc<Settings>,
    pub metrics: Arc<crate::metrics::Metrics>,
    /// This instance's copy of the published token signing keys.
    pub signing_keys: Arc<oauth::keys::KeyCache>,
}

impl Services {
    pub fn new(
        store: Arc<dyn Store>,
        keys: Keys,
        clock: Arc<dyn Clock>,
        settings: Settings,
    ) -> Self {
        Self {
            store,
            keys,
            clock,
            settings: Arc::new(settings),
            metrics: Default::default(),
            signing_keys: Default::default(),
        }
    }

    /// The store itself, for tests and the benchmark that seed data a rule would take longer to
    /// make. Product code goes through the rules.
    #[doc(hidden)]
    pub fn store_for_tests(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The same services over another store, for tests that hold the store's concrete type.
    #[doc(hidden)]
    pub fn with_store_for_tests(self, store: Arc<dyn Store>) -> Self {
        Self { store, ..self }
    }

    /// Now, to the microsecond: the precision every record keeps, so an answer and a later
    /// read of the same record agree.
    pub fn now(&self) -> Timestamp {
        let t = self.clock.now();
        Timestamp::from_microsecond(t.as_microsecond()).unwrap_or(t)
    }

    /// Today's date where the institution is.
    pub fn today(&self) -> jiff::civil::Date {
        self.now().to_zoned(self.settings.time_zone.clone()).date()
    }
}

/// Why a rule refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// The thing does not exist or belongs to another tenant; the text names it for the caller.
    #[error("{0}")]
    NotFound(String),
    /// The request is wrong; the text says how to fix it.
    #[error("{0}")]
    Invalid(String),
    /// The request clashes with existing state.
    #[error("{0}")]
    Conflict(String),
    /// The caller may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Feedbridge itself failed (a key that cannot be opened, a signature that cannot be made);
    /// the text is for logs only.
    #[error("{0}")]
    Internal(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub type DomainResult<T> = Result<T, DomainError>;

/// Turns a store `NotFound` into a `NotFound` that names what was looked for.
pub(crate) trait OrNotFound<T> {
    fn or_not_found(self, what: impl FnOnce() -> String) -> DomainResult<T>;
}

impl<T> OrNotFound<T> for Result<T, StoreError> {
    fn or_not_found(self, what: impl FnOnce() -> String) -> DomainResult<T> {
        match self {
            Err(StoreError::NotFound) => Err(DomainError::NotFound(what())),
            other => other.map_err(DomainError::from),
        }
    }
}
