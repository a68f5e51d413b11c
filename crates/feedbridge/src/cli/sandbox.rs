//! `feedbridge sandbox`: the sandbox accounting platform alone, against a Feedbridge OFX feed.

use std::net::SocketAddr;

use anyhow::Context;
use clap::Args;
use tokio::net::TcpListener;

use super::io::{out, shutdown_signal};
use crate::config::LogFormat;

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// The institution's OFX endpoint, e.g. http://127.0.0.1:8080/ofx.
    #[arg(long)]
    pub feed_url: String,
    /// Address to bind; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:8090")]
    pub listen: SocketAddr,
}

/// Serves the sandbox until Ctrl-C or SIGTERM.
pub async fn run(args: SandboxArgs) -> anyhow::Result<()> {
    crate::telemetry::init(LogFormat::Text);
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
