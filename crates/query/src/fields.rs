//! Allow-list matching for field paths.
//!
//! Each list endpoint documents which fields can be queried and sorted; anything else is a
//! malformed query. Entries are exact, case-sensitive paths (`status`, `sourceAccount.status`),
//! or a prefix ending in `.*` for open-ended maps such as company `tags` (`tags.*` allows
//! `tags.region`). Case-sensitive because the `Queryable` impl receives the path verbatim, and
//! accepting `Status` here would only make it silently miss there.

use crate::error::{ErrorKind, QueryError};

pub(crate) fn is_allowed(path: &str, allowed: &[&str]) -> bool {
    allowed.iter().any(|entry| match entry.strip_suffix(".*") {
        Some(prefix) => path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.len() > 1 && rest.starts_with('.')),
        None => *entry == path,
    })
}

pub(crate) fn check_allowed(path: &str, allowed: &[&str]) -> Result<(), QueryError> {
    if is_allowed(path, allowed) {
        Ok(())
    } else {
        Err(QueryError::new(ErrorKind::UnknownField(path.to_owned())))
    }
}
