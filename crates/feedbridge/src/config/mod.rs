//! One typed configuration: defaults in code, then a TOML file, then `FEEDBRIDGE_*` environment
//! variables, then command-line flags. Settings that are more than text are parsed as it loads
//! ([`values`]); the rest is validated once at start-up. Its `Debug` output never shows a secret.

mod values;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::keys::SecretKey;
use values::{iana_time_zone, optional_text};
pub use values::{DatabaseUrl, LogFormat};

/// The annotated example printed by `feedbridge config`.
pub const EXAMPLE: &str = include_str!("../../feedbridge.example.toml");

/// Every setting of a Feedbridge instance.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address the HTTP server binds; port 0 picks a free port.
    pub listen: SocketAddr,
    /// Where the SQLite database and the generated secret key live.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; empty (`None`) means the SQLite file in `data_dir`.
    #[serde(with = "optional_text")]
    pub database_url: Option<DatabaseUrl>,
    /// The externally visible base URL; empty means the address actually bound.
    pub public_url: String,
    /// The 32-byte secret every instance shares, written as 64 hex characters; empty (`None`)
    /// means the key file in `data_dir`.
    #[serde(with = "optional_text")]
    pub secret_key: Option<SecretKey>,
    /// How long a link stays valid, in seconds (at most 3600).
    pub link_ttl: u64,
    /// IANA time zone of the institution, for "today" in push validation.
    #[serde(with = "iana_time_zone")]
    pub time_zone: TimeZone,
    /// `text` or `json` logs.
    pub log_format: LogFormat,
    pub institution: Institution,
    pub feed: Feed,
    pub webhooks: Webhooks,
    pub limits: Limits,
}

/// How the institution presents itself in the Link UI and the feed.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Institution {
    pub name: String,
    /// A URL, or a file path served by Feedbridge itself.
    pub logo: String,
    pub support_contact: String,
    pub callout_title: String,
    pub callout_body: String,
    pub callout_title_fr: String,
    pub callout_body_fr: String,
    /// The OFX `BANKID` (routing number) sent in account information.
    pub bank_id: String,
    /// The `INTU.BID` written into Web Connect files.
    pub intu_bid: String,
}

/// OFX feed behaviour.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Feed {
    /// Ask for the confirmation code on the first sign-on with a new credential pair.
    pub authentication_prompt: bool,
    /// Days without a statement download after which an account becomes disconnected.
    pub disconnect_after_days: u32,
    /// How long a consent given to an FDX data recipient lasts, in days.
    pub consent_days: u32,
}

/// Webhook delivery.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Webhooks {
    /// Allow endpoints on private, loopback or link-local addresses (local testing only).
    pub allow_private_targets: bool,
}

/// Request limits of the client API.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Client API requests one client may make per minute, counted by each instance on its own.
    pub requests_per_minute: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            requests_per_minute: 6000,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("feedbridge-data"),
            database_url: None,
            public_url: String::new(),
            secret_key: None,
            link_ttl: 3600,
            time_zone: TimeZone::UTC,
            log_format: LogFormat::Text,
            institution: Institution::default(),
            feed: Feed::default(),
            webhooks: Webhooks::default(),
            limits: Limits::default(),
        }
    }
}

impl Default for Institution {
    fn default() -> Self {
        Self {
            name: "Feedbridge Bank".into(),
            logo: String::new(),
            support_contact: String::new(),
            callout_title: String::new(),
            callout_body: String::new(),
            callout_title_fr: String::new(),
            callout_body_fr: String::new(),
            bank_id: "000000000".into(),
            intu_bid: "00000".into(),
        }
    }
}

impl Default for Feed {
    fn default() -> Self {
        Self {
            authentication_prompt: true,
            disconnect_after_days: 10,
            consent_days: 365,
        }
    }
}

/// Flags given on the command line; each overrides every other source.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
}

/// Sections whose environment variables nest: `FEEDBRIDGE_INSTITUTION_NAME` → `institution.name`.
const SECTIONS: [&str; 4] = ["institution", "feed", "webhooks", "limits"];

