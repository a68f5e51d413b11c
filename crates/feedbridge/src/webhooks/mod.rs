//! Outbound webhooks: where they may go ([`target`]), how they are signed ([`signing`]), one
//! attempt ([`sender`]) and the worker that retries on a schedule ([`worker`]).

pub mod cli;
pub mod sender;
pub mod signing;
pub mod target;
pub mod worker;
