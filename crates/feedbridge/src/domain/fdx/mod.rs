//! FDX 6 for data recipients (SPEC §15): the consented accounts, their balances and posted
//! transactions, the customer, and the Consent API, each behind a bearer token of a live
//! consent. Reading transactions follows the feed's rules: the first request for an account
//! connects it, every request counts as a pull, and a window asked from where the previous one
//! ended misses nothing (see `domain/feed/statements.rs`).

pub mod accounts;
pub mod consents;
pub mod transactions;

/// An FDX error: the HTTP status and the FDX code (an integer, as Plaid and Akoya send it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("FDX {code}: {message}")]
pub struct FdxError {
    pub status: u16,
    pub code: u32,
    pub message: String,
}

impl FdxError {
    fn new(status: u16, code: u32, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400 / 401: the request does not satisfy the API.
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(400, 401, message)
    }

    /// 401 / 602: no live consent behind the token; the customer must sign in again.
    pub fn not_authorized() -> Self {
        Self::new(
            401,
            602,
            "Customer not authorized: the consent has ended or the token is not valid.",
        )
    }

    /// 404 / 701.
    pub fn account_not_found() -> Self {
        Self::new(404, 701, "Account not found.")
    }

    /// 400 / 702.
    pub fn invalid_date(message: impl Into<String>) -> Self {
        Self::new(400, 702, message)
    }

    /// 400 / 703.
    pub fn invalid_range(message: impl Into<String>) -> Self {
        Self::new(400, 703, message)
    }

    /// 409 / 705: the institution closed the account to the feed.
    pub fn account_closed() -> Self {
        Self::new(409, 705, "Account is closed.")
    }

    /// 403 / 706: the consent does not cover this data.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(403, 706, message)
    }

    /// 404 / 1107: nothing matches the request.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, 1107, message)
    }
}

/// A domain answer that may be an FDX refusal.
pub type FdxResult<T> = crate::domain::DomainResult<Result<T, FdxError>>;
