//! Logging set up once: an `EnvFilter` with a quiet default, a JSON switch for production, and a
//! redacting writer under both so a secret that slips into a log line never reaches the output.

mod redact;

use std::io::IsTerminal;

use redact::Redacting;

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Installs the global subscriber; logs go to standard error so standard output stays for the
/// lines scripts read (`listening on …`, a new API key).
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,hyper=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        // Colour only on a terminal: escape codes in a log file break every search of it.
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(Redacting(std::io::stderr));
    // A second init (tests, or a demo that starts two services) keeps the first subscriber.
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}
