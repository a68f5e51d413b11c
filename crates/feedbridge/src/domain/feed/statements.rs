//! What a statement contains: the account's transactions in the requested date range, never
//! before its feed start date, and the ledger balance.

use jiff::civil::Date;
use jiff::Timestamp;
use rust_decimal::Decimal;

use feedbridge_store::{
    BankTransaction, ClientId, CompanyId, ConnectionId, Credential, SourceAccount, SourceAccountId,
};

use crate::domain::{DomainError, DomainResult, OrNotFound, Services};

/// How far back an export reaches when no start is given.
const EXPORT_DAYS: i64 = 90;

/// A statement ready to be written in any format.
#[derive(Debug, Clone)]
pub struct Statement {
    pub account: SourceAccount,
    pub start: Date,
    pub end: Date,
    pub transactions: Vec<BankTransaction>,
    pub balance: Decimal,
    pub as_of: Timestamp,
}

/// Why a statement could not be produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementRefusal {
    /// No such account for this credential.
    NoAccount,
    /// The start is after the end.
    InvalidRange,
}

impl Services {
    /// A statement download through the feed: links the account on first use.
    pub async fn feed_statement(
        &self,
        credential: &Credential,
        account_id: &str,
        start: Option<Timestamp>,
        end: Option<Timestamp>,
    ) -> DomainResult<Result<Statement, StatementRefusal>> {
        let (start, end) = (
            start.map(|t| self.local_date(t)),
            end.map(|t| self.local_date(t)),
        );
        if matches!((start, end), (Some(s), Some(e)) if s > e) {
            return Ok(Err(StatementRefusal::InvalidRange));
        }
        let Some(account) = self.feed_account(credential, account_id).await? else {
            return Ok(Err(StatementRefusal::NoAccount));
        };
        let account = self.record_pull(credential, account, start).await?;
        let floor = account.feed_start_date.unwrap_or_else(|| self.today());
        let from = start.map_or(floor, |s| s.max(floor));
        let to = end.unwrap_or_else(|| self.today());
        Ok(Ok(self.statement(account, from, to).await?))
    }

    /// The statement of `account` for `from` through `to`.
    pub async fn statement(
        &self,
        account: SourceAccount,
        from: Date,
        to: Date,
    ) -> DomainResult<Statement> {
        let transactions = if from <= to {
            self.store
                .list_transactions(account.connection_id, &account.id, from, to)
                .await?
        } else {
            Vec::new()
        };
        let latest = self
            .store
            .latest_balance(account.connection_id, &account.id)
            .await?;
        let balance = latest
            .and_then(|t| t.balance)
            .or(account.balance)
            .unwrap_or_default();
        Ok(Statement {
            account,
            start: from,
            end: to,
            transactions,
            balance,
            as_of: self.now(),
        })
    }

    /// The Web Connect export: any account of the client's connection, `from`/`to` as given
    /// (defaults: the last 90 days), without touching the feed's state.
    pub async fn export_statement(
        &self,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
        account_id: &str,
        from: Option<Date>,
        to: Option<Date>,
    ) -> DomainResult<Statement> {
        let (_, conn) = self.connection(client, company, id).await?;
        let missing = || format!("Source account {account_id} not found");
        let parsed =
            SourceAccountId::parse(account_id).map_err(|_| DomainError::NotFound(missing()))?;
        let account = self
            .store
            .get_source_account(conn.id, &parsed)
            .await
            .or_not_found(missing)?;
        let to = to.unwrap_or_else(|| self.today());
        let from = match from {
            Some(f) => f,
            None => to
                .checked_sub(jiff::Span::new().days(EXPORT_DAYS))
                .map_err(|e| DomainError::Invalid(e.to_string()))?,
        };
        if from > to {
            return Err(DomainError::Invalid(
                "`from` must not be after `to`.".into(),
            ));
        }
        self.statement(account, from, to).await
    }

    /// The institution's calendar date of an instant.
    pub fn local_date(&self, t: Timestamp) -> Date {
        t.to_zoned(self.settings.time_zone.clone()).date()
    }
}
