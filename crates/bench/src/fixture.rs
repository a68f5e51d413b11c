//! The statement fixture's shape and its tenants. `N` transactions are spread over connected
//! accounts of 10,000 transactions each (at most 1,000 accounts), dated over as many days as it
//! takes for a [`WINDOW_DAYS`] statement to hold [`PAGE_ROWS`] rows. Each account has its own
//! company, connection and credentials, created through the services as the API would; only the
//! transactions are written straight into the database (see `load`).

use feedbridge::domain::companies::CompanyInput;
use feedbridge::domain::Services;
use feedbridge_store::{AccountShape, AccountStatus, ConnectionId, SourceAccount, SourceAccountId};
use futures::{StreamExt, TryStreamExt};
use jiff::civil::Date;
use jiff::ToSpan;

/// The date range a statement asks for: the last 30 days.
pub const WINDOW_DAYS: i64 = 30;
/// Rows a statement of [`WINDOW_DAYS`] returns (the 500-row page of the performance notes).
pub const PAGE_ROWS: usize = 500;
const PER_ACCOUNT: usize = 10_000;
const MAX_ACCOUNTS: usize = 1_000;
/// Tenants created at once, so the store's group commit has something to group.
const PARALLEL: usize = 32;

/// How the transactions are spread.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub accounts: usize,
    pub per_account: usize,
    /// Days covered by each account's history, ending yesterday.
    pub span_days: i64,
}

impl Shape {
    pub fn new(transactions: usize) -> Self {
        let accounts = transactions.div_ceil(PER_ACCOUNT).clamp(1, MAX_ACCOUNTS);
        let per_account = transactions / accounts;
        let span = per_account as i64 * WINDOW_DAYS / PAGE_ROWS as i64;
        Self {
            accounts,
            per_account,
            span_days: span.max(WINDOW_DAYS),
        }
    }

    pub fn total(&self) -> usize {
        self.accounts * self.per_account
    }
}

/// One connected account and the credentials that read it.
#[derive(Debug, Clone)]
pub struct Account {
    pub connection: ConnectionId,
    pub id: String,
    pub username: String,
    pub password: String,
}

/// Creates the shape's accounts, each connected since its first transaction's day.
pub async fn tenants(services: &Services, shape: Shape) -> anyhow::Result<Vec<Account>> {
    let client = services.create_client("Bench").await?.key.client_id;
    let first_day = services.today() - shape.span_days.days();
    let mut accounts: Vec<Account> = futures::stream::iter(0..shape.accounts)
        .map(|n| tenant(services, client, n, first_day))
        .buffer_unordered(PARALLEL)
        .try_collect()
        .await?;
    // Loading in key order keeps every index insertion an append.
    accounts.sort_by_key(|a| a.connection.to_string());
    Ok(accounts)
}

async fn tenant(
    services: &Services,
    client: feedbridge_store::ClientId,
    n: usize,
    first_day: Date,
) -> anyhow::Result<Account> {
    let input = CompanyInput {
        name: Some(format!("Bench {n}")),
        description: None,
        tags: None,
    };
    let company = services.create_company(client, input).await?;
    let (company, conn) = services
        .create_connection(client, company.id, Some("hcws"))
        .await?;
    let id = format!("acc-{n:04}");
    let account = SourceAccount {
        connection_id: conn.id,
        id: SourceAccountId::parse(&id)?,
        shape: AccountShape::V2,
        account_name: Some(format!("Checking {n}")),
        account_type: Some("checking".into()),
        account_number: Some(format!("{:08}", 10_000_000 + n)),
        sort_code: None,
        currency: Some("USD".into()),
        balance: Some(rust_decimal::Decimal::new(250_000, 2)),
        routing_info: None,
        account_info: None,
        modified_date: None,
        status: AccountStatus::Connected,
        feed_start_date: Some(first_day),
        // Pulled just now, so the idle sweep leaves it connected.
        last_pulled: Some(services.now()),
        linked_credential: None,
        created: services.now(),
        feed_mark: services.now(),
    };
    for outcome in services
        .store_for_tests()
        .insert_source_accounts(&[account])
        .await?
    {
        outcome?;
    }
    let issued = services.generate_credentials(&company, &conn).await?;
    Ok(Account {
        connection: conn.id,
        id,
        username: issued.username,
        password: issued.password,
    })
}
