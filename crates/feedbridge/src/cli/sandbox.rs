//! `feedbridge sandbox`: the sandbox accounting platform alone, against a Feedbridge OFX feed or
//! its FDX API.

use std::net::SocketAddr;

use anyhow::Context;
use clap::{Args, ValueEnum};
use feedbridge_sandbox::{Protocol, Recipient};
use tokio::net::TcpListener;

use super::io::{out, shutdown_signal};
use crate::config::LogFormat;

/// The feed the sandbox pulls, as QuickBooks would.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FeedProtocol {
    /// OFX Direct Connect (`--feed-url`).
    Ofx,
    /// FDX 6 with OpenID Connect sign-in (`--issuer`, `--client-id`, `--client-secret`).
    Fdx,
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Which feed to pull.
    #[arg(long, value_enum, default_value_t = FeedProtocol::Ofx)]
    pub protocol: FeedProtocol,
    /// OFX: the institution's OFX endpoint, e.g. http://127.0.0.1:8080/ofx.
    #[arg(long)]
    pub feed_url: Option<String>,
    /// FDX: the institution's public URL, its OpenID Connect issuer.
    #[arg(long)]
    pub issuer: Option<String>,
    /// FDX: the client_id `feedbridge recipient add` printed.
    #[arg(long)]
    pub client_id: Option<String>,
    /// FDX: the client_secret `feedbridge recipient add` printed.
    #[arg(long)]
    pub client_secret: Option<String>,
    /// Address to bind; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:8090")]
    pub listen: SocketAddr,
}

impl SandboxArgs {
    /// The protocol with its settings; a flag of the other protocol is an error, not ignored.
    fn protocol(self) -> anyhow::Result<Protocol> {
        match self.protocol {
            FeedProtocol::Ofx => {
                anyhow::ensure!(
                    self.issuer.is_none()
                        && self.client_id.is_none()
                        && self.client_secret.is_none(),
                    "--issuer, --client-id and --client-secret are for --protocol fdx"
                );
                let feed_url = self
                    .feed_url
                    .context("--feed-url is required with --protocol ofx")?;
                Ok(Protocol::Ofx { feed_url })
            }
            FeedProtocol::Fdx => {
                anyhow::ensure!(
                    self.feed_url.is_none(),
                    "--feed-url is for --protocol ofx; FDX needs --issuer"
                );
                let missing = |flag: &str| format!("{flag} is required with --protocol fdx");
                Ok(Protocol::Fdx(Recipient {
                    issuer: self.issuer.with_context(|| missing("--issuer"))?,
                    client_id: self.client_id.with_context(|| missing("--client-id"))?,
                    client_secret: self
                        .client_secret
                        .with_context(|| missing("--client-secret"))?,
                }))
            }
        }
    }
}

/// Serves the sandbox until Ctrl-C or SIGTERM.
pub async fn run(args: SandboxArgs) -> anyhow::Result<()> {
    crate::telemetry::init(LogFormat::Text);
    let listen = args.listen;
    let protocol = args.protocol()?;
    let listener = TcpListener::bind(listen)
        .await
        .with_context(|| format!("binding {listen}"))?;
    let fdx = matches!(protocol, Protocol::Fdx(_));
    let config = feedbridge_sandbox::SandboxConfig::new(protocol);
    let running = feedbridge_sandbox::start(listener, config).await?;
    out(&format!("sandbox: {}", running.url))?;
    if fdx {
        out(&format!(
            "redirect uri: {}",
            feedbridge_sandbox::redirect_uri(running.addr)
        ))?;
    }
    shutdown_signal().await;
    running.stop().await;
    Ok(())
}
