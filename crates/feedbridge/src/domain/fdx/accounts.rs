//! The consented accounts as a recipient reads them: the list, and one account with its
//! balances. Accounts the institution disconnected are closed to the feed (705); accounts
//! outside the consent, or gone, are not found (701).

use jiff::Timestamp;
use rust_decimal::Decimal;

use feedbridge_store::SourceAccount;

use super::{FdxError, FdxResult};
use crate::domain::feed::linking::is_offered;
use crate::domain::oauth::scopes::DataCluster;
use crate::domain::oauth::tokens::Bearer;
use crate::domain::{DomainResult, Services};

/// One account with its balances.
#[derive(Debug, Clone)]
pub struct Detailed {
    pub account: SourceAccount,
    pub balance: Decimal,
    pub as_of: Timestamp,
}

impl Services {
    /// The consented accounts still open to the feed, in the connection's order.
    pub async fn fdx_accounts(&self, bearer: &Bearer) -> DomainResult<Vec<SourceAccount>> {
        let all = self
            .store
            .list_source_accounts(bearer.consent.connection_id)
            .await?;
        Ok(all
            .into_iter()
            .filter(|a| bearer.consent.accounts.contains(&a.id) && is_offered(a))
            .collect())
    }

    /// One consented account with its balances; needs the `ACCOUNT_DETAILED` cluster.
    pub async fn fdx_account(&self, bearer: &Bearer, id: &str) -> FdxResult<Detailed> {
        if !covers(bearer, DataCluster::AccountDetailed) {
            return Ok(Err(FdxError::forbidden(
                "The consent does not cover account details (fdx:accountdetailed:read).",
            )));
        }
        let account = match self.fdx_consented(bearer, id).await? {
            Ok(a) => a,
            Err(e) => return Ok(Err(e)),
        };
        let balance = self.ledger_balance(&account).await?;
        Ok(Ok(Detailed {
            account,
            balance,
            as_of: self.now(),
        }))
    }

    /// A consented account open to the feed.
    pub(crate) async fn fdx_consented(
        &self,
        bearer: &Bearer,
        id: &str,
    ) -> FdxResult<SourceAccount> {
        let all = self
            .store
            .list_source_accounts(bearer.consent.connection_id)
            .await?;
        let consented = all
            .into_iter()
            .find(|a| a.id.as_str() == id && bearer.consent.accounts.contains(&a.id));
        Ok(match consented {
            None => Err(FdxError::account_not_found()),
            Some(a) if !is_offered(&a) => Err(FdxError::account_closed()),
            Some(a) => Ok(a),
        })
    }
}

/// Whether the token's consent covers `cluster`.
pub(crate) fn covers(bearer: &Bearer, cluster: DataCluster) -> bool {
    bearer
        .consent
        .data_clusters
        .iter()
        .any(|c| c == cluster.as_str())
}
