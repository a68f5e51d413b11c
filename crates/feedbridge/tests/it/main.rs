//! Integration tests: the real server on 127.0.0.1 port 0, driven over HTTP.

mod api_errors;
mod binary;
mod idempotency;
mod links;
mod support;
mod tenancy;
