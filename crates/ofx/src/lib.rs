//! Feedbridge's OFX codec: OFX 1.0.2 SGML and 2.x XML, both directions.
//!
//! The server's `POST /ofx` handler parses requests and writes responses, the Web Connect
//! export writes statements, and the sandbox client (playing QuickBooks) writes requests and
//! parses responses. The existing OFX crates are parse-only, hence this one.
//!
//! Reading goes bytes → [`Header`] + generic [`Element`] tree → typed [`Request`] /
//! [`Response`]. Writing goes typed value → streaming [`Writer`] (one `String`, no tree), because
//! statement downloads are on the hot path.
//!
//! ```
//! use feedbridge_ofx::{parse_request, write_response, Header, Response, SignonRs, Status};
//! # let request_bytes = b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX><SIGNONMSGSRQV1><SONRQ>\
//! # <DTCLIENT>20240101<USERID>u<USERPASS>p<LANGUAGE>ENG<APPID>QWIN<APPVER>2700</SONRQ></SIGNONMSGSRQV1></OFX>";
//! let parsed = parse_request(request_bytes)?;
//! let now = jiff::Timestamp::now();
//! let response = Response::new(SignonRs::new(Status::ok(), now));
//! let body: Vec<u8> = write_response(&Header::response_to(&parsed.header), &response);
//! assert!(body.starts_with(b"OFXHEADER:100"));
//! # Ok::<(), feedbridge_ofx::OfxError>(())
//! ```

mod charset;
pub mod datetime;
mod element;
mod error;
mod header;
pub mod model;
mod sgml;
mod writer;
mod xml;

pub use element::{Element, MAX_DEPTH};
pub use error::OfxError;
pub use header::{Header, Syntax};
pub use model::*;
pub use writer::{escape_into, Writer};

/// A parsed document: its header and its root element (normally `OFX`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub header: Header,
    pub root: Element,
}

/// A parsed, typed message together with the header it came with (whose version the answer
/// must use).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<T> {
    pub header: Header,
    pub message: T,
}

/// Parses any OFX document, detecting SGML (1.x) or XML (2.x) from its header.
/// Never panics; all malformed input yields an [`OfxError`].
pub fn parse(bytes: &[u8]) -> Result<Document, OfxError> {
    let start = skip_bom_and_space(bytes);
    let rest = &bytes[start..];
    if rest.starts_with(b"<?xml") || rest.starts_with(b"<?OFX") {
        let (header, root) = xml::parse_document(rest)?;
        return Ok(Document { header, root });
    }
    if !rest.starts_with(b"OFXHEADER") {
        return Err(OfxError::Header(
            "document starts with neither OFXHEADER: (1.x) nor <?xml / <?OFX (2.x)".into(),
        ));
    }
    // The header block is ASCII; it says how to decode the body. `CHARSET:1252` (QuickBooks)
    // is Windows-1252; `NONE` (ofxtools) means UTF-8, with 1252 as fallback for invalid bytes.
    let lt = rest
        .iter()
        .position(|&b| b == b'<')
        .ok_or_else(|| OfxError::Header("no SGML body after the header block".into()))?;
    let (header, _) = header::parse_sgml_header(&String::from_utf8_lossy(&rest[..=lt]))?;
    let body = &rest[lt..];
    let root = if header.is_single_byte() {
        sgml::parse_body(&charset::decode_1252(body))?
    } else {
        match std::str::from_utf8(body) {
            Ok(text) => sgml::parse_body(text)?,
            Err(_) => sgml::parse_body(&charset::decode_1252(body))?,
        }
    };
    Ok(Document { header, root })
}

/// Parses a client request (server side).
pub fn parse_request(bytes: &[u8]) -> Result<Parsed<Request>, OfxError> {
    let doc = parse(bytes)?;
    Ok(Parsed {
        message: Request::read(&doc.root)?,
        header: doc.header,
    })
}

/// Parses a server response (client side: the sandbox, tests).
pub fn parse_response(bytes: &[u8]) -> Result<Parsed<Response>, OfxError> {
    let doc = parse(bytes)?;
    Ok(Parsed {
        message: Response::read(&doc.root)?,
        header: doc.header,
    })
}

/// Writes a response as the bytes to send: the syntax and version of `header` (use
/// [`Header::response_to`] with the request's header), encoded as the header declares.
pub fn write_response(header: &Header, response: &Response) -> Vec<u8> {
    // ~350 bytes per transaction keeps a statement in one allocation.
    let capacity = 2048 + 350 * response.transaction_count();
    let mut w = Writer::with_capacity(header, capacity);
    response.write(&mut w);
    w.finish_bytes()
}

/// Writes a request as the bytes to send (client side).
pub fn write_request(header: &Header, request: &Request) -> Vec<u8> {
    let mut w = Writer::new(header);
    request.write(&mut w);
    w.finish_bytes()
}

fn skip_bom_and_space(bytes: &[u8]) -> usize {
    let mut i = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    };
    while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}
