//! Random secrets in the shapes users see: credential usernames and passwords, confirmation codes,
//! API keys, webhook signing secrets. All come from the operating system's CSPRNG.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::{Rng, RngCore};

/// Upper-case letters and digits without look-alikes (no 0/O, 1/I/L), so a username can be read
/// aloud or typed from a phone without mistakes.
const USERNAME_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const BASE62: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn pick(alphabet: &[u8], n: usize) -> String {
    (0..n)
        .map(|_| char::from(alphabet[OsRng.gen_range(0..alphabet.len())]))
        .collect()
}

/// `XXXX-XXXX-XXXX` from the look-alike-free alphabet (about 59 bits).
pub fn username() -> String {
    let raw = pick(USERNAME_ALPHABET, 12);
    format!("{}-{}-{}", &raw[..4], &raw[4..8], &raw[8..])
}

/// 24 base62 characters: about 143 bits, well past the 112 the spec asks for.
pub fn password() -> String {
    pick(BASE62, 24)
}

/// A six-digit confirmation code.
pub fn confirmation_code() -> String {
    format!("{:06}", OsRng.gen_range(0..1_000_000u32))
}

/// An API key: a recognisable prefix and 40 base62 characters (about 238 bits).
pub fn api_key() -> String {
    format!("fbk_{}", pick(BASE62, 40))
}

/// A data recipient's client secret: a recognisable prefix and 40 base62 characters.
pub fn client_secret() -> String {
    format!("fbr_{}", pick(BASE62, 40))
}

/// An opaque token (sessions, OFX access keys): 32 base62 characters (about 190 bits).
pub fn token() -> String {
    pick(BASE62, 32)
}

/// Prefix of a webhook signing secret (Standard Webhooks).
pub const WEBHOOK_SECRET_PREFIX: &str = "whsec_";
/// Random bytes in a webhook secret (the standard allows 24 to 64).
const WEBHOOK_SECRET_BYTES: usize = 32;

/// A fresh webhook endpoint secret: `whsec_` and the base64 of 32 random bytes.
pub fn webhook_secret() -> String {
    let mut bytes = [0u8; WEBHOOK_SECRET_BYTES];
    OsRng.fill_bytes(&mut bytes);
    format!("{WEBHOOK_SECRET_PREFIX}{}", STANDARD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_have_three_groups_without_look_alikes() {
        for _ in 0..200 {
            let u = username();
            assert_eq!(u.len(), 14);
            assert!(u.split('-').all(|g| g.len() == 4));
            assert!(!u.contains(['0', 'O', '1', 'I', 'L']), "{u}");
        }
    }

    #[test]
    fn passwords_are_long_base62() {
        let p = password();
        assert!(p.len() >= 20 && p.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(p, password());
    }

    #[test]
    fn webhook_secrets_decode_to_32_bytes_and_differ() {
        let (a, b) = (webhook_secret(), webhook_secret());
        assert_ne!(a, b);
        let raw = STANDARD
            .decode(a.strip_prefix(WEBHOOK_SECRET_PREFIX).unwrap())
            .unwrap();
        assert_eq!(raw.len(), 32);
    }

    #[test]
    fn codes_are_six_digits() {
        for _ in 0..100 {
            let c = confirmation_code();
            assert!(c.len() == 6 && c.chars().all(|d| d.is_ascii_digit()));
        }
    }
}
