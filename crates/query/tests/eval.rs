//! Evaluation rules per field type, plus null handling and boolean structure.

mod common;

use common::Rec;
use feedbridge_query::{FieldValue, Query};

fn account() -> Rec {
    Rec::default()
        .with("name", "Acme Holdings Ltd")
        .with("status", "Connected")
        .num("balance", "4002.50")
        .with("isActive", true)
        .ts("modifiedDate", "2024-05-01T10:00:00Z")
        .with("sourceAccount.currency", "USD")
        .with("tags.region", "uk")
        .with("nullable", FieldValue::Null)
}

fn check(cases: &[(&str, bool)]) {
    let rec = account();
    for (text, want) in cases {
        let q = Query::parse(text).unwrap_or_else(|e| panic!("{text}: {}", e.detail()));
        assert_eq!(q.matches(&rec), *want, "{text}");
    }
}

#[test]
fn strings_are_case_insensitive() {
    check(&[
        ("status=connected", true),
        ("status=CONNECTED", true),
        ("status!=connected", false),
        ("status=connect", false),
        ("status!=disconnected", true),
        ("name~holdings", true),
        ("name~'ACME HOLD'", true),
        ("name~plc", false),
        ("name~''", true),
        ("status>b", true),
        ("status<d", true),
        ("status>=CONNECTED", true),
        ("status<=connected", true),
        ("status>connected", false),
    ]);
}

#[test]
fn numbers_compare_numerically() {
    check(&[
        ("balance=4002.5", true),
        ("balance=4002.500", true),
        ("balance!=4002.5", false),
        ("balance>4002", true),
        ("balance>999", true), // numeric, not textual, order
        ("balance<10000", true),
        ("balance>=4002.50", true),
        ("balance<=4002.49", false),
        ("balance=-1", false),
        ("balance=abc", false),
        ("balance!=abc", true),
        ("balance>abc", false),
        ("balance~40", false), // contains is a string operator
    ]);
}

#[test]
fn booleans() {
    check(&[
        ("isActive=true", true),
        ("isActive=TRUE", true),
        ("isActive=false", false),
        ("isActive!=false", true),
        ("isActive>false", true),
        ("isActive=yes", false),
    ]);
}

#[test]
fn dates_compare_by_instant() {
    check(&[
        ("modifiedDate=2024-05-01T10:00:00Z", true),
        ("modifiedDate=2024-05-01T10:00:00", true),
        ("modifiedDate=2024-05-01T10:00:00.000", true),
        ("modifiedDate=2024-05-01T11:00:00+01:00", true),
        ("modifiedDate=2024-05-01T06:00:00-04:00", true),
        ("modifiedDate=2024-05-01", false), // midnight, not "that day"
        ("modifiedDate>2024-05-01", true),
        ("modifiedDate<2024-05-02", true),
        ("modifiedDate>=2024-05-01T10:00:00Z", true),
        ("modifiedDate<=2024-05-01T09:59:59Z", false),
        ("modifiedDate>2024-05-01T10:30:00+01:00", true),
        ("modifiedDate>not-a-date", false),
        ("modifiedDate!=not-a-date", true),
    ]);
}

#[test]
fn missing_or_null_matches_only_not_equal() {
    for path in ["missing", "nullable"] {
        for (op, want) in [
            ("=", false),
            ("!=", true),
            ("~", false),
            (">", false),
            ("<", false),
        ] {
            check(&[(&format!("{path}{op}x"), want)]);
        }
        check(&[
            (&format!("{path}>=0"), false),
            (&format!("{path}<=0"), false),
        ]);
    }
}

#[test]
fn dotted_paths_and_structure() {
    check(&[
        ("sourceAccount.currency=usd && tags.region=UK", true),
        ("tags.region=us || tags.region=uk", true),
        ("tags.region=us || status=connected && balance>5000", false),
        ("{tags.region=us || status=connected} && balance>4000", true),
        ("tags.region=us && status=connected || balance>4000", true),
        ("missing=x || {name~acme && isActive=true}", true),
    ]);
}
