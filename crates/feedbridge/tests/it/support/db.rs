//! Where a test app keeps its data, chosen by `FEEDBRIDGE_TEST_BACKEND`: `sqlite` (the default)
//! puts a database file in a temporary directory; `postgres` creates a database of its own on the
//! server named by `FEEDBRIDGE_TEST_PG` and drops it when the app goes away.

use sqlx::{Connection, Executor, PgConnection, SqliteConnection};

use feedbridge::config::Config;
use feedbridge_testkit::{Scratch, PG_ENV};

/// The variable that picks the backend of every test app.
const BACKEND_ENV: &str = "FEEDBRIDGE_TEST_BACKEND";

/// The master secret of PostgreSQL runs, which need one (64 hex digits, fixed for tests only).
const PG_SECRET: &str = "5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed";

/// A test app's storage; removed when dropped.
pub struct Db {
    dir: tempfile::TempDir,
    scratch: Option<Scratch>,
}

/// Whether `FEEDBRIDGE_TEST_BACKEND` asks for PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var(BACKEND_ENV).as_deref() == Ok("postgres")
}

impl Db {
    /// The storage `FEEDBRIDGE_TEST_BACKEND` asks for.
    pub async fn create() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let scratch = match std::env::var(BACKEND_ENV).as_deref() {
            Ok("postgres") => {
                let admin = std::env::var(PG_ENV)
                    .unwrap_or_else(|_| panic!("{BACKEND_ENV}=postgres needs {PG_ENV}"));
                Some(Scratch::create(&admin, "feedbridge_it").await.unwrap())
            }
            Ok("sqlite") | Err(_) => None,
            Ok(other) => panic!("{BACKEND_ENV}={other}: use sqlite or postgres"),
        };
        Self { dir, scratch }
    }

    /// SQLite whatever the environment says, for what only the SQLite backend does.
    pub fn sqlite() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            scratch: None,
        }
    }

    /// The temporary directory: the data directory, and the SQLite file's home.
    pub fn path(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// Points `config` at this storage.
    pub fn configure(&self, config: &mut Config) {
        config.data_dir = self.dir.path().to_path_buf();
        if let Some(scratch) = &self.scratch {
            config.database_url = Some(scratch.url().parse().unwrap());
            config.secret_key = Some(PG_SECRET.parse().unwrap());
        }
    }

    /// Runs one statement on a connection of its own.
    pub async fn execute(&self, statement: &str) {
        match &self.scratch {
            Some(scratch) => {
                let mut db = PgConnection::connect(scratch.url()).await.unwrap();
                db.execute(statement).await.unwrap();
            }
            None => {
                let file = self.path().join("feedbridge.db");
                let url = format!("sqlite://{}", file.display());
                let mut db = SqliteConnection::connect(&url).await.unwrap();
                db.execute(statement).await.unwrap();
            }
        }
    }
}
