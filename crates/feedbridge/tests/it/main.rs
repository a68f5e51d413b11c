//! The integration tests of Feedbridge, in one binary so the crate is linked once.

// Test helpers fail loudly on purpose: a panic is a test failure with its reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;
mod webhook_targets;
mod webhooks;
