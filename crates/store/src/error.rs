//! The store's closed error set; backends map their driver errors into it.

/// Why a store call failed.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum StoreError {
    /// No such record, or it belongs to another tenant (callers cannot tell which, on purpose).
    #[error("not found")]
    NotFound,
    /// A uniqueness rule or an optimistic check failed.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database cannot be reached, is busy past its timeout or is out of space: nothing was
    /// changed, and the same request may succeed later. The text is for logs only.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The database failed; the text is for logs only.
    #[error("database error: {0}")]
    Backend(String),
}

/// Shorthand for store results.
pub type StoreResult<T> = Result<T, StoreError>;
