//! OFX 2.x XML parser, built on quick-xml.
//!
//! quick-xml checks well-formedness (matching end tags, entity syntax) and unescapes text; we
//! only pick up the `<?OFX ...?>` header instruction and fold events into an `Element` tree.

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::element::{Element, MAX_DEPTH};
use crate::error::OfxError;
use crate::header::{parse_xml_pi, Header};

/// Parses a whole 2.x document (declaration, `<?OFX?>` instruction, body).
pub(crate) fn parse_document(bytes: &[u8]) -> Result<(Header, Element), OfxError> {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().trim_text(true);
    let xml_err = |e: &dyn std::fmt::Display, at: u64| OfxError::Xml(format!("{e} (byte {at})"));
    let mut header: Option<Header> = None;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let at = reader.buffer_position();
        let event = reader.read_event().map_err(|e| xml_err(&e, at))?;
        match event {
            Event::PI(pi) => {
                if pi.target() == b"OFX" && root.is_none() && stack.is_empty() {
                    let content = std::str::from_utf8(pi.content())
                        .map_err(|_| OfxError::Header("<?OFX?> is not UTF-8".into()))?;
                    header = Some(parse_xml_pi(content)?);
                }
            }
            Event::Start(start) => {
                if header.is_none() {
                    return Err(OfxError::Header("no <?OFX ...?> before the body".into()));
                }
                if root.is_some() {
                    return Err(OfxError::Xml("more than one root element".into()));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(OfxError::TooDeep(MAX_DEPTH));
                }
                stack.push(Element::new(name_of(start.name().as_ref())?));
            }
            Event::Empty(start) => {
                let leaf = Element::new(name_of(start.name().as_ref())?);
                attach(&mut stack, &mut root, leaf)?;
            }
            Event::End(_) => {
                // quick-xml has already verified the end tag matches the open one.
                let done = stack
                    .pop()
                    .ok_or_else(|| OfxError::Xml("unbalanced end tag".into()))?;
                attach(&mut stack, &mut root, done)?;
            }
            Event::Text(text) => {
                let value = text.unescape().map_err(|e| xml_err(&e, at))?;
                push_text(&mut stack, &value)?;
            }
            Event::CData(data) => {
                let value = std::str::from_utf8(&data)
                    .map_err(|_| OfxError::Xml("CDATA is not UTF-8".into()))?
                    .trim()
                    .to_owned();
                push_text(&mut stack, &value)?;
            }
            Event::Eof => break,
            Event::Decl(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if let Some(open) = stack.pop() {
        return Err(OfxError::Unclosed(open.name));
    }
    let header = header.ok_or_else(|| OfxError::Header("no <?OFX ...?> instruction".into()))?;
    let root = root.ok_or_else(|| OfxError::Xml("no root element".into()))?;
    Ok((header, root))
}

fn name_of(raw: &[u8]) -> Result<String, OfxError> {
    std::str::from_utf8(raw)
        .map(str::to_owned)
        .map_err(|_| OfxError::Xml("element name is not UTF-8".into()))
}

fn push_text(stack: &mut [Element], value: &str) -> Result<(), OfxError> {
    if value.is_empty() {
        return Ok(());
    }
    let top = stack
        .last_mut()
        .ok_or_else(|| OfxError::Xml("text outside the root element".into()))?;
    if !top.children.is_empty() {
        return Err(OfxError::Xml(format!(
            "<{}> mixes text and elements",
            top.name
        )));
    }
    top.text.push_str(value);
    Ok(())
}

fn attach(
    stack: &mut [Element],
    root: &mut Option<Element>,
    done: Element,
) -> Result<(), OfxError> {
    match stack.last_mut() {
        Some(parent) if !parent.text.is_empty() => Err(OfxError::Xml(format!(
            "<{}> mixes text and elements",
            parent.name
        ))),
        Some(parent) => {
            parent.children.push(done);
            Ok(())
        }
        None if root.is_none() => {
            *root = Some(done);
            Ok(())
        }
        None => Err(OfxError::Xml("more than one root element".into())),
    }
}
