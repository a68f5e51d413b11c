//! Fuzzes the OFX parser: arbitrary bytes must yield `Ok` or `Err`, never a panic, and any
//! request or response that parses must survive a write/parse round trip in its own version.
#![no_main]

use feedbridge_ofx::{parse_request, parse_response, write_request, write_response};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = parse_request(data) {
        let bytes = write_request(&p.header, &p.message);
        assert!(parse_request(&bytes).is_ok(), "rewritten request must parse");
    }
    if let Ok(p) = parse_response(data) {
        let bytes = write_response(&p.header, &p.message);
        assert!(parse_response(&bytes).is_ok(), "rewritten response must parse");
    }
});
