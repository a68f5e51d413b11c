//! The command line: `serve`, `migrate`, `apikey`, `webhook`, `recipient`, `keys`, `openapi`,
//! `config`, `sandbox`, `demo`.
//!
//! Lines meant for scripts (`listening on …`, a new key) go to standard output; everything else is
//! logged to standard error.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use tokio::net::TcpListener;

use feedbridge_store::{ApiKeyId, ClientId};

use crate::clock::SystemClock;
use crate::config::{Config, Overrides, EXAMPLE};

/// Feedbridge: self-hosted bank feeds for QuickBooks Online, speaking Codat's Bank Feeds API.
#[derive(Debug, Parser)]
#[command(name = "feedbridge", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server.
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate(Storage),
    /// Manage API keys.
    Apikey {
        #[command(subcommand)]
        action: ApiKeyAction,
    },
    /// Manage webhook endpoints and deliveries.
    Webhook {
        #[command(subcommand)]
        action: crate::webhooks::cli::WebhookAction,
    },
    /// Manage the data recipients that may sign users in through OpenID Connect (FDX).
    Recipient {
        #[command(subcommand)]
        action: crate::oauth_cli::RecipientAction,
    },
    /// Manage the keys that sign OpenID Connect tokens.
    Keys {
        #[command(subcommand)]
        action: crate::oauth_cli::KeysAction,
    },
    /// Print the OpenAPI document of the client API (or, with --fdx, of `/fdx/v6`).
    Openapi {
        /// The FDX API's document instead.
        #[arg(long)]
        fdx: bool,
    },
    /// Print an annotated example configuration file.
    Config,
    /// Run the sandbox accounting platform against a Feedbridge OFX feed.
    Sandbox(SandboxArgs),
    /// Run the server and the sandbox together on fresh temporary storage, with demo data.
    Demo(crate::demo::DemoArgs),
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// The institution's OFX endpoint, e.g. http://127.0.0.1:8080/ofx.
    #[arg(long)]
    pub feed_url: String,
    /// Address to bind; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:8090")]
    pub listen: SocketAddr,
}

/// Where the data lives; shared by every command that opens the database.
#[derive(Debug, Clone, Args)]
pub struct Storage {
    /// TOML configuration file.
    #[arg(long, env = "FEEDBRIDGE_CONFIG")]
    pub config: Option<PathBuf>,
    /// Directory for the SQLite database and the secret key.
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// `sqlite://PATH` or `postgres://…`.
    #[arg(long)]
    pub database_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub storage: Storage,
    /// Address to bind; port 0 picks a free one.
    #[arg(long)]
    pub listen: Option<SocketAddr>,
    /// Externally visible base URL used in links.
    #[arg(long)]
    pub public_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ApiKeyAction {
    /// Create a key: for a new client named NAME, or for an existing client (rotation).
    Create {
        #[arg(long)]
        name: String,
        /// Add the key to this existing client instead of creating one.
        #[arg(long)]
        client: Option<ClientId>,
        #[command(flatten)]
        storage: Storage,
    },
    /// List keys (never the keys themselves).
    List {
        #[command(flatten)]
        storage: Storage,
    },
    /// Revoke a key by its id.
    Revoke {
        id: ApiKeyId,
        #[command(flatten)]
        storage: Storage,
    },
}

impl Storage {
    pub(crate) fn load(&self, extra: Overrides) -> anyhow::Result<Config> {
        let overrides = Overrides {
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
            ..extra
        };
        Config::load(self.config.as_deref(), &overrides)
    }
}

/// Runs a parsed command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve(args).await,
        Command::Migrate(storage) => {
            let config = storage.load(Overrides::default())?;
            crate::telemetry::init(config.log_format == "json");
            crate::app::open_store(&config).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Apikey { action } => apikey(action).await,
        Command::Webhook { action } => {
            let services = command_services(action.storage()).await?;
            crate::webhooks::cli::run(&services, action).await
        }
        Command::Recipient { action } => {
            let services = command_services(action.storage()).await?;
            crate::oauth_cli::recipient(&services, action).await
        }
        Command::Keys { action } => {
            let services = command_services(action.storage()).await?;
            crate::oauth_cli::keys(&services, action).await
        }
        Command::Openapi { fdx } => {
            let doc = if fdx {
                crate::http::fdx::document()
            } else {
                crate::http::api::document()
            };
            out(&doc.to_pretty_json()?)
        }
        Command::Config => out(EXAMPLE),
        Command::Sandbox(args) => sandbox(args).await,
        Command::Demo(args) => crate::demo::run(args).await,
    }
}

async fn sandbox(args: SandboxArgs) -> anyhow::Result<()> {
    crate::telemetry::init(false);
    let listener = TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("binding {}", args.listen))?;
    let config = feedbridge_sandbox::SandboxConfig::new(args.feed_url);
    let running = feedbridge_sandbox::start(listener, config).await?;
    out(&format!("sandbox: {}", running.url))?;
    shutdown_signal().await;
    running.stop().await;
    Ok(())
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let config = args.storage.load(Overrides {
        listen: args.listen,
        public_url: args.public_url.clone(),
        ..Overrides::default()
    })?;
    crate::telemetry::init(config.log_format == "json");
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("binding {}", config.listen))?;
    let running = crate::app::start(&config, listener, Arc::new(SystemClock)).await?;
    out(&format!("listening on http://{}", running.addr))?;
    tracing::info!(public_url = %running.base_url, "Feedbridge is serving");
    tokio::select! {
        () = shutdown_signal() => {
            tracing::info!("stopping");
            running.stop().await;
        }
    }
    Ok(())
}

async fn apikey(action: ApiKeyAction) -> anyhow::Result<()> {
    let storage = match &action {
        ApiKeyAction::Create { storage, .. }
        | ApiKeyAction::List { storage }
        | ApiKeyAction::Revoke { storage, .. } => storage,
    };
    let config = storage.load(Overrides::default())?;
    crate::telemetry::init(config.log_format == "json");
    let services =
        crate::app::services(&config, Arc::new(SystemClock), config.public_url.clone()).await?;
    match action {
        ApiKeyAction::Create { name, client, .. } => {
            let issued = match client {
                Some(client) => services.add_api_key(client, &name).await?,
                None => services.create_client(&name).await?,
            };
            out(&format!("client: {}", issued.key.client_id))?;
            out(&format!("key id: {}", issued.key.id))?;
            out("Keep this key now: it is not stored and cannot be shown again.")?;
            out(&issued.plaintext)
        }
        ApiKeyAction::List { .. } => {
            for key in services.store.list_api_keys().await? {
                let state = if key.revoked.is_some() {
                    "revoked"
                } else {
                    "active"
                };
                out(&format!(
                    "{}\t{}\t{}\t{}\t{}",
                    key.id, key.client_id, key.name, key.created, state
                ))?;
            }
            Ok(())
        }
        ApiKeyAction::Revoke { id, .. } => {
            services.revoke_api_key(id).await?;
            out(&format!("revoked {id}"))
        }
    }
}

/// The services of a one-off command on `storage`, with logging set up.
async fn command_services(storage: &Storage) -> anyhow::Result<crate::domain::Services> {
    let config = storage.load(Overrides::default())?;
    crate::telemetry::init(config.log_format == "json");
    crate::app::services(&config, Arc::new(SystemClock), config.public_url.clone()).await
}

/// Writes one line to standard output and flushes it, so a reading script sees it at once.
pub fn out(line: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}")?;
    stdout.flush()?;
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
