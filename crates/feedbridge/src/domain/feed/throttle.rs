//! Sign-on throttling, counted in the database so it holds across restarts and instances.
//!
//! Per username: after five failures each further failure opens a back-off window (1 s,
//! doubling, at most 15 minutes) during which every attempt fails at once without the password
//! being looked at; a hundred failures within an hour lock the username for an hour. Per source
//! address: a thousand failures within an hour refuse the address for the rest of that hour.

use jiff::{SignedDuration, Timestamp};

use feedbridge_store::{Effects, SignonCounters, SignonFailure};

use crate::domain::{DomainResult, Services};

/// Failures before back-off starts.
pub const BACKOFF_AFTER: u32 = 5;
/// The longest back-off window.
pub const BACKOFF_MAX: SignedDuration = SignedDuration::from_secs(15 * 60);
/// The window failures are counted in, and the length of a lock.
pub const WINDOW: SignedDuration = SignedDuration::from_secs(3600);
/// Failures of one username within the window that lock it.
pub const LOCK_AFTER: u32 = 100;
/// Failures from one address within the window that block it.
pub const ADDRESS_LIMIT: u32 = 1000;

/// Whether an attempt may be checked at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    Open(SignonCounters),
    /// The username is backing off or locked.
    UsernameBlocked(SignonCounters),
    AddressBlocked(SignonCounters),
}

/// The back-off after `failures` consecutive failures, if any.
pub fn backoff(failures: u32) -> Option<SignedDuration> {
    let over = failures.checked_sub(BACKOFF_AFTER)?;
    let secs = 1i64.checked_shl(over.min(20)).unwrap_or(i64::MAX);
    Some(SignedDuration::from_secs(secs).min(BACKOFF_MAX))
}

impl Services {
    /// Reads the counters of an attempt and decides whether it may proceed.
    pub async fn signon_gate(&self, username: &str, address: &str) -> DomainResult<Gate> {
        let now = self.now();
        let counters = self
            .store
            .signon_counters(username, address, now - WINDOW)
            .await?;
        Ok(if counters.address_recent >= ADDRESS_LIMIT {
            Gate::AddressBlocked(counters)
        } else if counters.blocked_until.is_some_and(|until| until > now) {
            Gate::UsernameBlocked(counters)
        } else {
            Gate::Open(counters)
        })
    }

    /// Records a failed attempt; `checked` says whether the password was looked at (attempts
    /// refused by the gate count towards the hourly limits but do not lengthen the back-off).
    pub async fn signon_failed(
        &self,
        username: &str,
        address: &str,
        counters: &SignonCounters,
        checked: bool,
    ) -> DomainResult<()> {
        let now = self.now();
        let mut effects = Effects::none();
        let blocked_until = if counters.username_recent + 1 >= LOCK_AFTER
            && counters
                .blocked_until
                .is_none_or(|b| b <= now + BACKOFF_MAX)
        {
            effects = effects.audit(self.feed_audit(
                None,
                "signon.locked",
                format!("username {username} locked for an hour after {LOCK_AFTER} failures"),
            ));
            Some(now + WINDOW)
        } else if checked {
            backoff(counters.consecutive + 1).map(|d| now + d)
        } else {
            None
        };
        let failure = SignonFailure {
            username: username.to_owned(),
            address: address.to_owned(),
            at: now,
            blocked_until,
            extends: checked,
        };
        Ok(self.store.record_signon_failure(&failure, effects).await?)
    }

    /// Forgets the username's back-off after a successful sign-on.
    pub async fn signon_succeeded(
        &self,
        username: &str,
        counters: &SignonCounters,
    ) -> DomainResult<()> {
        if counters.consecutive > 0 || counters.blocked_until.is_some() {
            self.store.clear_signon_failures(username).await?;
        }
        Ok(())
    }

    /// Drops failure records older than the counting window.
    pub async fn prune_signon_failures(&self, now: Timestamp) -> DomainResult<()> {
        Ok(self.store.prune_signon_failures(now - WINDOW).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_one_second_to_fifteen_minutes() {
        assert_eq!(backoff(4), None);
        assert_eq!(backoff(5), Some(SignedDuration::from_secs(1)));
        assert_eq!(backoff(6), Some(SignedDuration::from_secs(2)));
        assert_eq!(backoff(14), Some(SignedDuration::from_secs(512)));
        assert_eq!(backoff(15), Some(BACKOFF_MAX));
        assert_eq!(backoff(u32::MAX), Some(BACKOFF_MAX));
    }
}
