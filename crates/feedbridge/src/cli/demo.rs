//! `feedbridge demo`: the whole seed flow on one machine.
//!
//! It starts the server and the sandbox accounting platform on fresh temporary storage, plays the
//! institution through the real client API (a company, a connection, three source accounts), prints
//! what a newcomer needs, and keeps pushing a few realistic transactions to every connected account,
//! so the sandbox has something new to show on each Update. The sandbox pulls the OFX feed, or
//! with `--protocol fdx` the FDX API, registered as a data recipient of the demo server.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use base64::Engine;
use clap::Args;
use feedbridge_sandbox::{Protocol, Recipient};
use rand::seq::SliceRandom;
use rand::Rng;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use tokio::net::TcpListener;

use super::io::{out, shutdown_signal, start_server, Storage};
use super::sandbox::FeedProtocol;
use crate::app::Running;
use crate::config::Overrides;

/// How often the demo pushes new transactions.
const PUSH_EVERY: Duration = Duration::from_secs(30);

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub storage: Storage,
    /// Address of the Feedbridge server; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Address of the sandbox accounting platform; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:8090")]
    pub sandbox_listen: SocketAddr,
    /// The feed the sandbox pulls, as QuickBooks would.
    #[arg(long, value_enum, default_value_t = FeedProtocol::Ofx)]
    pub protocol: FeedProtocol,
}

/// The institution's side of the demo: its key and the objects it created.
struct Institution {
    http: reqwest::Client,
    base: String,
    auth: String,
    connection_path: String,
}

pub async fn run(args: DemoArgs) -> anyhow::Result<()> {
    let data = tempfile::tempdir().context("creating temporary storage")?;
    let config = args.storage.configure(Overrides {
        listen: Some(args.listen),
        data_dir: Some(data.path().to_path_buf()),
        database_url: Some(String::new()),
        ..Overrides::default()
    })?;
    let server = start_server(&config).await?;
    let sandbox_listener = TcpListener::bind(args.sandbox_listen)
        .await
        .with_context(|| format!("binding {}", args.sandbox_listen))?;
    let protocol = sandbox_protocol(args.protocol, &server, &sandbox_listener).await?;
    let sandbox = feedbridge_sandbox::start(
        sandbox_listener,
        feedbridge_sandbox::SandboxConfig::new(protocol),
    )
    .await?;

    let key = server
        .services
        .create_client("Demo institution")
        .await?
        .plaintext;
    let institution = Institution::set_up(format!("http://{}", server.addr), &key).await?;
    let link = institution.link_url().await?;
    out(&format!("link: {link}"))?;
    out(&format!("sandbox: {}", sandbox.url))?;
    out(&format!("api key: {key}"))?;
    out(&format!(
        "push a transaction:\n{}",
        institution.curl_example()
    ))?;

    let pushing = async {
        loop {
            tokio::time::sleep(PUSH_EVERY).await;
            if let Err(e) = institution.push_round().await {
                tracing::warn!(error = %e, "demo push failed");
            }
        }
    };
    tokio::select! {
        () = shutdown_signal() => {}
        () = pushing => {}
    }
    tracing::info!("stopping the demo");
    sandbox.stop().await;
    server.stop().await;
    Ok(())
}

/// How the sandbox reaches the demo server. Over FDX the sandbox becomes a data recipient whose
/// redirect URI is on its own address.
async fn sandbox_protocol(
    protocol: FeedProtocol,
    server: &Running,
    sandbox: &TcpListener,
) -> anyhow::Result<Protocol> {
    match protocol {
        FeedProtocol::Ofx => Ok(Protocol::Ofx {
            feed_url: format!("http://{}/ofx", server.addr),
        }),
        FeedProtocol::Fdx => {
            let redirect = feedbridge_sandbox::redirect_uri(sandbox.local_addr()?);
            let registered = server
                .services
                .add_recipient("Feedbridge Sandbox", &[redirect])
                .await?;
            Ok(Protocol::Fdx(Recipient {
                issuer: server.base_url.clone(),
                client_id: registered.recipient.id.to_string(),
                client_secret: registered.secret,
            }))
        }
    }
}

