//! Codat's JSON shapes, exactly as they travel: field names, enum texts, nullability.
//!
//! The client API and the webhook payloads both speak these, so they live apart from either.
//! Conversions from store records are here too; they take the few facts a record lacks (a fresh
//! `linkUrl`, the company's `redirect`) as arguments.

pub mod accounts;
pub mod companies;
pub mod errors;
pub mod paging;
pub mod push;
pub mod webhooks;

use jiff::Timestamp;

/// Codat's DateTime text: UTC with a `Z` suffix.
pub fn datetime(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S%.fZ").to_string()
}
