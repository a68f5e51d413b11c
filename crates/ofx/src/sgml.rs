//! OFX 1.x SGML body parser.
//!
//! OFX 1.x leaves the end tag of leaf elements optional (`<CODE>0` with no `</CODE>`), and some
//! servers also omit it on aggregates they consider "closed by context". We therefore parse
//! with a stack: a start tag after a leaf's text closes that leaf, and an end tag closes every
//! open element up to its match. An aggregate still open at end of input is a truncated
//! document and is rejected.

use crate::element::{Element, MAX_DEPTH};
use crate::error::OfxError;

/// Parses the SGML body (from the first `<`) into its root element, normally `OFX`.
pub(crate) fn parse_body(body: &str) -> Result<Element, OfxError> {
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut pos = 0;
    let bytes = body.as_bytes();
    while pos < bytes.len() {
        let err = |message: &str| OfxError::Sgml {
            offset: pos,
            message: message.to_owned(),
        };
        if bytes[pos] != b'<' {
            let end = body[pos..].find('<').map_or(body.len(), |i| pos + i);
            let text = body[pos..end].trim();
            if !text.is_empty() {
                let top = stack.last_mut().ok_or_else(|| err("text outside <OFX>"))?;
                if !top.children.is_empty() || !top.text.is_empty() {
                    return Err(err("text mixed with elements"));
                }
                top.text = unescape(text);
            }
            pos = end;
            continue;
        }
        let close = body[pos..]
            .find('>')
            .map(|i| pos + i)
            .ok_or_else(|| err("tag is not closed by '>'"))?;
        let tag = &body[pos + 1..close];
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim();
            if !stack.iter().any(|e| e.name == name) {
                return Err(err(&format!("</{name}> closes nothing that is open")));
            }
            // Pop implicitly closed leaves until the matching element is closed too.
            while let Some(done) = stack.pop() {
                let matched = done.name == name;
                attach(&mut stack, &mut root, done).map_err(&err)?;
                if matched {
                    break;
                }
            }
        } else if tag.starts_with('!') || tag.starts_with('?') {
            // SGML comments and declarations carry no data.
        } else {
            let name = tag.trim();
            if name.is_empty() || name.contains(|c: char| c.is_whitespace() || c == '<') {
                return Err(err("invalid tag name"));
            }
            // A start tag right after a leaf's text ends that leaf.
            if stack.last().is_some_and(|top| !top.text.is_empty()) {
                if let Some(leaf) = stack.pop() {
                    attach(&mut stack, &mut root, leaf).map_err(&err)?;
                }
            }
            if stack.len() >= MAX_DEPTH {
                return Err(OfxError::TooDeep(MAX_DEPTH));
            }
            stack.push(Element::new(name));
        }
        pos = close + 1;
    }
    // Trailing unclosed leaves are tolerated; an unclosed aggregate is truncation.
    while let Some(done) = stack.pop() {
        if !done.children.is_empty() || done.text.is_empty() {
            return Err(OfxError::Unclosed(done.name));
        }
        attach(&mut stack, &mut root, done).map_err(|m| OfxError::Sgml {
            offset: body.len(),
            message: m.to_owned(),
        })?;
    }
    root.ok_or_else(|| OfxError::Sgml {
        offset: 0,
        message: "empty body".into(),
    })
}

/// Hands a finished element to its parent, or makes it the root.
fn attach(
    stack: &mut [Element],
    root: &mut Option<Element>,
    done: Element,
) -> Result<(), &'static str> {
    match stack.last_mut() {
        Some(parent) if !parent.text.is_empty() => Err("element inside a leaf's text"),
        Some(parent) => {
            parent.children.push(done);
            Ok(())
        }
        None if root.is_none() => {
            *root = Some(done);
            Ok(())
        }
        None => Err("more than one root element"),
    }
}

/// Replaces the entities OFX text may contain. Unknown entities are kept verbatim: 1.x files in
/// the wild contain stray `&` that clients tolerate.
pub(crate) fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let entity = rest.get(1..).and_then(|r| r.find(';')).filter(|&n| n <= 8);
        let replaced = entity.and_then(|n| {
            let name = &rest[1..=n];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, n + 2))
        });
        match replaced {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_without_end_tags() {
        let e = parse_body("<OFX><A><B>1<C>x &amp; y</A><D>2</D></OFX>").unwrap();
        assert_eq!(e.children[0].children[0].text, "1");
        assert_eq!(e.children[0].children[1].text, "x & y");
        assert_eq!(e.children[1].text, "2");
    }

    #[test]
    fn truncated_and_broken_bodies_fail() {
        for body in [
            "<OFX><A><B>1",
            "<OFX><A>",
            "<OFX></A></OFX>",
            "<OFX",
            "<OFX>x<A>1</A></OFX>",
            "",
        ] {
            assert!(parse_body(body).is_err(), "{body:?}");
        }
    }

    #[test]
    fn entities() {
        assert_eq!(
            unescape("a&lt;b&gt;c&#233;&#xE9;&bogus; &"),
            "a<b>céé&bogus; &"
        );
    }
}
