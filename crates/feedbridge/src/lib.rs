//! Feedbridge: a self-hosted bank feeds provider.
//!
//! The library holds everything; `main.rs` only parses the command line. Tests start the real
//! server through [`app::start`] on a listener bound to port 0.
//!
//! Layers point one way: [`http`] (axum) calls [`domain`] (the rules), which alone calls the
//! store (`feedbridge-store`, implemented by `feedbridge-store-sqlite` and
//! `feedbridge-store-postgres`). [`wire`] holds Codat's JSON shapes, shared by the API and webhook
//! payloads; [`webhooks`] delivers what the domain wrote to the outbox; [`cli`] and [`app`] put an
//! instance together. `tests/architecture/` checks that no module names one above it.

pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod domain;
pub mod http;
pub mod keys;
pub mod metrics;
pub mod server;
pub mod telemetry;
pub mod webhooks;
pub mod wire;
