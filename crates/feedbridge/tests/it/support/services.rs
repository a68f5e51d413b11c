//! The services without a server, for rules tested below HTTP, and the setup steps tests share
//! at that level.

use std::sync::Arc;

use jiff::civil::Date;

use feedbridge::clock::ManualClock;
use feedbridge::config::Config;
use feedbridge::domain::Services;
use feedbridge_store::{AccountStatus, ConnectionId, Effects, SourceAccountId};
use feedbridge_store_sqlite::SqliteStore;

use super::db::Db;
use super::{new_client, Builder, Tenant};

/// The services of an instance that serves nothing, and its first client.
pub struct Domain {
    pub services: Services,
    pub client: Tenant,
    /// The services' clock, for rules about minutes and days.
    pub clock: ManualClock,
    db: Db,
}

impl Builder {
    /// The services alone, on the configured backend: no listener, no background work.
    pub async fn services_only(self) -> Domain {
        let db = Db::create().await;
        self.domain(db).await
    }

    /// The services alone on SQLite, with the store itself, for what only its writer does.
    pub async fn services_on_sqlite(self) -> (Domain, SqliteStore) {
        let mut domain = self.domain(Db::sqlite()).await;
        let url = format!(
            "sqlite://{}",
            domain.db.path().join("feedbridge.db").display()
        );
        let store = SqliteStore::open(&url).await.unwrap();
        domain.services = domain
            .services
            .with_store_for_tests(Arc::new(store.clone()));
        (domain, store)
    }

    async fn domain(self, db: Db) -> Domain {
        let Self {
            now, mut config, ..
        } = self;
        db.configure(&mut config);
        let clock = ManualClock::new(now);
        let services = services(&config, clock.clone()).await;
        let client = new_client(&services, "Tests").await;
        Domain {
            services,
            client,
            clock,
            db,
        }
    }
}

async fn services(config: &Config, clock: ManualClock) -> Services {
    // Links name a port nothing listens on: no test here follows them.
    let public_url = "http://127.0.0.1:9".to_owned();
    feedbridge::app::services(config, Arc::new(clock), public_url)
        .await
        .unwrap()
}

/// Marks a source account connected with `start` as its feed start date, as the feed does when
/// the accounting platform first downloads it.
pub async fn connect_account(services: &Services, conn: ConnectionId, id: &str, start: Date) {
    let id = SourceAccountId::parse(id).unwrap();
    let mut record = services
        .store_for_tests()
        .get_source_account(conn, &id)
        .await
        .unwrap();
    record.status = AccountStatus::Connected;
    record.feed_start_date = Some(start);
    services
        .store_for_tests()
        .update_source_accounts(&[record], None, Effects::none())
        .await
        .unwrap();
}
