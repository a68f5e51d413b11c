//! The integration tests of Feedbridge, in one binary so it is linked once.
// Helpers shared by the tests fail the test they serve, exactly like the tests themselves.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod link;
mod support;
