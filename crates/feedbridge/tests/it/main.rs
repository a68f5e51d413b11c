//! The integration tests of Feedbridge: one binary, one module per area.

mod feed;
mod support;
