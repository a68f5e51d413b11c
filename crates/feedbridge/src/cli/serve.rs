//! `feedbridge serve` and `feedbridge migrate`: run the server, or bring the database's schema up
//! to date and exit.

use std::net::SocketAddr;

use clap::Args;

use super::io::{out, shutdown_signal, start_server, Storage};
use crate::config::Overrides;

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

/// Serves until Ctrl-C or SIGTERM, then lets requests in flight finish.
pub async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let config = args.storage.configure(Overrides {
        listen: args.listen,
        public_url: args.public_url.clone(),
        ..Overrides::default()
    })?;
    let running = start_server(&config).await?;
    out(&format!("listening on http://{}", running.addr))?;
    tracing::info!(public_url = %running.base_url, "Feedbridge is serving");
    shutdown_signal().await;
    tracing::info!("stopping");
    running.stop().await;
    Ok(())
}

/// Opening the store applies pending migrations; nothing else is started.
pub async fn migrate(storage: Storage) -> anyhow::Result<()> {
    let config = storage.configure(Overrides::default())?;
    crate::app::open_store(&config).await?;
    tracing::info!("migrations applied");
    Ok(())
}
