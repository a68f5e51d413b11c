//! Integration tests of Feedbridge, in one binary: each module drives real servers on 127.0.0.1,
//! all started through `support::TestApp`, on SQLite or, with `FEEDBRIDGE_TEST_BACKEND=postgres`,
//! on PostgreSQL.

// Test helpers fail loudly on purpose: a panic is a test failure with its reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod api_errors;
mod binary;
mod fdx_feed;
mod feed;
mod feed_completeness;
mod feed_enumeration;
mod feed_pulls;
mod idempotency;
mod internal_errors;
mod limits;
mod link;
mod link_logs;
mod link_tokens;
mod link_xss;
mod metrics;
mod oauth;
mod openapi;
mod outages;
mod push;
mod push_concurrency;
mod rate_limit;
mod support;
mod tenancy;
mod webhook_targets;
mod webhooks;
