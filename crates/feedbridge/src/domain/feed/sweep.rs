//! The idle sweep: an account not pulled for `feed.disconnect_after_days` becomes
//! `disconnected`, and its connection `Unlinked` once no account is left connected.

use std::time::Duration;

use jiff::SignedDuration;

use feedbridge_store::{Effects, StoreError};

use crate::domain::events::EventType;
use crate::domain::status::{self, AccountCause};
use crate::domain::{DomainResult, Services};

/// How often the background sweep runs.
pub const SWEEP_EVERY: Duration = Duration::from_secs(60);

impl Services {
    /// Disconnects every account idle for too long; returns how many it disconnected.
    pub async fn disconnect_idle_accounts(&self) -> DomainResult<usize> {
        let now = self.now();
        let days = i64::from(self.settings.feed.disconnect_after_days);
        let cutoff = now - SignedDuration::from_hours(24 * days);
        let stale = self.store.list_stale_accounts(cutoff).await?;
        let mut done = 0;
        for (connection, id) in stale {
            let mut account = match self.store.get_source_account(connection, &id).await {
                Ok(a) => a,
                Err(StoreError::NotFound) => continue,
                Err(e) => return Err(e.into()),
            };
            // Disconnected by other means since the list was read: nothing left to stop.
            if !status::move_account(&mut account, AccountCause::Idle) {
                continue;
            }
            let conn = self.store.find_connection(connection).await?;
            let company = self.store.find_company(conn.company_id).await?;
            let mut effects = Effects::none().event(self.account_event(
                &company,
                &account,
                EventType::AccountDisconnected,
            ));
            let unlinked = self
                .unlink_if_idle(&company, &conn, &account, &mut effects)
                .await?;
            self.store
                .update_source_accounts(std::slice::from_ref(&account), unlinked.as_ref(), effects)
                .await?;
            done += 1;
        }
        self.prune_signon_failures(now).await?;
        Ok(done)
    }

    /// Runs the sweep forever; failures are logged and retried on the next round.
    pub async fn run_sweeps(self) {
        let mut every = tokio::time::interval(SWEEP_EVERY);
        loop {
            every.tick().await;
            if let Err(e) = self.disconnect_idle_accounts().await {
                tracing::warn!(error = %e, "idle account sweep failed");
            }
        }
    }
}
