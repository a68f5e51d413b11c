//! The last line of defence for secrets in logs. Code never logs passwords, API keys, link
//! tokens, OFX access keys or confirmation codes on purpose, but a `Debug` of the wrong struct, a
//! dependency logging a raw header at trace level or a future `%uri` field could. Every formatted
//! log record passes through [`redact`] before it is written, whatever the level or format.

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::LazyLock;

use regex::Regex;
use tracing_subscriber::fmt::MakeWriter;

/// Each rule's replacement: its label (the first group), then the mask.
const REPLACEMENT: &str = "${1}[redacted]";

/// Colour codes the text formatter puts between a field's name and its value on a terminal.
const ANSI: &str = r"(?:\x1b\[[0-9;]*m)*";

/// Each rule keeps its first capture group (the label) and masks what follows it.
static RULES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    let field = format!(
        r#"(?i)((?:\b|\x1b\[[0-9;]*m)(?:password|passwd|userpass|secret|access_?key|api_?key|confirmation_?code|otp|token|cookie|set-cookie){ANSI}"?{ANSI}\s*[:=]{ANSI}\s*"?)[^\s",;}}&\x1b]+"#
    );
    [
        // API keys, recipient client secrets and webhook signing secrets carry recognisable
        // prefixes wherever they appear.
        r"(fbk_)[A-Za-z0-9]+",
        r"(fbr_)[A-Za-z0-9]+",
        r"(whsec_)[A-Za-z0-9+/=]+",
        // An Authorization header value, with or without its scheme.
        r#"(?i)(authorization"?\s*[:=]\s*"?(?:basic |bearer )?)[A-Za-z0-9+/=._~-]+"#,
        // Query strings and forms: the link token travels as `otp=`; OAuth codes, verifiers and
        // tokens as their parameter names.
        r#"(?i)([?&](?:otp|token|code|password|key|code_verifier|client_secret|refresh_token|access_token|id_token|request_uri)=)[^&\s"']+"#,
        // OFX elements that carry credentials, in SGML or XML.
        r"(?i)(<(?:USERPASS|NEWUSERPASS|ACCESSKEY|MFAPHRASEA|USERKEY|USERCRED[12]|AUTHTOKEN)>)[^<\r\n]*",
        &field,
    ]
    .iter()
    .map(|pattern| Regex::new(pattern).unwrap_or_else(|e| unreachable!("fixed pattern: {e}")))
    .collect()
});

/// The text with every secret-shaped value masked; borrowed when there is nothing to mask.
pub fn redact(text: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(text);
    for rule in RULES.iter() {
        if let Cow::Owned(replaced) = rule.replace_all(&out, REPLACEMENT) {
            out = Cow::Owned(replaced);
        }
    }
    out
}

/// Wraps any `MakeWriter` so each record is redacted before it is written. The formatters write
/// one whole record per call, so a secret is never split across two writes.
#[derive(Clone, Debug)]
pub struct Redacting<M>(pub M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for Redacting<M> {
    type Writer = RedactingWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter(self.0.make_writer())
    }

    fn make_writer_for(&'a self, meta: &tracing::Metadata<'_>) -> Self::Writer {
        RedactingWriter(self.0.make_writer_for(meta))
    }
}

/// The writer [`Redacting`] hands out.
pub struct RedactingWriter<W>(W);

impl<W: Write> Write for RedactingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(redact(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(line: &str, secret: &str) {
        let out = redact(line);
        assert!(!out.contains(secret), "{secret} survived in {out}");
        assert!(out.contains("[redacted]"), "nothing masked in {out}");
    }

    #[test]
    fn api_keys_and_authorization_headers_are_masked() {
        let key = "fbk_0123456789abcdefghijABCDEFGHIJ0123456789";
        masked(&format!("created key {key}"), &key[4..]);
        masked("authorization: Basic ZmJrX2FiY2RlZg==", "ZmJrX2FiY2RlZg==");
        masked(r#"{"authorization":"Bearer abc.def"}"#, "abc.def");
    }

    #[test]
    fn named_fields_in_text_json_and_colour_are_masked() {
        masked("password=Zx81Abc", "Zx81Abc");
        masked(r#"password="Zx81Abc" user=bob"#, "Zx81Abc");
        masked(r#"{"accessKey":"k3y","n":1}"#, "k3y");
        masked("confirmation_code: 123456", "123456");
        masked("\x1b[3mpassword\x1b[0m\x1b[2m=\x1b[0mZx81Abc", "Zx81Abc");
    }

    #[test]
    fn link_tokens_in_urls_and_ofx_credentials_are_masked() {
        masked(
            "GET /link/companies/c/connections/k/start?otp=AbC-_9",
            "AbC-_9",
        );
        masked("<SONRQ><USERPASS>hunter22<LANGUAGE>ENG", "hunter22");
        masked("<ACCESSKEY>tok123</ACCESSKEY>", "tok123");
        masked("<MFAPHRASEA>654321", "654321");
        masked("secret whsec_c2VjcmV0c2VjcmV0", "c2VjcmV0c2VjcmV0");
    }

    #[test]
    fn oauth_secrets_in_forms_urls_and_output_are_masked() {
        masked("client_secret: fbr_AbCdEf123", "AbCdEf123");
        masked(
            "https://agg.example/cb?state=s&code=c0deXYZ&iss=x",
            "c0deXYZ",
        );
        masked("grant_type=refresh_token&refresh_token=rT0k3n", "rT0k3n");
        masked("x=1&code_verifier=v3r1f13r&client_id=a", "v3r1f13r");
        masked(
            "GET /oauth2/authorize?request_uri=urn:ietf:params:oauth:request_uri:h4ndle",
            "h4ndle",
        );
    }

    #[test]
    fn ordinary_lines_pass_through_untouched() {
        let line = "request route=/companies/{companyId} status=200 latency_ms=3 session_id=7";
        assert!(matches!(redact(line), Cow::Borrowed(_)));
    }

    #[test]
    fn the_writer_redacts_what_it_forwards() {
        let mut sink = Vec::new();
        RedactingWriter(&mut sink)
            .write_all(b"password=Zx81Abc\n")
            .unwrap();
        assert_eq!(String::from_utf8(sink).unwrap(), "password=[redacted]\n");
    }
}
