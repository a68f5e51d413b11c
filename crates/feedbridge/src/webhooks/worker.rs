//! The delivery worker: claims due deliveries, sends each signed, and schedules the next attempt.
//!
//! Attempts follow the Svix schedule (immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and
//! 10 h after the previous attempt, about 28 hours in all); after the eighth failure the delivery
//! is `failed` until redelivered by hand. Time comes from the [`crate::clock::Clock`], so tests
//! drive the schedule with [`deliver_due`] and a manual clock.

use std::time::Duration;

use futures::future::join_all;
use jiff::{SignedDuration, Timestamp};
use tokio::task::JoinHandle;

use feedbridge_store::{AttemptOutcome, ClaimedDelivery, DeliveryStatus};

use super::sender::{send, Sent};
use crate::domain::{DomainResult, Services};

/// The wait before each retry: entry `n` is the delay after the `n`-th attempt.
pub const RETRY_DELAYS: [SignedDuration; 7] = [
    SignedDuration::from_secs(5),
    SignedDuration::from_secs(5 * 60),
    SignedDuration::from_secs(30 * 60),
    SignedDuration::from_secs(2 * 3600),
    SignedDuration::from_secs(5 * 3600),
    SignedDuration::from_secs(10 * 3600),
    SignedDuration::from_secs(10 * 3600),
];
/// Attempts in all: the immediate one and one per retry delay.
pub const MAX_ATTEMPTS: u32 = RETRY_DELAYS.len() as u32 + 1;
/// Longest wait a receiver's `Retry-After` can impose.
pub const RETRY_AFTER_CAP: SignedDuration = SignedDuration::from_secs(3600);
/// How long a claim is held: longer than an attempt's timeout, so a live attempt keeps it.
const LEASE: SignedDuration = SignedDuration::from_secs(60);
/// Deliveries claimed per round.
const BATCH: u32 = 100;
/// How often the background loop looks for due deliveries.
const POLL: Duration = Duration::from_millis(500);

/// When the attempt after `attempts` failed ones may run, or `None` when none is left.
pub fn next_attempt(
    attempts: u32,
    at: Timestamp,
    retry_after: Option<SignedDuration>,
) -> Option<Timestamp> {
    let delay = *RETRY_DELAYS.get(usize::try_from(attempts).ok()?.checked_sub(1)?)?;
    let wait = retry_after.map_or(delay, |r| delay.max(r.min(RETRY_AFTER_CAP)));
    at.checked_add(wait).ok()
}

/// Sends every delivery due now, waits for the answers, and returns how many were attempted.
pub async fn deliver_due(services: &Services) -> DomainResult<usize> {
    let claimed = services.claim_due_deliveries(LEASE, BATCH).await?;
    let count = claimed.len();
    let results = join_all(claimed.into_iter().map(|c| attempt(services, c))).await;
    results.into_iter().collect::<DomainResult<Vec<()>>>()?;
    Ok(count)
}

async fn attempt(services: &Services, claimed: ClaimedDelivery) -> DomainResult<()> {
    let allow_private = services.settings.webhooks.allow_private_targets;
    let sent = send(&claimed, services.now(), allow_private).await;
    let at = services.now();
    let outcome = outcome(sent, claimed.delivery.attempts + 1, at);
    services.record_attempt(claimed.delivery.id, &outcome).await
}

/// What an attempt made at `at`, the `attempts`-th, is recorded as.
fn outcome(sent: Sent, attempts: u32, at: Timestamp) -> AttemptOutcome {
    match sent {
        Sent::Ok(code) => AttemptOutcome {
            at,
            status: DeliveryStatus::Delivered,
            next_attempt: None,
            status_code: Some(code),
            error: None,
        },
        Sent::Failed {
            code,
            error,
            retry_after,
        } => {
            // 410 Gone says the receiver will never want this: stop retrying at once.
            let gone = code == Some(410);
            let next = next_attempt(attempts, at, retry_after).filter(|_| !gone);
            AttemptOutcome {
                at,
                status: if next.is_some() {
                    DeliveryStatus::Pending
                } else {
                    DeliveryStatus::Failed
                },
                next_attempt: next,
                status_code: code,
                error: Some(error),
            }
        }
    }
}

/// Runs [`deliver_due`] in the background until the task is aborted.
pub fn spawn(services: Services) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(POLL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let round = services.clone();
            // Each round runs apart, so a slow receiver does not hold up the next claims.
            tokio::spawn(async move {
                if let Err(e) = deliver_due(&round).await {
                    tracing::error!(error = %e, "webhook delivery round failed");
                }
            });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_runs_out_after_eight_attempts() {
        let t0 = Timestamp::UNIX_EPOCH;
        assert_eq!(next_attempt(0, t0, None), None);
        assert_eq!(
            next_attempt(1, t0, None),
            Some(t0 + SignedDuration::from_secs(5))
        );
        assert_eq!(
            next_attempt(7, t0, None),
            Some(t0 + SignedDuration::from_secs(36_000))
        );
        assert_eq!(next_attempt(MAX_ATTEMPTS, t0, None), None);
    }

    #[test]
    fn retry_after_lengthens_but_is_capped() {
        let t0 = Timestamp::UNIX_EPOCH;
        let wait = |r: i64| next_attempt(1, t0, Some(SignedDuration::from_secs(r)));
        assert_eq!(wait(120), Some(t0 + SignedDuration::from_secs(120)));
        assert_eq!(wait(1), Some(t0 + SignedDuration::from_secs(5)));
        assert_eq!(wait(86_400), Some(t0 + RETRY_AFTER_CAP));
    }
}
