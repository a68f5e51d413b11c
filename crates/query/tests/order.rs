//! `orderBy` parsing, validation and sorting.

mod common;

use common::Rec;
use feedbridge_query::{Direction, ErrorKind, OrderBy};

#[test]
fn parse_direction_and_path() {
    let cases = [
        ("-requestedOnUtc", "requestedOnUtc", Direction::Descending),
        ("name", "name", Direction::Ascending),
        (" name ", "name", Direction::Ascending), // `+name` after URL decoding
        (
            "-sourceAccount.status",
            "sourceAccount.status",
            Direction::Descending,
        ),
    ];
    for (text, path, dir) in cases {
        let by = OrderBy::parse(text).unwrap();
        assert_eq!((by.path(), by.direction()), (path, dir), "{text:?}");
    }
    assert_eq!(OrderBy::parse("-a.b").unwrap().to_string(), "-a.b");
}

#[test]
fn malformed_order_by() {
    for text in [
        "", " ", "-", "--a", "a b", "a,b", "a=1", "+a", ".a", "a.", "-a..b",
    ] {
        assert!(OrderBy::parse(text).is_err(), "{text:?}");
    }
}

#[test]
fn allow_list() {
    let by = OrderBy::parse("-secret").unwrap();
    let err = by.check_fields(&["name", "requestedOnUtc"]).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::UnknownField("secret".into()));
    assert!(OrderBy::parse("-requestedOnUtc")
        .unwrap()
        .check_fields(&["name", "requestedOnUtc"])
        .is_ok());
}

fn ids(recs: &[Rec]) -> Vec<&str> {
    recs.iter()
        .map(|r| match r.0.get("id") {
            Some(feedbridge_query::FieldValue::Str(s)) => s.as_str(),
            _ => "?",
        })
        .collect()
}

#[test]
fn sort_numbers_nulls_last_in_both_directions() {
    let recs = vec![
        Rec::default().with("id", "a").num("n", "10"),
        Rec::default().with("id", "b"),
        Rec::default().with("id", "c").num("n", "9"),
        Rec::default().with("id", "d").num("n", "100"),
        Rec::default()
            .with("id", "e")
            .with("n", feedbridge_query::FieldValue::Null),
    ];
    let mut asc = recs.clone();
    OrderBy::parse("n").unwrap().sort(&mut asc);
    assert_eq!(ids(&asc), ["c", "a", "d", "b", "e"]);
    let mut desc = recs;
    desc.sort_by(|a, b| OrderBy::parse("-n").unwrap().compare(a, b));
    assert_eq!(ids(&desc), ["d", "a", "c", "b", "e"]);
}

#[test]
fn sort_is_stable_and_case_insensitive() {
    let recs = vec![
        Rec::default().with("id", "1").with("name", "beta"),
        Rec::default().with("id", "2").with("name", "ACME"),
        Rec::default().with("id", "3").with("name", "Beta"),
        Rec::default().with("id", "4").with("name", "acme"),
    ];
    let mut asc = recs.clone();
    OrderBy::parse("name").unwrap().sort(&mut asc);
    assert_eq!(ids(&asc), ["2", "4", "1", "3"]);
    let mut desc = recs;
    OrderBy::parse("-name").unwrap().sort(&mut desc);
    assert_eq!(ids(&desc), ["1", "3", "2", "4"]);
}

#[test]
fn sort_dates_by_instant() {
    let mut recs = vec![
        Rec::default()
            .with("id", "late")
            .ts("at", "2024-05-02T00:00:00+02:00"),
        Rec::default()
            .with("id", "early")
            .ts("at", "2024-05-01T21:00:00Z"),
        Rec::default()
            .with("id", "mid")
            .ts("at", "2024-05-01T23:00:00Z"),
    ];
    OrderBy::new("at", Direction::Descending).sort(&mut recs);
    // 00:00+02:00 is 22:00Z, between the other two.
    assert_eq!(ids(&recs), ["mid", "late", "early"]);
}
