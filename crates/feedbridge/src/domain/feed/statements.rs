//! What a statement contains, and where it ends.
//!
//! A feed statement holds every transaction dated in the requested window and every one made
//! available (stored) in it, never one dated before the account's feed start date. Its end is
//! the account's feed mark, not the clock: a push still in flight when the statement is read
//! is made available after the mark, so the next download, asked from this end, receives it
//! (docs/architecture.md, "How the feed loses nothing").

use jiff::civil::Date;
use jiff::Timestamp;
use rust_decimal::Decimal;

use feedbridge_store::{
    ClientId, CompanyId, ConnectionId, Credential, ListedTransaction, SourceAccount, StatementRange,
};

use super::linking::feed_name;
use crate::domain::{DomainError, DomainResult, Services};

/// How far back an export reaches when no start is given.
const EXPORT_DAYS: i64 = 90;

/// A statement ready to be written in any format.
#[derive(Debug, Clone)]
pub struct Statement {
    pub account: SourceAccount,
    /// How the feed names the account ([`super::linking::feed_name`]).
    pub feed_name: String,
    /// The first day the statement covers.
    pub start: Date,
    /// Where the statement ends: a request that starts here misses nothing stored later.
    pub through: Timestamp,
    pub transactions: Vec<ListedTransaction>,
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
        let (start_day, end_day) = (
            start.map(|t| self.local_date(t)),
            end.map(|t| self.local_date(t)),
        );
        if matches!((start_day, end_day), (Some(s), Some(e)) if s > e) {
            return Ok(Err(StatementRefusal::InvalidRange));
        }
        let Some((feed_name, account)) = self.feed_account(credential, account_id).await? else {
            return Ok(Err(StatementRefusal::NoAccount));
        };
        let account = self.record_pull(credential, account, start_day).await?;
        let floor = account.feed_start_date.unwrap_or_else(|| self.today());
        let range = StatementRange {
            floor,
            dated_from: start_day.map_or(floor, |s| s.max(floor)),
            dated_to: end_day.unwrap_or_else(|| self.today()),
            available_from: start,
        };
        let through = end.map_or(account.feed_mark, |e| e.min(account.feed_mark));
        Ok(Ok(self
            .statement(feed_name, account, range, through)
            .await?))
    }

    /// The statement of `account` for `range`, ending at `through`.
    async fn statement(
        &self,
        feed_name: String,
        account: SourceAccount,
        range: StatementRange,
        through: Timestamp,
    ) -> DomainResult<Statement> {
        let transactions = self
            .store
            .list_transactions(account.connection_id, &account.id, range)
            .await?;
        let balance = self.ledger_balance(&account).await?;
        Ok(Statement {
            account,
            feed_name,
            start: range.dated_from,
            through,
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
        let all = self.store.list_source_accounts(conn.id).await?;
        let account = all
            .iter()
            .find(|a| a.id.as_str() == account_id)
            .cloned()
            .ok_or_else(|| {
                DomainError::NotFound(format!("Source account {account_id} not found"))
            })?;
        let feed_name = feed_name(&account, &all).to_owned();
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
        let range = StatementRange {
            floor: from,
            dated_from: from,
            dated_to: to,
            available_from: None,
        };
        let through = to
            .tomorrow()
            .map_or(self.now(), |day| self.start_of(day).min(self.now()));
        self.statement(feed_name, account, range, through).await
    }

    /// An account's ledger balance: the running balance of its latest transaction that carries
    /// one, else the balance the institution gave the account.
    pub async fn ledger_balance(&self, account: &SourceAccount) -> DomainResult<Decimal> {
        let latest = self
            .store
            .latest_balance(account.connection_id, &account.id)
            .await?;
        Ok(latest
            .and_then(|t| t.balance)
            .or(account.balance)
            .unwrap_or_default())
    }

    /// The institution's calendar date of an instant.
    pub fn local_date(&self, t: Timestamp) -> Date {
        t.to_zoned(self.settings.time_zone.clone()).date()
    }

    /// The first instant of `day` where the institution is.
    pub fn start_of(&self, day: Date) -> Timestamp {
        day.to_zoned(self.settings.time_zone.clone())
            .map_or(Timestamp::UNIX_EPOCH, |z| z.timestamp())
    }

    /// The first instant of today where the institution is.
    pub fn start_of_today(&self) -> Timestamp {
        self.start_of(self.today())
    }
}
