//! Streaming OFX writer: appends tags straight into one `String`.
//!
//! Statement downloads are the hot path (thousands of `STMTTRN`s per response), so nothing here
//! builds a tree or allocates per element: tags are `&'static str`, numbers and dates are
//! formatted in place, and text is escaped only when it contains a special character.

use std::fmt::Write as _;

use jiff::Timestamp;
use rust_decimal::Decimal;

use crate::charset::encode_1252;
use crate::datetime::write_datetime;
use crate::header::{Header, Syntax};

/// Writes one OFX document. Create it with the header, emit `OFX` and its content with
/// [`Writer::start`]/[`Writer::end`]/`leaf*`, then call [`Writer::finish`] or
/// [`Writer::finish_bytes`].
#[derive(Debug)]
pub struct Writer {
    buf: String,
    header: Header,
}

impl Writer {
    /// Starts a document with `header` and a buffer of `capacity` bytes (size it for the
    /// expected output, e.g. ~300 bytes per transaction, to avoid regrowth).
    pub fn with_capacity(header: &Header, capacity: usize) -> Self {
        let mut buf = String::with_capacity(capacity.max(512));
        header.write(&mut buf);
        Writer {
            buf,
            header: header.clone(),
        }
    }

    pub fn new(header: &Header) -> Self {
        Writer::with_capacity(header, 4096)
    }

    pub fn syntax(&self) -> Syntax {
        self.header.syntax
    }

    /// Opens an aggregate.
    pub fn start(&mut self, tag: &str) {
        self.buf.push('<');
        self.buf.push_str(tag);
        self.buf.push_str(">\n");
    }

    /// Closes an aggregate (aggregates are closed in both syntaxes).
    pub fn end(&mut self, tag: &str) {
        self.buf.push_str("</");
        self.buf.push_str(tag);
        self.buf.push_str(">\n");
    }

    /// A leaf with text, escaped. SGML leaves get no end tag, as 1.0.2 clients expect.
    pub fn leaf(&mut self, tag: &str, text: &str) {
        self.open_leaf(tag);
        escape_into(&mut self.buf, text);
        self.close_leaf(tag);
    }

    /// A leaf only if `text` is present and non-empty (an empty SGML leaf would swallow the
    /// next element, so optional fields are omitted instead).
    pub fn opt_leaf(&mut self, tag: &str, text: Option<&str>) {
        if let Some(t) = text.filter(|t| !t.is_empty()) {
            self.leaf(tag, t);
        }
    }

    pub fn leaf_decimal(&mut self, tag: &str, value: Decimal) {
        self.open_leaf(tag);
        let _ = write!(self.buf, "{value}"); // writing into a String cannot fail
        self.close_leaf(tag);
    }

    pub fn leaf_u32(&mut self, tag: &str, value: u32) {
        self.open_leaf(tag);
        let _ = write!(self.buf, "{value}");
        self.close_leaf(tag);
    }

    /// `Y` / `N`.
    pub fn leaf_bool(&mut self, tag: &str, value: bool) {
        self.leaf(tag, if value { "Y" } else { "N" });
    }

    pub fn leaf_datetime(&mut self, tag: &str, value: Timestamp) {
        self.open_leaf(tag);
        write_datetime(&mut self.buf, value);
        self.close_leaf(tag);
    }

    pub fn opt_datetime(&mut self, tag: &str, value: Option<Timestamp>) {
        if let Some(v) = value {
            self.leaf_datetime(tag, v);
        }
    }

    pub fn opt_bool(&mut self, tag: &str, value: Option<bool>) {
        if let Some(v) = value {
            self.leaf_bool(tag, v);
        }
    }

    fn open_leaf(&mut self, tag: &str) {
        self.buf.push('<');
        self.buf.push_str(tag);
        self.buf.push('>');
    }

    fn close_leaf(&mut self, tag: &str) {
        if self.header.syntax == Syntax::Xml {
            self.buf.push_str("</");
            self.buf.push_str(tag);
            self.buf.push('>');
        }
        self.buf.push('\n');
    }

    /// The document as text (UTF-8). For a 1.x header declaring a single-byte charset, send
    /// [`Writer::finish_bytes`] instead.
    pub fn finish(self) -> String {
        self.buf
    }

    /// The document as the bytes its header promises: Windows-1252 for `CHARSET:1252` /
    /// `ISO-8859-1` 1.x documents, UTF-8 otherwise.
    pub fn finish_bytes(self) -> Vec<u8> {
        if self.header.is_single_byte() {
            encode_1252(&self.buf)
        } else {
            self.buf.into_bytes()
        }
    }
}

/// Appends `text` with `&`, `<`, `>` escaped. Fast path: one scan, one copy.
pub fn escape_into(out: &mut String, text: &str) {
    if !text.bytes().any(|b| matches!(b, b'&' | b'<' | b'>')) {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_leaf_styles() {
        let mut w = Writer::new(&Header::sgml_102());
        w.leaf("NAME", "A&B <C>");
        assert!(w.finish().ends_with("<NAME>A&amp;B &lt;C&gt;\n"));
        let mut w = Writer::new(&Header::xml_220());
        w.leaf("NAME", "x>y");
        assert!(w.finish().ends_with("<NAME>x&gt;y</NAME>\n"));
    }
}
