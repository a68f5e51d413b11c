//! Webhook delivery, the infrastructure under the domain's endpoints and outbox: how a delivery is
//! signed ([`signing`]), one attempt ([`sender`]) and the worker that retries on a schedule
//! ([`worker`]). Where a webhook may go is a rule of the domain (`domain::webhooks::target`).

pub mod sender;
pub mod signing;
pub mod worker;
