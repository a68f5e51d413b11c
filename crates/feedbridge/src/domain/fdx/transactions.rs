//! Posted transactions of a consented account, by window and page.
//!
//! A window's ends are dates (the institution's calendar) or instants. The answer holds every
//! transaction dated in the window and every one made available (posted to the feed) since its
//! start, never one dated before the account's feed start: a recipient that asks from where its
//! previous window ended misses nothing, whatever dates the institution pushed. The first
//! request connects the account, with its feed start the window's start clamped to the last
//! seven days.

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};

use feedbridge_store::{ListedTransaction, SourceAccount, StatementRange};

use super::accounts::covers;
use super::{FdxError, FdxResult};
use crate::domain::oauth::scopes::DataCluster;
use crate::domain::oauth::tokens::Bearer;
use crate::domain::Services;

/// The most transactions one page holds, and the default.
pub const PAGE_LIMIT: usize = 100;
/// Days a window covers when the recipient gives none: today and the six before.
const DEFAULT_DAYS: i64 = 7;

/// One end of a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Day(Date),
    Instant(Timestamp),
}

/// The window a recipient asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: Bound,
    pub end: Bound,
}

/// Which part of the answer a request wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub offset: usize,
    pub limit: usize,
}

/// One page of an account's transactions.
#[derive(Debug, Clone)]
pub struct Listed {
    pub account: SourceAccount,
    pub transactions: Vec<ListedTransaction>,
    /// Where the next page starts, when there is one.
    pub next_offset: Option<usize>,
    /// Transactions in the whole window.
    pub total: usize,
}

impl Services {
    /// The window of a request without dates.
    pub fn fdx_default_window(&self) -> Window {
        let today = self.today();
        Window {
            start: Bound::Day(today - (DEFAULT_DAYS - 1).days()),
            end: Bound::Day(today),
        }
    }

    /// One page of the transactions of a consented account in `window`; needs the
    /// `TRANSACTIONS` cluster.
    pub async fn fdx_transactions(
        &self,
        bearer: &Bearer,
        id: &str,
        window: Window,
        page: Page,
    ) -> FdxResult<Listed> {
        if !covers(bearer, DataCluster::Transactions) {
            return Ok(Err(FdxError::forbidden(
                "The consent does not cover transactions (fdx:transactions:read).",
            )));
        }
        let (start, end) = (self.first_instant(window.start), self.day_of(window.end));
        let start_day = self.day_of(window.start);
        let reversed = match (window.start, window.end) {
            (Bound::Instant(s), Bound::Instant(e)) => s > e,
            _ => start_day > end,
        };
        if reversed {
            return Ok(Err(FdxError::invalid_range(
                "The start of the window is after its end.",
            )));
        }
        let account = match self.fdx_consented(bearer, id).await? {
            Ok(a) => a,
            Err(e) => return Ok(Err(e)),
        };
        let account = self
            .record_pull(&bearer.credential, account, Some(start_day))
            .await?;
        let floor = account.feed_start_date.unwrap_or_else(|| self.today());
        let range = StatementRange {
            floor,
            dated_from: start_day.max(floor),
            dated_to: end,
            available_from: Some(start),
        };
        let all = self
            .store
            .list_transactions(account.connection_id, &account.id, range)
            .await?;
        let total = all.len();
        let transactions: Vec<_> = all.into_iter().skip(page.offset).take(page.limit).collect();
        let next = page.offset + transactions.len();
        Ok(Ok(Listed {
            account,
            transactions,
            next_offset: (next < total).then_some(next),
            total,
        }))
    }

    fn first_instant(&self, bound: Bound) -> Timestamp {
        match bound {
            Bound::Day(day) => self.start_of(day),
            Bound::Instant(t) => t,
        }
    }

    fn day_of(&self, bound: Bound) -> Date {
        match bound {
            Bound::Day(day) => day,
            Bound::Instant(t) => self.local_date(t),
        }
    }
}