impl Config {
    /// Loads the layered configuration and validates it.
    pub fn load(file: Option<&Path>, overrides: &Overrides) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = file {
            anyhow::ensure!(
                path.exists(),
                "configuration file {} not found",
                path.display()
            );
            figment = figment.merge(Toml::file(path));
        }
        let (text, other) = known_keys();
        warn_unknown_env(&text, &other);
        let env = Env::prefixed("FEEDBRIDGE_")
            .map(|key| nest(key.as_str()).into())
            .filter(move |key| other.iter().any(|k| k == key.as_str()));
        figment = figment.merge(env);
        // Text settings are taken verbatim: parsed, `021000021` would become the number 21000021.
        for (name, value) in std::env::vars() {
            if let Some(key) = name
                .strip_prefix("FEEDBRIDGE_")
                .map(nest)
                .filter(|k| text.contains(k))
            {
                figment = figment.merge(Serialized::default(&key, value));
            }
        }
        let config: Config = figment
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
        config.validate()?;
        Ok(config)
    }

    /// Refuses settings that would make the service misbehave, with a message naming the setting.
    pub fn validate(&self) -> anyhow::Result<()> {
        let i = &self.institution;
        for (name, text, max) in [
            ("institution.callout_title", &i.callout_title, 50),
            ("institution.callout_title_fr", &i.callout_title_fr, 50),
            ("institution.callout_body", &i.callout_body, 150),
            ("institution.callout_body_fr", &i.callout_body_fr, 150),
        ] {
            let len = text.chars().count();
            anyhow::ensure!(
                len <= max,
                "{name} is {len} characters long; at most {max} are allowed"
            );
        }
        anyhow::ensure!(
            !i.name.trim().is_empty(),
            "institution.name must not be empty"
        );
        anyhow::ensure!(
            (1..=3600).contains(&self.link_ttl),
            "link_ttl must be between 1 and 3600 seconds (links never live longer than an hour)"
        );
        let url = self.public_url.trim_end_matches('/');
        anyhow::ensure!(
            url.is_empty() || url.starts_with("http://") || url.starts_with("https://"),
            "public_url must start with http:// or https://"
        );
        anyhow::ensure!(
            self.feed.disconnect_after_days >= 1,
            "feed.disconnect_after_days must be at least 1"
        );
        anyhow::ensure!(
            (1..=3650).contains(&self.feed.consent_days),
            "feed.consent_days must be between 1 and 3650"
        );
        anyhow::ensure!(
            self.limits.requests_per_minute >= 1,
            "limits.requests_per_minute must be at least 1"
        );
        Ok(())
    }

    /// The database actually used: the configured one, or the SQLite file in `data_dir`.
    pub fn database(&self) -> DatabaseUrl {
        self.database_url
            .clone()
            .unwrap_or_else(|| DatabaseUrl::in_data_dir(&self.data_dir))
    }
}

/// Every setting's dotted name (`listen`, `institution.name`, …), read off the defaults and split
/// into text settings and the others.
fn known_keys() -> (Vec<String>, Vec<String>) {
    let mut flat = Vec::new();
    if let Ok(serde_json::Value::Object(top)) = serde_json::to_value(Config::default()) {
        for (key, value) in top {
            match value {
                serde_json::Value::Object(section) => {
                    flat.extend(
                        section
                            .into_iter()
                            .map(|(sub, v)| (format!("{key}.{sub}"), v)),
                    );
                }
                other => flat.push((key, other)),
            }
        }
    }
    let (text, other): (Vec<_>, Vec<_>) = flat.into_iter().partition(|(_, v)| v.is_string());
    let names = |list: Vec<(String, serde_json::Value)>| list.into_iter().map(|(k, _)| k).collect();
    (names(text), names(other))
}

/// Other tools share the `FEEDBRIDGE_` prefix (`FEEDBRIDGE_CONFIG`, test harness variables), so an
/// unknown variable is reported rather than refused; a typo then shows up in the first lines.
fn warn_unknown_env(text: &[String], other: &[String]) {
    for (name, _) in std::env::vars() {
        let Some(rest) = name.strip_prefix("FEEDBRIDGE_") else {
            continue;
        };
        let key = nest(rest);
        if rest != "CONFIG" && !text.contains(&key) && !other.contains(&key) {
            eprintln!("feedbridge: ignoring unknown setting {name}");
        }
    }
}

