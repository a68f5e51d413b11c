//! Hostile and broken input: every failure is an `OfxError`, never a panic.

// Test helpers outside #[test] fns may unwrap too: a failure should be loud.
#![allow(clippy::unwrap_used)]

use feedbridge_ofx::{parse, parse_request, parse_response, OfxError};
use proptest::prelude::*;

const STMT: &[u8] = include_bytes!("data/stmt102.ofx");
const STMT_XML: &[u8] = include_bytes!("data/stmt220.ofx");

#[test]
fn every_truncation_of_a_request_is_an_error_or_a_valid_prefix() {
    for doc in [STMT, STMT_XML] {
        for cut in 0..doc.len() - 8 {
            // Cuts inside the final "</OFX>" leave every aggregate closed by the SGML rules only
            // when nothing is missing; all shorter cuts must fail cleanly.
            assert!(parse_request(&doc[..cut]).is_err(), "cut at {cut} parsed");
        }
    }
}

#[test]
fn clear_error_messages() {
    let e = parse(b"hello").unwrap_err();
    assert!(matches!(e, OfxError::Header(_)), "{e}");
    let cut = String::from_utf8_lossy(STMT).find("</CCSTMTRQ>").unwrap();
    let e = parse_request(&STMT[..cut]).unwrap_err();
    assert!(e.to_string().contains("never closed"), "{e}");
    // A response is not a request.
    let e = parse_response(STMT_XML).unwrap_err();
    assert!(matches!(e, OfxError::Unexpected(_)), "{e}");
}

#[test]
fn deep_nesting_is_refused() {
    let mut doc = b"OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n".to_vec();
    for _ in 0..100_000 {
        doc.extend_from_slice(b"<A>");
    }
    assert_eq!(
        parse(&doc).unwrap_err(),
        OfxError::TooDeep(feedbridge_ofx::MAX_DEPTH)
    );
    let mut xml = br#"<?xml version="1.0"?><?OFX OFXHEADER="200" VERSION="220"?>"#.to_vec();
    for _ in 0..100_000 {
        xml.extend_from_slice(b"<A>");
    }
    assert_eq!(
        parse(&xml).unwrap_err(),
        OfxError::TooDeep(feedbridge_ofx::MAX_DEPTH)
    );
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_request(&bytes);
        let _ = parse_response(&bytes);
    }

    #[test]
    fn mutated_requests_never_panic(
        pos in 0usize..1000, byte in any::<u8>(), which in any::<bool>(), insert in any::<bool>()
    ) {
        let mut doc = if which { STMT.to_vec() } else { STMT_XML.to_vec() };
        let at = pos % doc.len();
        if insert { doc.insert(at, byte) } else { doc[at] = byte }
        let _ = parse_request(&doc);
    }

    #[test]
    fn tag_soup_never_panics(parts in proptest::collection::vec(
        prop_oneof![Just("<OFX>"), Just("</OFX>"), Just("<A>"), Just("</A>"), Just("x"),
                    Just("&amp;"), Just("&"), Just("<"), Just(">"), Just("<!-- -->"), Just("<?x?>")],
        0..40)
    ) {
        let body: String = parts.concat();
        let _ = parse(format!("OFXHEADER:100 DATA:OFXSGML VERSION:102 {body}").as_bytes());
        let _ = parse(format!("<?OFX OFXHEADER=\"200\" VERSION=\"220\"?>{body}").as_bytes());
    }
}
