//! The server's secret keys. One 32-byte master secret (generated into the data directory on
//! first start with mode 0600, or given in configuration so several instances share it) is
//! expanded into one key per purpose, so a key leaked from one use cannot forge another.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// One purpose-bound key.
#[derive(Clone)]
pub struct Key([u8; 32]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key([redacted])")
    }
}

impl Key {
    /// HMAC-SHA256 of the parts, each length-prefixed so ("ab","c") and ("a","bc") differ.
    pub fn mac(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }
}

/// The 32-byte master secret, written as 64 hexadecimal characters in the configuration and in
/// the key file. Its `Debug` output hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey([redacted])")
    }
}

impl std::str::FromStr for SecretKey {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        decode_hex(text)
            .map(Self)
            .ok_or_else(|| "secret_key must be 64 hexadecimal characters (32 bytes)".into())
    }
}

impl SecretKey {
    /// The key as written in the configuration.
    pub fn to_hex(&self) -> String {
        encode_hex(&self.0)
    }
}

/// Every key the server uses.
#[derive(Clone, Debug)]
pub struct Keys {
    pub api_keys: Key,
    pub credentials: Key,
    pub links: Key,
    pub sessions: Key,
    pub access_keys: Key,
    /// Hashes of recipient secrets, authorization codes, refresh tokens and sign-in sessions.
    pub oauth: Key,
    /// Seals the private halves of the token signing keys.
    pub signing_keys: Key,
}

impl Keys {
    pub fn from_master(master: &[u8; 32]) -> Self {
        let master = Key(*master);
        let derive = |purpose: &str| Key(master.mac(&[b"feedbridge key", purpose.as_bytes()]));
        Self {
            api_keys: derive("api keys"),
            credentials: derive("credentials"),
            links: derive("links"),
            sessions: derive("sessions"),
            access_keys: derive("access keys"),
            oauth: derive("oauth"),
            signing_keys: derive("signing keys"),
        }
    }

    /// Uses the configured secret, or reads (creating on first start) `secret.key` in `dir`.
    pub fn load(configured: Option<&SecretKey>, dir: &Path) -> anyhow::Result<Self> {
        let master = match configured {
            Some(key) => key.0,
            None => load_or_create(&dir.join("secret.key"))?,
        };
        Ok(Self::from_master(&master))
    }
}

fn load_or_create(path: &Path) -> anyhow::Result<[u8; 32]> {
    if path.exists() {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        return decode_hex(text.trim())
            .with_context(|| format!("{} does not hold a 32-byte hex key", path.display()));
    }
    let mut master = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut master);
    write_private(path, encode_hex(&master).as_bytes())?;
    Ok(master)
}

/// Creates a file readable only by its owner; it must not exist yet.
pub fn write_private(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(contents)?;
    file.sync_all()?;
    Ok(())
}

pub fn encode_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn decode_hex(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn the_key_file_is_created_once_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let first = Keys::load(None, dir.path()).unwrap();
        let mode = std::fs::metadata(dir.path().join("secret.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let second = Keys::load(None, dir.path()).unwrap();
        assert_eq!(first.links.mac(&[b"x"]), second.links.mac(&[b"x"]));
    }

    #[test]
    fn a_configured_key_is_used_as_given_and_shown_redacted() {
        let dir = tempfile::tempdir().unwrap();
        let key: SecretKey = "07".repeat(32).parse().unwrap();
        let keys = Keys::load(Some(&key), dir.path()).unwrap();
        let direct = Keys::from_master(&[7; 32]);
        assert_eq!(keys.links.mac(&[b"x"]), direct.links.mac(&[b"x"]));
        assert!(!dir.path().join("secret.key").exists());
        assert_eq!(format!("{key:?}"), "SecretKey([redacted])");
        assert_eq!(key.to_hex(), "07".repeat(32));
        assert!("07".repeat(31).parse::<SecretKey>().is_err());
        assert!("zz".repeat(32).parse::<SecretKey>().is_err());
    }

    #[test]
    fn purposes_get_different_keys() {
        let keys = Keys::from_master(&[7; 32]);
        assert_ne!(keys.links.mac(&[b"x"]), keys.sessions.mac(&[b"x"]));
        assert_ne!(
            keys.links.mac(&[b"ab", b"c"]),
            keys.links.mac(&[b"a", b"bc"])
        );
    }
}
