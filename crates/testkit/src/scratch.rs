//! One PostgreSQL database per test or run, created next to the database of an admin URL and
//! dropped afterwards, so runs never see each other's rows and leave nothing behind.

use std::io::Write;

use sqlx::{Connection, PgConnection};

/// The environment variable naming the PostgreSQL server tests may create databases on, as the
/// URL of a database its user can connect to (`scripts/test-all` sets it when one answers).
pub const PG_ENV: &str = "FEEDBRIDGE_TEST_PG";

/// The admin URL from [`PG_ENV`]. Outside CI an unset variable is `None`, after saying on stderr
/// that `what` is skipped; with `CI=true` it panics, since CI must run every PostgreSQL test.
pub fn admin_url(what: &str) -> Option<String> {
    match std::env::var(PG_ENV) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
            assert!(!ci, "{PG_ENV} must be set when CI=true");
            // Written to the stream itself: the test harness swallows `eprintln!` output.
            let _ = writeln!(std::io::stderr(), "skipping {what}: {PG_ENV} unset");
            None
        }
    }
}

/// A database made for one test or run. [`Scratch::remove`] drops it and reports failure; a
/// scratch dropped without that is removed on a thread of its own, so a failing test's
/// database goes too.
pub struct Scratch {
    admin_url: String,
    name: String,
    url: String,
    removed: bool,
}

impl Scratch {
    /// Creates `{prefix}_{random}` on the server of `admin_url`.
    pub async fn create(admin_url: &str, prefix: &str) -> Result<Self, sqlx::Error> {
        let (base, _) = admin_url.rsplit_once('/').ok_or_else(|| {
            sqlx::Error::Configuration(format!("{admin_url} names no database").into())
        })?;
        let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(admin_url).await?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await?;
        Ok(Self {
            url: format!("{base}/{name}"),
            admin_url: admin_url.to_owned(),
            name,
            removed: false,
        })
    }

    /// The URL a server or store reaches the database at.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Drops the database, closing whatever connections a stopped or killed server left open.
    pub async fn remove(mut self) -> Result<(), sqlx::Error> {
        self.removed = true;
        drop_database(&self.admin_url, &self.name).await
    }
}

async fn drop_database(admin_url: &str, name: &str) -> Result<(), sqlx::Error> {
    let mut admin = PgConnection::connect(admin_url).await?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await?;
    Ok(())
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if self.removed {
            return;
        }
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop may run inside an async runtime, which cannot be blocked on from within: the
        // removal gets a thread and a small runtime of its own.
        let removal = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime
                .block_on(drop_database(&admin_url, &name))
                .map_err(std::io::Error::other)
        });
        let outcome = removal.join();
        if !matches!(outcome, Ok(Ok(()))) {
            let _ = writeln!(
                std::io::stderr(),
                "could not drop the scratch database {}: {outcome:?}",
                self.name
            );
        }
    }
}
