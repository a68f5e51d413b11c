//! Windows-1252 transcoding for OFX 1.x bodies.
//!
//! QuickBooks and Quicken send and expect `ENCODING:USASCII` / `CHARSET:1252`; a payee such as
//! "Café" arrives as the single byte 0xE9, which is not UTF-8. We decode such bodies with the
//! 1252 table and encode our 1.x responses with it so non-ASCII names survive both ways.

/// Code points for bytes 0x80..=0x9F in Windows-1252 (the rest of the range is Latin-1).
/// Undefined slots map to the C1 control of the same value, as WHATWG's decoder does.
const HIGH: [char; 32] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{8D}', '\u{017D}', '\u{8F}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{9D}', '\u{017E}', '\u{0178}',
];

/// Decodes Windows-1252 bytes; every byte maps to some character, so this cannot fail.
pub fn decode_1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

/// Encodes text as Windows-1252; characters outside it become `?` (the conventional
/// replacement, since a 1.x client cannot receive them at all).
pub fn encode_1252(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let code = u32::from(c);
        let byte = if code < 0x80 || (0xA0..=0xFF).contains(&code) {
            u8::try_from(code).ok()
        } else {
            HIGH.iter()
                .position(|&h| h == c)
                .and_then(|i| u8::try_from(i + 0x80).ok())
        };
        out.push(byte.unwrap_or(b'?'));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_latin1_and_euro() {
        let s = "Café € “quoted” – ok";
        assert_eq!(decode_1252(&encode_1252(s)), s);
        assert_eq!(encode_1252("日本"), b"??");
    }
}
