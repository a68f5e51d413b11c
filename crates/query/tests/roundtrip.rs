//! Property tests: printing any tree parses back to it; no input makes the parser panic.

use feedbridge_query::{CmpOp, Expr, OrderBy, Query};
use proptest::prelude::*;

fn path() -> impl Strategy<Value = String> {
    prop::collection::vec("[A-Za-z_][A-Za-z0-9_-]{0,6}", 1..4).prop_map(|segs| segs.join("."))
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        // Plain text, often printed bare.
        "[A-Za-z0-9 .:+-]{0,12}",
        // Text full of the characters the lexer treats specially.
        "[a-z =!~<>{}&|'\"\\\\ \t]{0,12}",
        // Anything at all, including non-ASCII and control characters.
        any::<String>().prop_map(|s| s.chars().take(12).collect()),
        Just("null".to_owned()),
        Just("NULL".to_owned()),
    ]
}

fn expr() -> impl Strategy<Value = Expr> {
    let leaf = (path(), prop::sample::select(CmpOp::ALL.to_vec()), value())
        .prop_map(|(p, op, v)| Expr::cmp(p, op, v));
    leaf.prop_recursive(5, 24, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(l, r)| l.and(r)),
            (inner.clone(), inner).prop_map(|(l, r)| l.or(r)),
        ]
    })
}

proptest! {
    #[test]
    fn printed_ast_parses_back(e in expr()) {
        let text = e.to_string();
        let parsed = Query::parse(&text);
        prop_assert!(parsed.is_ok(), "{:?} -> {:?}: {:?}", e, text, parsed.map_err(|e| e.detail().to_string()));
        let parsed = parsed.unwrap();
        prop_assert_eq!(parsed.expr(), &e, "text: {}", text);
    }

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        let _ = Query::parse(&s);
        let _ = OrderBy::parse(&s);
    }

    #[test]
    fn query_shaped_noise_never_panics(s in "[a-c.=!~<>{}&| '\"\\\\0-9-]{0,40}") {
        if let Ok(q) = Query::parse(&s) {
            // Anything accepted must also survive a print/parse cycle.
            prop_assert_eq!(Query::parse(&q.to_string()).unwrap(), q);
        }
        let _ = OrderBy::parse(&s);
    }
}
