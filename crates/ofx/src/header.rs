//! The OFX header: which syntax and version a document uses.
//!
//! A response must be written in the version of the request it answers (Intuit clients speak
//! 1.0.2 SGML, ofxtools defaults to 2.x XML), so the header is parsed first and carried next to
//! the message. OFX 1.x uses `KEY:VALUE` lines before the SGML body; 2.x uses an XML declaration
//! followed by an `<?OFX ...?>` processing instruction.

use crate::error::OfxError;

/// The two wire syntaxes of OFX.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Syntax {
    /// OFX 1.x: SGML, leaf end tags optional.
    Sgml,
    /// OFX 2.x: well-formed XML.
    Xml,
}

/// A parsed (or to-be-written) OFX header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub syntax: Syntax,
    /// `VERSION`: 102, 103, 151, 160 for SGML; 200..=220 for XML.
    pub version: u16,
    /// `SECURITY` (`NONE` in practice).
    pub security: String,
    /// 1.x `ENCODING` (`USASCII`, `UTF-8`, `UNICODE`); always `UTF-8` for XML.
    pub encoding: String,
    /// 1.x `CHARSET` (`1252`, `ISO-8859-1`, `NONE`); `NONE` for XML.
    pub charset: String,
    pub oldfileuid: String,
    pub newfileuid: String,
}

impl Header {
    /// OFX 1.0.2 SGML as QuickBooks expects it (US-ASCII / Windows-1252).
    pub fn sgml_102() -> Self {
        Header {
            syntax: Syntax::Sgml,
            version: 102,
            security: "NONE".into(),
            encoding: "USASCII".into(),
            charset: "1252".into(),
            oldfileuid: "NONE".into(),
            newfileuid: "NONE".into(),
        }
    }

    /// OFX 2.2.0 XML (what `ofxget --version 220` sends).
    pub fn xml_220() -> Self {
        Header {
            syntax: Syntax::Xml,
            version: 220,
            security: "NONE".into(),
            encoding: "UTF-8".into(),
            charset: "NONE".into(),
            oldfileuid: "NONE".into(),
            newfileuid: "NONE".into(),
        }
    }

    /// The header of a response to a request with this header: same syntax and version, fresh
    /// file UIDs. A 1.x response keeps the request's charset so the client can read it.
    pub fn response_to(request: &Header) -> Self {
        let mut h = match request.syntax {
            Syntax::Sgml => Header::sgml_102(),
            Syntax::Xml => Header::xml_220(),
        };
        h.version = request.version;
        if request.syntax == Syntax::Sgml && is_known_charset(&request.charset) {
            h.encoding.clone_from(&request.encoding);
            h.charset.clone_from(&request.charset);
        }
        h
    }

    /// Whether the body is (to be) encoded as Windows-1252/Latin-1 rather than UTF-8.
    pub fn is_single_byte(&self) -> bool {
        self.syntax == Syntax::Sgml && self.charset != "NONE" && self.encoding != "UTF-8"
    }

    /// Appends the header block (and the blank line / declaration that ends it) to `out`.
    pub fn write(&self, out: &mut String) {
        match self.syntax {
            Syntax::Sgml => {
                for (k, v) in [
                    ("OFXHEADER", "100"),
                    ("DATA", "OFXSGML"),
                    ("VERSION", &self.version.to_string()),
                    ("SECURITY", &self.security),
                    ("ENCODING", &self.encoding),
                    ("CHARSET", &self.charset),
                    ("COMPRESSION", "NONE"),
                    ("OLDFILEUID", &self.oldfileuid),
                    ("NEWFILEUID", &self.newfileuid),
                ] {
                    out.push_str(k);
                    out.push(':');
                    out.push_str(v);
                    out.push_str("\r\n");
                }
                out.push_str("\r\n");
            }
            Syntax::Xml => {
                out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
                out.push_str("<?OFX OFXHEADER=\"200\" VERSION=\"");
                out.push_str(&self.version.to_string());
                for (k, v) in [
                    ("SECURITY", &self.security),
                    ("OLDFILEUID", &self.oldfileuid),
                    ("NEWFILEUID", &self.newfileuid),
                ] {
                    out.push_str("\" ");
                    out.push_str(k);
                    out.push_str("=\"");
                    out.push_str(v);
                }
                out.push_str("\"?>\n");
            }
        }
    }
}

fn is_known_charset(c: &str) -> bool {
    matches!(c, "1252" | "ISO-8859-1" | "NONE")
}

