//! The status machines of a connection, a source account and a push operation (SPEC §9), in one
//! place. Every change of status in the domain goes through [`move_connection`],
//! [`move_account`] or [`push_status`], each given the reason for the change; the callers emit
//! the events a change calls for.
//!
//! - Connection: `PendingAuth` → `Linked` (an account connected) → `Unlinked` (the institution
//!   unlinks it, its credentials are revoked, or no account is left connected) → `Linked` again
//!   after a new pairing.
//! - Source account: `pending` → `connected` (its first statement download) → `disconnected`
//!   (revoked credentials, too long without a pull, or the institution's PATCH); a paired
//!   credential may connect it again unless the institution disconnected it.
//! - Push operation: `Success` or `Failed`, decided inside the store's atomic write.

use feedbridge_store::{AccountStatus, Connection, ConnectionStatus, PushStatus, SourceAccount};

/// Why a connection's status may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionCause {
    /// A statement download connected one of its accounts.
    AccountConnected,
    /// The institution's `PATCH {"status": "Unlinked"}`.
    UnlinkedByInstitution,
    /// Every credential pair of the connection was revoked.
    CredentialsRevoked,
    /// The last connected account stopped (disconnected or idle).
    NoAccountConnected,
}

/// Why a source account's status may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountCause {
    /// A statement download by a paired credential.
    Downloaded,
    /// The institution's `PATCH {"status": "disconnected"}`.
    DisconnectedByInstitution,
    /// The credentials it was connected through were revoked.
    CredentialsRevoked,
    /// No statement download for `feed.disconnect_after_days`.
    Idle,
}

impl ConnectionCause {
    pub const ALL: [Self; 4] = [
        Self::AccountConnected,
        Self::UnlinkedByInstitution,
        Self::CredentialsRevoked,
        Self::NoAccountConnected,
    ];
}

impl AccountCause {
    pub const ALL: [Self; 4] = [
        Self::Downloaded,
        Self::DisconnectedByInstitution,
        Self::CredentialsRevoked,
        Self::Idle,
    ];
}

/// The status a connection in `from` moves to for `cause`, or `None` when it stays.
pub fn next_connection_status(
    from: ConnectionStatus,
    cause: ConnectionCause,
) -> Option<ConnectionStatus> {
    use ConnectionCause::*;
    use ConnectionStatus::{Linked, Unlinked};
    let to = match cause {
        AccountConnected => Linked,
        UnlinkedByInstitution => Unlinked,
        // Only a linked connection loses its link when its feeds stop.
        CredentialsRevoked | NoAccountConnected if from == Linked => Unlinked,
        CredentialsRevoked | NoAccountConnected => from,
    };
    (to != from).then_some(to)
}

/// The status an account in `from` moves to for `cause`, or `None` when it stays.
pub fn next_account_status(from: AccountStatus, cause: AccountCause) -> Option<AccountStatus> {
    use AccountCause::*;
    use AccountStatus::{Connected, Disconnected};
    let to = match cause {
        Downloaded => Connected,
        DisconnectedByInstitution => Disconnected,
        // The feed only stops what it was feeding.
        CredentialsRevoked | Idle if from == Connected => Disconnected,
        CredentialsRevoked | Idle => from,
    };
    (to != from).then_some(to)
}

/// Moves `conn` for `cause`; true when its status changed.
pub fn move_connection(conn: &mut Connection, cause: ConnectionCause) -> bool {
    let Some(to) = next_connection_status(conn.status, cause) else {
        return false;
    };
    conn.status = to;
    true
}

/// Moves `account` for `cause`; true when its status changed. An account the institution
/// disconnected also forgets the credential that linked it, so the feed cannot connect it again.
pub fn move_account(account: &mut SourceAccount, cause: AccountCause) -> bool {
    let Some(to) = next_account_status(account.status, cause) else {
        return false;
    };
    account.status = to;
    if cause == AccountCause::DisconnectedByInstitution {
        account.linked_credential = None;
    }
    true
}

/// A push operation's status once the rules ran: `Failed` when they found any error.
pub fn push_status(has_errors: bool) -> PushStatus {
    if has_errors {
        PushStatus::Failed
    } else {
        PushStatus::Success
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// Every (from, to) pair some cause produces, as text.
    fn edges<S: Copy, C: Copy>(
        statuses: &[S],
        causes: &[C],
        next: impl Fn(S, C) -> Option<S>,
        text: impl Fn(S) -> &'static str,
    ) -> BTreeSet<(&'static str, &'static str)> {
        let mut found = BTreeSet::new();
        for &from in statuses {
            for &cause in causes {
                if let Some(to) = next(from, cause) {
                    found.insert((text(from), text(to)));
                }
            }
        }
        found
    }

    #[test]
    fn a_connection_moves_only_as_spec_section_9_allows() {
        let found = edges(
            ConnectionStatus::ALL,
            &ConnectionCause::ALL,
            next_connection_status,
            ConnectionStatus::as_str,
        );
        let allowed = BTreeSet::from([
            ("PendingAuth", "Linked"),
            ("PendingAuth", "Unlinked"),
            ("Linked", "Unlinked"),
            ("Unlinked", "Linked"),
            ("Deauthorized", "Linked"),
            ("Deauthorized", "Unlinked"),
        ]);
        assert_eq!(found, allowed);
    }

    #[test]
    fn an_account_moves_only_as_spec_section_9_allows() {
        let found = edges(
            AccountStatus::ALL,
            &AccountCause::ALL,
            next_account_status,
            AccountStatus::as_str,
        );
        let allowed = BTreeSet::from([
            ("pending", "connected"),
            ("pending", "disconnected"),
            ("connecting", "connected"),
            ("connecting", "disconnected"),
            ("connected", "disconnected"),
            ("disconnected", "connected"),
            ("unknown", "connected"),
            ("unknown", "disconnected"),
        ]);
        assert_eq!(found, allowed);
    }

    #[test]
    fn only_a_linked_connection_is_unlinked_when_its_feeds_stop() {
        for cause in [
            ConnectionCause::CredentialsRevoked,
            ConnectionCause::NoAccountConnected,
        ] {
            for from in ConnectionStatus::ALL {
                let expected =
                    (*from == ConnectionStatus::Linked).then_some(ConnectionStatus::Unlinked);
                assert_eq!(
                    next_connection_status(*from, cause),
                    expected,
                    "{from} {cause:?}"
                );
            }
        }
    }

    #[test]
    fn only_the_institution_makes_the_feed_forget_an_account() {
        let mut account = crate::domain::fixtures::source_account("chk");
        account.status = AccountStatus::Connected;
        account.linked_credential = Some(feedbridge_store::CredentialId::new());
        let mut idle = account.clone();
        assert!(move_account(&mut idle, AccountCause::Idle));
        assert_eq!(idle.status, AccountStatus::Disconnected);
        assert!(idle.linked_credential.is_some());
        assert!(!move_account(&mut idle, AccountCause::Idle));
        assert!(move_account(
            &mut account,
            AccountCause::DisconnectedByInstitution
        ));
        assert!(account.linked_credential.is_none());
    }

    #[test]
    fn a_push_fails_on_any_error() {
        assert_eq!(push_status(true), PushStatus::Failed);
        assert_eq!(push_status(false), PushStatus::Success);
    }
}
