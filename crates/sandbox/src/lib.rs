//! Feedbridge's sandbox accounting platform: a small web app that plays QuickBooks Online's
//! part of the bank-feeds flow, so the whole journey can be walked without Intuit.
//!
//! It knows the institution only through one of its feeds over HTTP, as QuickBooks does:
//! OFX Direct Connect (it reads the institution's name from the OFX profile, signs on with the
//! one-time credentials, answers the authentication prompt, downloads statements) or FDX (it
//! reads the name from the OpenID Connect discovery document, sends the user to the
//! institution's hosted sign-in, redeems the code, reads accounts and transactions). The pages
//! and the bookkeeping are the same for both. State lives in memory for one sandbox user.

mod chart;
mod error;
mod fdx;
mod feed;
mod format;
mod ofx;
mod pages;
mod state;
#[cfg(test)]
mod test_support;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{oneshot, Mutex};
use tokio::task::JoinHandle;

use feed::Feed;
use state::Sandbox;

pub use fdx::Recipient;

/// Fictional institutions listed next to the feed's own, so picking it is a real choice.
pub const OTHER_INSTITUTIONS: [&str; 4] = [
    "Northwind Credit Union",
    "Contoso Bank",
    "Fabrikam Savings",
    "Woodgrove Bank",
];

/// Where the institution's hosted sign-in sends the browser back (FDX).
pub const CALLBACK_PATH: &str = "/fdx/callback";

/// The redirect URI of a sandbox listening on `addr`: what the institution registers for it.
pub fn redirect_uri(addr: SocketAddr) -> String {
    format!("http://{addr}{CALLBACK_PATH}")
}

/// Which feed the sandbox pulls, and where.
#[derive(Clone)]
pub enum Protocol {
    /// The institution's OFX endpoint, e.g. `http://127.0.0.1:8080/ofx`.
    Ofx { feed_url: String },
    /// The institution's OpenID Connect issuer and FDX API, as a registered recipient.
    Fdx(Recipient),
}

/// How to reach the institution and what else to list.
#[derive(Clone)]
pub struct SandboxConfig {
    pub protocol: Protocol,
    /// Names listed in the institution search besides the feed's institution; they cannot be
    /// linked.
    pub other_institutions: Vec<String>,
}

impl SandboxConfig {
    /// A configuration listing [`OTHER_INSTITUTIONS`] beside the feed's institution.
    pub fn new(protocol: Protocol) -> Self {
        SandboxConfig {
            protocol,
            other_institutions: OTHER_INSTITUTIONS.iter().map(|s| (*s).to_owned()).collect(),
        }
    }
}

/// Shared by every request handler.
pub(crate) struct App {
    pub feed: Feed,
    pub others: Vec<String>,
    pub state: Mutex<Sandbox>,
}

/// A sandbox started by [`start`].
pub struct Running {
    pub addr: SocketAddr,
    /// `http://ADDR`, the address to open in a browser.
    pub url: String,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
    profile: JoinHandle<()>,
}

impl Running {
    /// Stops serving and waits for requests in flight to finish.
    pub async fn stop(self) {
        self.profile.abort();
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

/// Starts the sandbox on `listener` (which may be bound to port 0). The institution's name is
/// read from the feed in the background, so the feed may start later.
pub async fn start(listener: TcpListener, config: SandboxConfig) -> anyhow::Result<Running> {
    let addr = listener.local_addr()?;
    let feed = match config.protocol {
        Protocol::Ofx { feed_url } => Feed::Ofx(ofx::Client::new(&feed_url)?),
        Protocol::Fdx(recipient) => {
            Feed::Fdx(Arc::new(fdx::Client::new(recipient, redirect_uri(addr))?))
        }
    };
    let app = Arc::new(App {
        feed,
        others: config.other_institutions,
        state: Mutex::new(Sandbox::default()),
    });
    let profile = tokio::spawn(learn_institution(app.clone()));
    let router = pages::router(app);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "sandbox server failed");
        }
    });
    Ok(Running {
        addr,
        url: format!("http://{addr}"),
        stop,
        task,
        profile,
    })
}

/// Reads the institution's name until the feed answers, backing off up to five seconds
/// between tries.
async fn learn_institution(app: Arc<App>) {
    let mut wait = Duration::from_millis(200);
    loop {
        if app.state.lock().await.institution.is_some() {
            return;
        }
        match app.feed.institution_name().await {
            Ok(name) => {
                app.state.lock().await.institution.get_or_insert(name);
                return;
            }
            Err(e) => tracing::debug!(error = %e, "the institution's name is not available yet"),
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(Duration::from_secs(5));
    }
}
