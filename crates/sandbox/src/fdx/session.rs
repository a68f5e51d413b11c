//! A consented FDX link: its tokens, and pulls of each linked account's transactions and
//! balances over a window of dates.
//!
//! Each account's window runs from where its previous one ended to today, and the next starts
//! at this one's end date: the FDX feed's completeness rule promises that a recipient asking
//! from its previous window's end misses nothing, even a transaction pushed later with an
//! earlier date. Transactions may then come twice; the state books each `transactionId` once.

use std::sync::Arc;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::accounts::{balance, offered};
use super::authorize::Authorization;
use super::tokens::Tokens;
use super::Client;
use crate::error::FeedError;
use crate::feed::{Ask, Offered, Statement};

/// What an accounting platform keeps of an FDX link.
pub struct Session {
    client: Arc<Client>,
    tokens: Tokens,
}

/// The dates of one pull of one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Window {
    start: Date,
    end: Date,
}

/// Today as it is everywhere by now: the date at UTC−12, the last offset to begin a day. The
/// sandbox does not know the institution's time zone, and a window ending on a date the
/// institution has not reached yet would make the next one start after transactions it has
/// still to make available that day.
fn today_everywhere(now: Timestamp) -> Date {
    (now - SignedDuration::from_hours(12))
        .to_zoned(TimeZone::UTC)
        .date()
}

impl Window {
    /// From the day of `start` (UTC, as the sandbox stores days) to today; never backwards.
    fn new(start: Timestamp, now: Timestamp) -> Self {
        let start = start.to_zoned(TimeZone::UTC).date();
        Window {
            start,
            end: today_everywhere(now).max(start),
        }
    }

    /// Where the next pull starts: the first instant of this window's end date.
    fn next_start(self) -> Result<Timestamp, FeedError> {
        self.end
            .to_zoned(TimeZone::UTC)
            .map(|z| z.timestamp())
            .map_err(|e| FeedError::Invalid(e.to_string()))
    }
}

impl Session {
    /// Redeems the code of a sign-in and lists the accounts the user allowed.
    pub async fn sign_in(
        client: Arc<Client>,
        code: &str,
        authorization: &Authorization,
    ) -> Result<(Self, Vec<Offered>), FeedError> {
        let tokens = client.redeem(code, authorization).await?;
        let accounts = client.accounts(&tokens).await?;
        let offered = accounts.iter().map(offered).collect();
        Ok((Session { client, tokens }, offered))
    }

    /// Renews the access token when it has lapsed, then pulls each account in turn. A failure
    /// of the whole link (refused tokens, the institution unreachable) stops the pull.
    pub async fn pull(
        &mut self,
        asks: &[Ask],
        now: Timestamp,
    ) -> Result<Vec<Result<Statement, FeedError>>, FeedError> {
        if self.tokens.lapsed(now) {
            self.client.renew(&mut self.tokens).await?;
        }
        let mut results = Vec::with_capacity(asks.len());
        for ask in asks {
            match self.pull_one(ask, Window::new(ask.start, now)).await {
                Err(e) if e.whole_link() => return Err(e),
                result => results.push(result),
            }
        }
        Ok(results)
    }

    /// The transactions of the window first (the first such request connects the account),
    /// then the balances.
    async fn pull_one(&self, ask: &Ask, window: Window) -> Result<Statement, FeedError> {
        let (client, tokens) = (&self.client, &self.tokens);
        let entries = client
            .transactions(tokens, &ask.key, window.start, window.end)
            .await?;
        let detailed = client.account(tokens, &ask.key).await?;
        Ok(Statement {
            currency: detailed
                .descriptor
                .currency
                .as_ref()
                .map(|c| c.currency_code.clone())
                .unwrap_or_default(),
            balance: balance(&detailed),
            available: detailed.available_balance,
            entries,
            next_start: window.next_start()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn a_window_runs_from_its_start_to_today_and_the_next_starts_at_its_end() {
        let now = ts("2024-03-10T15:00:00Z");
        let first = Window::new(ts("2024-03-01T00:00:00Z"), now);
        assert_eq!(
            (first.start, first.end),
            (day("2024-03-01"), day("2024-03-10"))
        );
        let next = first.next_start().unwrap();
        assert_eq!(next, ts("2024-03-10T00:00:00Z"));
        let later = Window::new(next, ts("2024-03-12T18:00:00Z"));
        assert_eq!(
            (later.start, later.end),
            (day("2024-03-10"), day("2024-03-12"))
        );
    }

    #[test]
    fn today_is_the_date_every_time_zone_has_reached() {
        // 05:00 UTC is still the 9th in the Americas: the window must not end on the 10th.
        let early = Window::new(ts("2024-03-01T00:00:00Z"), ts("2024-03-10T05:00:00Z"));
        assert_eq!(early.end, day("2024-03-09"));
        // A start chosen today is kept; the window never runs backwards.
        let today = Window::new(ts("2024-03-10T00:00:00Z"), ts("2024-03-10T05:00:00Z"));
        assert_eq!(
            (today.start, today.end),
            (day("2024-03-10"), day("2024-03-10"))
        );
    }
}
