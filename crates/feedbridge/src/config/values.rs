//! The settings that are more than text or numbers, parsed once while the configuration loads: a
//! wrong value is refused at start-up with the setting named, and the rest of the program holds
//! the parsed value, never the text.

use std::path::Path;

use jiff::tz::TimeZone;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::keys::SecretKey;

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One human-readable line per event.
    #[default]
    Text,
    /// One JSON object per event, for log collectors.
    Json,
}

/// Where the data lives. Its `Debug` output hides a PostgreSQL password.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://PATH` (or any `sqlite:` URL): the embedded database.
    Sqlite(String),
    /// `postgres://…` or `postgresql://…`: a database several instances may share.
    Postgres(String),
}

impl DatabaseUrl {
    /// The SQLite file Feedbridge keeps in `data_dir` when no URL is configured.
    pub fn in_data_dir(data_dir: &Path) -> Self {
        Self::Sqlite(format!(
            "sqlite://{}",
            data_dir.join("feedbridge.db").display()
        ))
    }

    /// The URL as given, password included: for opening the database, never for a message.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Sqlite(url) | Self::Postgres(url) => url,
        }
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, Self::Sqlite(_))
    }

    /// The URL with its password hidden, for messages and logs.
    pub fn redacted(&self) -> String {
        redact_url(self.as_str())
    }
}

impl std::str::FromStr for DatabaseUrl {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        if text.starts_with("sqlite:") {
            Ok(Self::Sqlite(text.to_owned()))
        } else if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Ok(Self::Postgres(text.to_owned()))
        } else {
            Err(format!(
                "database_url {:?} is not supported: use sqlite://PATH or \
                 postgres://USER@HOST/DATABASE",
                redact_url(text)
            ))
        }
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.redacted())
    }
}

/// Hides the password part of a database URL.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme && url[scheme + 3..at].contains(':') => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}://{user}:[redacted]@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// A setting written as text whose empty value means "not set", as `database_url` and
/// `secret_key` are: `Option<T>` through serde's `with`.
pub(super) mod optional_text {
    use super::*;

    /// What an optional text setting is parsed from and written back as.
    pub trait Text: Sized {
        fn parse_text(text: &str) -> Result<Self, String>;
        fn to_text(&self) -> String;
    }

    impl Text for DatabaseUrl {
        fn parse_text(text: &str) -> Result<Self, String> {
            text.parse()
        }

        fn to_text(&self) -> String {
            self.as_str().to_owned()
        }
    }

    impl Text for SecretKey {
        fn parse_text(text: &str) -> Result<Self, String> {
            text.parse()
        }

        fn to_text(&self) -> String {
            self.to_hex()
        }
    }

    pub fn serialize<T: Text, S: Serializer>(value: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&value.as_ref().map(Text::to_text).unwrap_or_default())
    }

    pub fn deserialize<'de, T: Text, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
        let text = String::deserialize(d)?;
        if text.is_empty() {
            return Ok(None);
        }
        T::parse_text(&text)
            .map(Some)
            .map_err(serde::de::Error::custom)
    }
}

/// `time_zone`: an IANA name, looked up in the time zone database when the configuration loads.
pub(super) mod iana_time_zone {
    use super::*;

    pub fn serialize<S: Serializer>(tz: &TimeZone, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(tz.iana_name().unwrap_or("UTC"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<TimeZone, D::Error> {
        let name = String::deserialize(d)?;
        TimeZone::get(&name).map_err(|e| {
            serde::de::Error::custom(format!("time_zone {name:?} is not a known time zone: {e}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_are_told_apart_by_scheme_and_others_refused() {
        let parse = |text: &str| text.parse::<DatabaseUrl>();
        assert!(parse("sqlite:///var/lib/feedbridge.db")
            .unwrap()
            .is_sqlite());
        assert!(!parse("postgres://app@db/feeds").unwrap().is_sqlite());
        assert!(!parse("postgresql://app@db/feeds").unwrap().is_sqlite());
        let refused = parse("mysql://app:hunter2@db/feeds").unwrap_err();
        assert!(refused.contains("is not supported"), "{refused}");
        assert!(!refused.contains("hunter2"), "{refused}");
    }

    #[test]
    fn a_database_url_never_shows_its_password_in_debug() {
        let url: DatabaseUrl = "postgres://app:hunter2@db/feeds".parse().unwrap();
        let shown = format!("{url:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("app:[redacted]@db/feeds"), "{shown}");
    }
}