fn nest(key: &str) -> String {
    let key = key.to_ascii_lowercase();
    for section in SECTIONS {
        if let Some(rest) = key.strip_prefix(section).and_then(|r| r.strip_prefix('_')) {
            return format!("{section}.{rest}");
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_environment_names_map_to_sections() {
        assert_eq!(nest("INSTITUTION_NAME"), "institution.name");
        assert_eq!(
            nest("WEBHOOKS_ALLOW_PRIVATE_TARGETS"),
            "webhooks.allow_private_targets"
        );
        assert_eq!(nest("DATA_DIR"), "data_dir");
    }

    #[test]
    fn long_callouts_are_refused_with_the_setting_named() {
        let mut config = Config::default();
        config.institution.callout_title = "x".repeat(51);
        let err = config.validate().unwrap_err().to_string();
        assert!(err.contains("institution.callout_title"), "{err}");
        config.institution.callout_title = "é".repeat(50);
        config.validate().unwrap();
    }

    #[test]
    fn link_ttl_can_shorten_but_never_lengthen() {
        let long = Config {
            link_ttl: 3601,
            ..Config::default()
        };
        assert!(long.validate().is_err());
        let short = Config {
            link_ttl: 600,
            ..Config::default()
        };
        short.validate().unwrap();
    }

    #[test]
    #[allow(
        clippy::result_large_err,
        reason = "figment's Jail API returns its own error type"
    )]
    fn numeric_looking_environment_values_stay_text() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("FEEDBRIDGE_INSTITUTION_BANK_ID", "021000021");
            jail.set_env("FEEDBRIDGE_INSTITUTION_INTU_BID", "3000");
            jail.set_env("FEEDBRIDGE_SOMETHING_ELSE", "ignored");
            let config = Config::load(None, &Overrides::default()).map_err(|e| e.to_string())?;
            assert_eq!(config.institution.bank_id, "021000021");
            assert_eq!(config.institution.intu_bid, "3000");
            Ok(())
        });
    }

    #[test]
    #[allow(
        clippy::result_large_err,
        reason = "figment's Jail API returns its own error type"
    )]
    fn typed_settings_are_parsed_as_they_load_and_bad_ones_refused_by_name() {
        figment::Jail::expect_with(|jail| {
            let good = [
                ("FEEDBRIDGE_LOG_FORMAT", "json", "log_format"),
                ("FEEDBRIDGE_TIME_ZONE", "America/Toronto", "time_zone"),
                ("FEEDBRIDGE_SECRET_KEY", &"ab".repeat(32), "secret_key"),
                (
                    "FEEDBRIDGE_DATABASE_URL",
                    "postgres://app@db/feeds",
                    "database_url",
                ),
            ];
            for (name, value, _) in good {
                jail.set_env(name, value);
            }
            let config = Config::load(None, &Overrides::default()).map_err(|e| e.to_string())?;
            assert_eq!(config.log_format, LogFormat::Json);
            assert_eq!(config.time_zone.iana_name(), Some("America/Toronto"));
            assert!(config.secret_key.is_some());
            assert!(!config.database().is_sqlite());
            let bad = ["xml", "Mars/Olympus", "abc", "mysql://db/feeds"];
            for ((name, value, setting), wrong) in good.into_iter().zip(bad) {
                jail.set_env(name, wrong);
                let refused = Config::load(None, &Overrides::default()).unwrap_err();
                let message = format!("{refused:#}");
                assert!(message.contains(setting), "{name}={wrong}: {message}");
                jail.set_env(name, value);
            }
            Ok(())
        });
    }

    #[test]
    fn nothing_configured_means_sqlite_and_the_key_file_in_the_data_dir() {
        let config = Config::default();
        assert!(config.database().is_sqlite());
        assert!(config.database().as_str().ends_with("feedbridge.db"));
        assert!(config.secret_key.is_none());
    }

    #[test]
    fn debug_output_hides_secrets() {
        let config = Config {
            database_url: Some("postgres://app:hunter2@db/feeds".parse().unwrap()),
            secret_key: Some("ab".repeat(32).parse().unwrap()),
            ..Config::default()
        };
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains(&"ab".repeat(32)),
            "{shown}"
        );
    }
}
