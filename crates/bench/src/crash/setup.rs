//! Before the first start: the storage the server will use (a SQLite file in a temporary
//! directory, or a PostgreSQL database made for the run), and the tenants with connected accounts
//! ready to take pushes, written through the services as an institution's setup would.

use std::sync::Arc;

use jiff::ToSpan;

use feedbridge::clock::SystemClock;
use feedbridge::domain::accounts::AccountInput;
use feedbridge::domain::companies::CompanyInput;
use feedbridge::domain::Services;
use feedbridge_store::AccountShape;
use feedbridge_testkit::{Scratch, PG_ENV};

use super::server::Target;
use super::workload::Tenant;
use super::BackendKind;
use crate::backend::PG_SECRET;
use crate::connect::connect;

/// The storage of one run, removed when the run ends.
pub struct Storage {
    pub target: Target,
    _dir: tempfile::TempDir,
    /// The PostgreSQL database to drop at the end.
    scratch: Option<Scratch>,
}

impl Storage {
    pub async fn create(backend: BackendKind) -> anyhow::Result<Self> {
        let dir = tempfile::tempdir()?;
        let mut target = Target {
            data_dir: dir.path().join("data"),
            database_url: String::new(),
            secret_key: String::new(),
        };
        let scratch = match backend {
            BackendKind::Sqlite => None,
            BackendKind::Postgres => {
                let admin = std::env::var(PG_ENV)
                    .map_err(|_| anyhow::anyhow!("--backend postgres needs {PG_ENV}"))?;
                let scratch = Scratch::create(&admin, "feedbridge_crash").await?;
                target.database_url = scratch.url().to_owned();
                target.secret_key = PG_SECRET.into();
                Some(scratch)
            }
        };
        Ok(Self {
            target,
            _dir: dir,
            scratch,
        })
    }

    /// The URL the oracle reads the database through.
    pub fn database_url(&self) -> String {
        self.target.config().database().as_str().to_owned()
    }

    pub fn is_sqlite(&self) -> bool {
        self.scratch.is_none()
    }

    /// Drops the PostgreSQL database, if the run made one.
    pub async fn remove(self) -> anyhow::Result<()> {
        if let Some(scratch) = self.scratch {
            scratch.remove().await?;
        }
        Ok(())
    }
}

/// Creates `clients` tenants, each with one company, connection and `accounts` connected source
/// accounts; answers them with the date the transactions carry.
pub async fn tenants(
    target: &Target,
    clients: usize,
    accounts: usize,
) -> anyhow::Result<(Vec<Tenant>, jiff::civil::Date)> {
    let config = target.config();
    let services =
        feedbridge::app::services(&config, Arc::new(SystemClock), "http://127.0.0.1:9".into())
            .await?;
    let mut out = Vec::with_capacity(clients);
    for n in 0..clients {
        out.push(tenant(&services, n, accounts).await?);
    }
    Ok((out, services.today() - 1.day()))
}

async fn tenant(services: &Services, n: usize, accounts: usize) -> anyhow::Result<Tenant> {
    use base64::Engine;
    let issued = services.create_client(&format!("Crash {n}")).await?;
    let client = issued.key.client_id;
    let company = CompanyInput {
        name: Some(format!("Crash Co {n}")),
        description: None,
        tags: None,
    };
    let company = services.create_company(client, company).await?.id;
    let (_, conn) = services
        .create_connection(client, company, Some("hcws"))
        .await?;
    let mut paths = Vec::with_capacity(accounts);
    for a in 0..accounts {
        let id = format!("acc-{a}");
        let input = AccountInput {
            shape: AccountShape::V1,
            id: Some(id.clone()),
            account_name: Some(format!("Checking {a}")),
            account_type: Some("checking".into()),
            account_number: Some(format!("1000{a}")),
            sort_code: None,
            currency: Some("USD".into()),
            balance: None,
            routing_info: None,
            account_info: None,
            modified_date: None,
        };
        services
            .create_source_account(client, company, conn.id, input)
            .await?;
        connect(services, conn.id, &id).await?;
        let path = format!(
            "/companies/{company}/connections/{}/push/bankAccounts/{id}/bankTransactions",
            conn.id
        );
        paths.push(((conn.id.to_string(), id), path));
    }
    let auth = base64::engine::general_purpose::STANDARD.encode(issued.plaintext);
    Ok(Tenant {
        auth: format!("Basic {auth}"),
        accounts: paths,
    })
}
