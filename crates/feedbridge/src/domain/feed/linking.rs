//! Linking: the first statement download of a source account by a paired credential connects
//! it, sets its feed start date and links the connection; every download records the pull.

use jiff::civil::Date;
use jiff::{SignedDuration, ToSpan};

use feedbridge_store::{
    AccountStatus, ConnectionStatus, Credential, Effects, SourceAccount, SourceAccountId,
    StoreError,
};

use crate::domain::events::{ACCOUNT_CONNECTED, CONNECTION_CONNECTED};
use crate::domain::{DomainResult, Services};

/// How far back a feed may start.
pub const MAX_BACKFILL_DAYS: i64 = 7;

/// Downloads of a connected account closer together than this record one pull. Only the idle
/// sweep reads the time, and it counts days; a write per download would put a commit on the
/// feed's busiest path.
pub const PULL_RECORD_INTERVAL: SignedDuration = SignedDuration::from_secs(60);

impl Services {
    /// The account a credential may read, or `None` when it does not exist on the credential's
    /// connection or the institution disconnected it.
    pub async fn feed_account(
        &self,
        credential: &Credential,
        id: &str,
    ) -> DomainResult<Option<SourceAccount>> {
        let Ok(id) = SourceAccountId::parse(id) else {
            return Ok(None);
        };
        match self
            .store
            .get_source_account(credential.connection_id, &id)
            .await
        {
            Ok(a) if is_offered(&a) => Ok(Some(a)),
            Ok(_) | Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The accounts offered in account information.
    pub async fn feed_accounts(&self, credential: &Credential) -> DomainResult<Vec<SourceAccount>> {
        let all = self
            .store
            .list_source_accounts(credential.connection_id)
            .await?;
        Ok(all.into_iter().filter(is_offered).collect())
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
            if account
                .last_pulled
                .is_some_and(|last| now.duration_since(last) < PULL_RECORD_INTERVAL)
            {
                return Ok(account);
            }
            account.last_pulled = Some(now);
            self.store
                .update_source_accounts(std::slice::from_ref(&account), None, Effects::none())
                .await?;
            return Ok(account);
        }
        account.last_pulled = Some(now);
        account.status = AccountStatus::Connected;
        account.linked_credential = Some(credential.id);
        account.feed_start_date = Some(self.clamp_feed_start(requested_start));
        let conn = self.store.find_connection(credential.connection_id).await?;
        let company = self.store.find_company(conn.company_id).await?;
        let mut effects =
            Effects::none().event(self.account_event(&company, &account, ACCOUNT_CONNECTED));
        let linked = (conn.status != ConnectionStatus::Linked).then(|| {
            let mut linked = conn.clone();
            linked.status = ConnectionStatus::Linked;
            linked
        });
        if let Some(linked) = &linked {
            effects = effects.event(self.connection_event(&company, linked, CONNECTION_CONNECTED));
        }
        self.store
            .update_source_accounts(std::slice::from_ref(&account), linked.as_ref(), effects)
            .await?;
        Ok(account)
    }
}

/// Accounts the institution disconnected stay hidden; ones the feed lost (revocation, idle)
/// keep their linked credential and may connect again.
fn is_offered(account: &SourceAccount) -> bool {
    account.status != AccountStatus::Disconnected || account.linked_credential.is_some()
}
