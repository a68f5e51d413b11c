//! Test-only helpers shared by Feedbridge's crates, so each is written once: the PostgreSQL
//! scratch database that the store contract, the integration tests and the benchmark all run on.
//!
//! Never a dependency of the server itself: only of tests and of `feedbridge-bench`.

mod scratch;

pub use scratch::{admin_url, Scratch, PG_ENV};