/// Parses a 1.x header block from the start of `text`. Returns the header and the byte offset
/// where the SGML body (the first `<`) starts. Like ofxtools, tolerates headers on one line and
/// whitespace after the colon.
pub(crate) fn parse_sgml_header(text: &str) -> Result<(Header, usize), OfxError> {
    let body = text
        .find('<')
        .ok_or_else(|| OfxError::Header("no SGML body after the header block".into()))?;
    let mut h = Header::sgml_102();
    let mut fields = text[..body].split_whitespace().peekable();
    let mut seen_ofxheader = false;
    let mut data_ok = false;
    while let Some(field) = fields.next() {
        let (key, mut value) = field
            .split_once(':')
            .ok_or_else(|| OfxError::Header(format!("expected KEY:VALUE, got {field:?}")))?;
        // "KEY: VALUE" splits into two tokens; join them back.
        if value.is_empty() {
            value = fields.next_if(|f| !f.contains(':')).unwrap_or("");
        }
        match key {
            "OFXHEADER" => {
                if value != "100" {
                    return Err(OfxError::Header(format!(
                        "OFXHEADER {value:?}, expected 100"
                    )));
                }
                seen_ofxheader = true;
            }
            "DATA" => data_ok = value == "OFXSGML",
            "VERSION" => {
                h.version = value
                    .parse()
                    .map_err(|_| OfxError::Header(format!("VERSION {value:?} is not a number")))?
            }
            "SECURITY" => h.security = value.into(),
            "ENCODING" => h.encoding = value.into(),
            "CHARSET" => h.charset = value.into(),
            "OLDFILEUID" => h.oldfileuid = value.into(),
            "NEWFILEUID" => h.newfileuid = value.into(),
            _ => {} // COMPRESSION and unknown keys carry nothing we act on.
        }
    }
    if !seen_ofxheader || !data_ok {
        return Err(OfxError::Header(
            "a 1.x header needs OFXHEADER:100 and DATA:OFXSGML".into(),
        ));
    }
    if !(100..200).contains(&h.version) {
        return Err(OfxError::Header(format!(
            "SGML VERSION {} is not 1.x",
            h.version
        )));
    }
    Ok((h, body))
}

/// Builds a header from the pseudo-attributes of an `<?OFX ...?>` instruction (its content
/// after the target name), e.g. `OFXHEADER="200" VERSION="220" SECURITY="NONE"`.
pub(crate) fn parse_xml_pi(content: &str) -> Result<Header, OfxError> {
    let mut h = Header::xml_220();
    let mut seen_ofxheader = false;
    let mut rest = content.trim();
    while !rest.is_empty() {
        let (key, after) = rest
            .split_once('=')
            .ok_or_else(|| OfxError::Header(format!("bad <?OFX?> attribute in {rest:?}")))?;
        let after = after.trim_start();
        let quote = after
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')
            .ok_or_else(|| OfxError::Header("unquoted <?OFX?> attribute".into()))?;
        let end = after[1..]
            .find(quote)
            .ok_or_else(|| OfxError::Header("unterminated <?OFX?> attribute".into()))?;
        let value = &after[1..1 + end];
        // We write values back between double quotes; refuse what could not survive that.
        if value.contains(['"', '<', '>', '&']) {
            return Err(OfxError::Header(format!(
                "bad <?OFX?> attribute value {value:?}"
            )));
        }
        match key.trim() {
            "OFXHEADER" => seen_ofxheader = value == "200",
            "VERSION" => {
                h.version = value
                    .parse()
                    .map_err(|_| OfxError::Header(format!("VERSION {value:?} is not a number")))?
            }
            "SECURITY" => h.security = value.into(),
            "OLDFILEUID" => h.oldfileuid = value.into(),
            "NEWFILEUID" => h.newfileuid = value.into(),
            _ => {}
        }
        rest = after[end + 2..].trim_start();
    }
    if !seen_ofxheader {
        return Err(OfxError::Header("<?OFX?> needs OFXHEADER=\"200\"".into()));
    }
    if !(200..300).contains(&h.version) {
        return Err(OfxError::Header(format!(
            "XML VERSION {} is not 2.x",
            h.version
        )));
    }
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sgml_header_on_one_line_with_spaces() {
        let text = "OFXHEADER: 100 DATA:OFXSGML VERSION:103 SECURITY:NONE ENCODING:USASCII \
                    CHARSET:1252 COMPRESSION:NONE OLDFILEUID:NONE NEWFILEUID:NONE<OFX>";
        let (h, at) = parse_sgml_header(text).unwrap();
        assert_eq!(h.version, 103);
        assert_eq!(&text[at..], "<OFX>");
    }

    #[test]
    fn xml_pi() {
        let h = parse_xml_pi(
            r#"OFXHEADER="200" VERSION="203" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="abc""#,
        )
        .unwrap();
        assert_eq!((h.version, h.newfileuid.as_str()), (203, "abc"));
        assert!(parse_xml_pi(r#"VERSION="220""#).is_err());
    }
}
