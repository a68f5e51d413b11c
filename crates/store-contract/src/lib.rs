//! The behaviour every Feedbridge store backend must show, written once against the `Store` trait.
//!
//! Each backend's own test calls [`run_all`] on a fresh, empty store, so SQLite and PostgreSQL are
//! held to exactly the same answers: tenancy scoping, uniqueness conflicts, cascades, creation
//! order, idempotency claims, link sessions, the feed's transactions and sign-on counters, atomic
//! pushes, webhook fan-out and delivery claims, and effects that commit (or not) with their change. [`shared`] holds
//! the checks that need two stores on one database.
//!
//! This crate is test code: a failed expectation panics, which is how a test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod companies;
mod feed;
pub mod feed_marks;
mod fixtures;
mod idempotency;
mod link_sessions;
mod oauth;
mod outbox;
mod push;
mod races;
pub mod shared;
mod tenants;
mod transactions;
mod webhooks;

use std::sync::Arc;

use feedbridge_store::Store;

/// Runs every single-store check; `store` must start empty.
pub async fn run_all(store: Arc<dyn Store>) {
    store
        .ready()
        .await
        .expect("a freshly opened store is ready");
    tenants::run(&*store).await;
    companies::run(&*store).await;
    accounts::run(&*store).await;
    push::run(&*store).await;
    idempotency::run(&*store).await;
    outbox::run(&*store).await;
    link_sessions::run(&*store).await;
    oauth::run(&*store).await;
    feed::run(&*store).await;
    feed_marks::run(&*store).await;
    transactions::run(&*store).await;
    webhooks::run(&*store).await;
}
