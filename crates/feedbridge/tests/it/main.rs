//! The integration tests of Feedbridge, in one binary so the crate is linked once.

mod support;
mod webhook_targets;
mod webhooks;