impl Institution {
    /// Creates the company, the connection and three source accounts through the client API.
    async fn set_up(base: String, key: &str) -> anyhow::Result<Self> {
        let auth = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(key)
        );
        let mut me = Self {
            http: reqwest::Client::new(),
            base,
            auth,
            connection_path: String::new(),
        };
        let company = me
            .call(
                "POST",
                "/companies",
                json!({"name": "Maple Street Bakery", "description": "Demo company"}),
            )
            .await?;
        let company = company["id"].as_str().context("company id")?.to_owned();
        let conn = me
            .call(
                "POST",
                &format!("/companies/{company}/connections"),
                json!({"platformKey": "hcws"}),
            )
            .await?;
        me.connection_path = format!(
            "/companies/{company}/connections/{}",
            conn["id"].as_str().context("connection id")?
        );
        let accounts = json!([
            {"id": "chk-001", "accountName": "Everyday Chequing", "accountType": "checking", "accountNumber": "4410023871", "currency": "USD", "balance": 2450.00},
            {"id": "sav-001", "accountName": "Business Savings", "accountType": "savings", "accountNumber": "4410098812", "currency": "USD", "balance": 10200.00},
            {"id": "cc-001", "accountName": "Business Visa", "accountType": "creditCard", "accountNumber": "4532000012349876", "currency": "USD", "balance": -325.40},
        ]);
        me.call(
            "POST",
            &format!(
                "{}/connectionInfo/bankFeedAccounts/batch",
                me.connection_path
            ),
            accounts,
        )
        .await?;
        Ok(me)
    }

    async fn call(&self, method: &str, path: &str, body: Value) -> anyhow::Result<Value> {
        let method = reqwest::Method::from_bytes(method.as_bytes())?;
        let mut req = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .header("authorization", &self.auth);
        if method != reqwest::Method::GET {
            req = req.json(&body);
        }
        let res = req.send().await?;
        let status = res.status();
        let text = res.text().await?;
        anyhow::ensure!(
            status.is_success(),
            "{method} {path} answered {status}: {text}"
        );
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn link_url(&self) -> anyhow::Result<String> {
        let conn = self.call("GET", &self.connection_path, Value::Null).await?;
        Ok(conn["linkUrl"].as_str().context("linkUrl")?.to_owned())
    }

    fn curl_example(&self) -> String {
        let today = jiff::Zoned::now().date();
        let body = json!({"accountId": "chk-001", "transactions": [{
            "id": format!("demo-{}", uuid::Uuid::new_v4().simple()),
            "date": format!("{today}T09:30:00"),
            "description": "Flour and sugar, Prairie Mills",
            "amount": -184.20,
            "transactionType": "Debit",
        }]});
        format!(
            "curl -s -X POST '{}{}/push/bankAccounts/chk-001/bankTransactions' -H 'Authorization: {}' -H 'Content-Type: application/json' -d '{}'",
            self.base, self.connection_path, self.auth, body
        )
    }

    /// Pushes one to three transactions to every connected account.
    async fn push_round(&self) -> anyhow::Result<()> {
        let accounts = self
            .call(
                "GET",
                &format!("{}/connectionInfo/bankFeedAccounts", self.connection_path),
                Value::Null,
            )
            .await?;
        for account in accounts.as_array().into_iter().flatten() {
            if account["status"] != "connected" {
                continue;
            }
            let id = account["id"].as_str().unwrap_or_default();
            let balance: Decimal = account["balance"].to_string().parse().unwrap_or_default();
            let body = json!({"accountId": id, "transactions": realistic(balance)});
            self.call(
                "POST",
                &format!(
                    "{}/push/bankAccounts/{id}/bankTransactions",
                    self.connection_path
                ),
                body,
            )
            .await?;
        }
        Ok(())
    }
}

/// A few of a bakery's everyday transactions, dated now, with a running balance.
fn realistic(mut balance: Decimal) -> Vec<Value> {
    const ITEMS: [(&str, i64); 8] = [
        ("Card sales, Square deposit", 128_450),
        ("Prairie Mills flour", -18_420),
        ("City Hydro", -9_315),
        ("Espresso machine service", -22_000),
        ("Wholesale order, Corner Cafe", 64_000),
        ("Packaging, BoxCo", -4_789),
        ("Payroll", -210_000),
        ("Catering deposit", 35_000),
    ];
    let mut rng = rand::thread_rng();
    let count = rng.gen_range(1..=3);
    let now = jiff::Zoned::now().datetime();
    ITEMS
        .choose_multiple(&mut rng, count)
        .map(|(description, cents)| {
            let amount = Decimal::new(*cents, 2);
            balance += amount;
            json!({
                "id": format!("demo-{}", uuid::Uuid::new_v4().simple()),
                "date": now.strftime("%Y-%m-%dT%H:%M:%S").to_string(),
                "description": description,
                "amount": amount,
                "balance": balance,
                "transactionType": if amount.is_sign_negative() { "Debit" } else { "Credit" },
            })
        })
        .collect()
}
