//! Linking: the first statement download of a source account by a paired credential connects
//! it, sets its feed start date and links the connection; downloads record the pull, which
//! also moves the account's feed mark forward.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, ToSpan};

use feedbridge_store::{AccountStatus, Credential, Effects, SourceAccount};

use crate::domain::events::EventType;
use crate::domain::status::{self, AccountCause, ConnectionCause};
use crate::domain::{DomainResult, Services};

/// How far back a feed may start.
pub const MAX_BACKFILL_DAYS: i64 = 7;

/// Downloads of a connected account closer together than this record one pull. Only the idle
/// sweep reads the time, and it counts days; a write per download would put a commit on the
/// feed's busiest path.
pub const PULL_RECORD_INTERVAL: SignedDuration = SignedDuration::from_secs(60);

impl Services {
    /// The account a credential may read, with its feed name, found by that name ([`feed_name`])
    /// or by its id; `None` when the credential's connection has no such account or the institution
    /// disconnected it.
    pub async fn feed_account(
        &self,
        credential: &Credential,
        name: &str,
    ) -> DomainResult<Option<(String, SourceAccount)>> {
        let accounts = self.feed_accounts(credential).await?;
        Ok(accounts
            .into_iter()
            .find(|(feed_name, a)| a.id.as_str() == name || *feed_name == name))
    }

    /// The accounts offered in account information, each with its feed name.
    pub async fn feed_accounts(
        &self,
        credential: &Credential,
    ) -> DomainResult<Vec<(String, SourceAccount)>> {
        let all = self
            .store
            .list_source_accounts(credential.connection_id)
            .await?;
        let names: Vec<String> = all.iter().map(|a| feed_name(a, &all).to_owned()).collect();
        Ok(names
            .into_iter()
            .zip(all)
            .filter(|(_, a)| is_offered(a))
            .collect())
    }

    /// `requested` clamped to [today − 7 days, today].
    pub fn clamp_feed_start(&self, requested: Option<Date>) -> Date {
        let today = self.today();
        let earliest = today.checked_sub(MAX_BACKFILL_DAYS.days()).unwrap_or(today);
        requested.unwrap_or(today).clamp(earliest, today)
    }

    /// Records a statement download; connects the account (and links the connection) on the
    /// first one.
    pub async fn record_pull(
        &self,
        credential: &Credential,
        mut account: SourceAccount,
        requested_start: Option<Date>,
    ) -> DomainResult<SourceAccount> {
        let now = self.now();
        if account.status == AccountStatus::Connected {
            // A pull is recorded at least once a day too: with the mark past the start of
            // today, a client that asks again from today's date (FDX windows are dates) misses
            // nothing stored after this read.
            let recent = account
                .last_pulled
                .is_some_and(|last| now.duration_since(last) < PULL_RECORD_INTERVAL);
            if recent && account.feed_mark >= self.start_of_today() {
                return Ok(account);
            }
            account.last_pulled = Some(now);
            self.store
                .update_source_accounts(std::slice::from_ref(&account), None, Effects::none())
                .await?;
            return Ok(pulled(account, now));
        }
        account.last_pulled = Some(now);
        status::move_account(&mut account, AccountCause::Downloaded);
        account.linked_credential = Some(credential.id);
        account.feed_start_date = Some(self.clamp_feed_start(requested_start));
        let conn = self.store.find_connection(credential.connection_id).await?;
        let company = self.store.find_company(conn.company_id).await?;
        let mut effects = Effects::none().event(self.account_event(
            &company,
            &account,
            EventType::AccountConnected,
        ));
        let mut linked = conn.clone();
        let linked = status::move_connection(&mut linked, ConnectionCause::AccountConnected)
            .then_some(linked);
        if let Some(linked) = &linked {
            effects = effects.event(self.connection_event(
                &company,
                linked,
                EventType::ConnectionConnected,
            ));
        }
        self.store
            .update_source_accounts(std::slice::from_ref(&account), linked.as_ref(), effects)
            .await?;
        Ok(pulled(account, now))
    }
}

/// The account as the store left it after recording a pull at `now`: the pull moved the feed
/// mark up to `now`. Every push committed before the pull is visible to a read that follows
/// it, and every later one is made available after the mark.
fn pulled(mut account: SourceAccount, now: Timestamp) -> SourceAccount {
    account.feed_mark = account.feed_mark.max(now);
    account
}

/// How the feed names an account (OFX `ACCTID`): its number, as banks name accounts and as
/// accounting software shows them (masked to the last digits), when the institution gave one
/// that fits OFX's 22 characters and names no other account of the connection, by number or by
/// id; otherwise its id. Statement requests may use either the name or the id.
pub fn feed_name<'a>(account: &'a SourceAccount, connection: &[SourceAccount]) -> &'a str {
    const OFX_ACCTID_MAX: usize = 22;
    let Some(number) = account.account_number.as_deref().map(str::trim) else {
        return account.id.as_str();
    };
    let clashes = connection.iter().any(|other| {
        other.id != account.id
            && (other.id.as_str() == number
                || other.account_number.as_deref().map(str::trim) == Some(number))
    });
    if number.is_empty() || number.chars().count() > OFX_ACCTID_MAX || clashes {
        account.id.as_str()
    } else {
        number
    }
}

/// Accounts the institution disconnected stay hidden; ones the feed lost (revocation, idle)
/// keep their linked credential and may connect again.
pub(crate) fn is_offered(account: &SourceAccount) -> bool {
    account.status != AccountStatus::Disconnected || account.linked_credential.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::source_account;

    fn account(id: &str, number: Option<&str>) -> SourceAccount {
        SourceAccount {
            account_number: number.map(str::to_owned),
            ..source_account(id)
        }
    }

    #[test]
    fn an_account_is_named_by_its_number_when_the_number_names_it_alone() {
        let all = [
            account("chk", Some("000123456789")),
            account("sav", Some(" 000987654321 ")),
            account("card", None),
            account("loan", Some("")),
            account("long", Some("1234567890123456789012345")),
        ];
        let names: Vec<_> = all.iter().map(|a| feed_name(a, &all)).collect();
        assert_eq!(
            names,
            ["000123456789", "000987654321", "card", "loan", "long"]
        );
    }

    #[test]
    fn a_number_shared_with_another_account_or_its_id_falls_back_to_the_id() {
        let all = [
            account("a", Some("111")),
            account("b", Some("111")),
            account("c", Some("d")),
            account("d", Some("222")),
        ];
        let names: Vec<_> = all.iter().map(|a| feed_name(a, &all)).collect();
        assert_eq!(names, ["a", "b", "c", "222"]);
    }
}
