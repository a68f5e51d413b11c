//! The command line: `serve`, `migrate`, `apikey`, `webhook`, `recipient`, `keys`, `openapi`,
//! `config`, `sandbox`, `demo`.
//!
//! One file per command group; [`io`] holds what they share. Lines meant for scripts
//! (`listening on …`, a new key) go to standard output; everything else is logged to standard
//! error.

pub mod apikey;
pub mod demo;
pub mod io;
pub mod recipient;
pub mod sandbox;
pub mod serve;
pub mod webhook;

use clap::{Parser, Subcommand};

use crate::config::EXAMPLE;
use io::{out, Storage};

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
    Serve(serve::ServeArgs),
    /// Apply database migrations and exit.
    Migrate(Storage),
    /// Manage API keys.
    Apikey {
        #[command(subcommand)]
        action: apikey::ApiKeyAction,
    },
    /// Manage webhook endpoints and deliveries.
    Webhook {
        #[command(subcommand)]
        action: webhook::WebhookAction,
    },
    /// Manage the data recipients that may sign users in through OpenID Connect (FDX).
    Recipient {
        #[command(subcommand)]
        action: recipient::RecipientAction,
    },
    /// Manage the keys that sign OpenID Connect tokens.
    Keys {
        #[command(subcommand)]
        action: recipient::KeysAction,
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
    Sandbox(sandbox::SandboxArgs),
    /// Run the server and the sandbox together on fresh temporary storage, with demo data.
    Demo(demo::DemoArgs),
}

/// Runs a parsed command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve::serve(args).await,
        Command::Migrate(storage) => serve::migrate(storage).await,
        Command::Apikey { action } => apikey::run(action).await,
        Command::Webhook { action } => webhook::run(action).await,
        Command::Recipient { action } => recipient::recipient(action).await,
        Command::Keys { action } => recipient::keys(action).await,
        Command::Openapi { fdx } => {
            let doc = if fdx {
                crate::http::fdx::document()
            } else {
                crate::http::api::document()
            };
            out(&doc.to_pretty_json()?)
        }
        Command::Config => out(EXAMPLE),
        Command::Sandbox(args) => sandbox::run(args).await,
        Command::Demo(args) => demo::run(args).await,
    }
}
