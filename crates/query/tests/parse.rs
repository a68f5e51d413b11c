//! Parser table tests: precedence, grouping, operators, quoting, whitespace, paths, errors.

use feedbridge_query::{CmpOp, ErrorKind, Expr, Query, MALFORMED_QUERY_MESSAGE};

fn c(path: &str, op: CmpOp, value: &str) -> Expr {
    Expr::cmp(path, op, value)
}

fn eq(path: &str, value: &str) -> Expr {
    c(path, CmpOp::Eq, value)
}

fn parse(text: &str) -> Expr {
    match Query::parse(text) {
        Ok(q) => q.expr().clone(),
        Err(e) => panic!("{text:?} failed: {}", e.detail()),
    }
}

#[test]
fn precedence_and_grouping() {
    let cases = [
        (
            "a=1 || b=2 && c=3",
            eq("a", "1").or(eq("b", "2").and(eq("c", "3"))),
        ),
        (
            "a=1 && b=2 || c=3",
            eq("a", "1").and(eq("b", "2")).or(eq("c", "3")),
        ),
        (
            "{a=1 || b=2} && c=3",
            eq("a", "1").or(eq("b", "2")).and(eq("c", "3")),
        ),
        (
            "a=1 && {b=2 || c=3}",
            eq("a", "1").and(eq("b", "2").or(eq("c", "3"))),
        ),
        (
            "a=1 && b=2 && c=3",
            eq("a", "1").and(eq("b", "2")).and(eq("c", "3")),
        ),
        (
            "a=1 || b=2 || c=3",
            eq("a", "1").or(eq("b", "2")).or(eq("c", "3")),
        ),
        (
            "a=1 && {b=2 && c=3}",
            eq("a", "1").and(eq("b", "2").and(eq("c", "3"))),
        ),
        ("{a=1}", eq("a", "1")),
        ("{{{a=1}}}", eq("a", "1")),
        (
            "{a=1 || b=2} && {c=3 || d=4}",
            eq("a", "1")
                .or(eq("b", "2"))
                .and(eq("c", "3").or(eq("d", "4"))),
        ),
    ];
    for (text, want) in cases {
        assert_eq!(parse(text), want, "{text}");
    }
}

#[test]
fn every_operator() {
    let cases = [
        ("a=1", CmpOp::Eq),
        ("a!=1", CmpOp::Ne),
        ("a~1", CmpOp::Contains),
        ("a>1", CmpOp::Gt),
        ("a<1", CmpOp::Lt),
        ("a>=1", CmpOp::Ge),
        ("a<=1", CmpOp::Le),
    ];
    for (text, op) in cases {
        assert_eq!(parse(text), c("a", op, "1"), "{text}");
    }
}

#[test]
fn values_and_quoting() {
    let cases = [
        ("name=Acme Holdings Ltd", "Acme Holdings Ltd"),
        ("name = Acme Holdings Ltd ", "Acme Holdings Ltd"),
        ("name='Acme && Co'", "Acme && Co"),
        ("name=\"Acme || Co\"", "Acme || Co"),
        ("name='  padded  '", "  padded  "),
        ("name=\"it's\"", "it's"),
        ("name='say \"hi\"'", "say \"hi\""),
        (r#"name="a \"b\" \\ c""#, r#"a "b" \ c"#),
        (r"name='C:\temp'", r"C:\temp"),
        ("name=''", ""),
        ("name='null'", "null"),
        ("name='{a=1}'", "{a=1}"),
        ("name=Hello!", "Hello!"),
        (
            "date>2024-05-01T10:00:00+01:00",
            "2024-05-01T10:00:00+01:00",
        ),
        (
            "id=8a210b68-6988-11ed-a1eb-0242ac120002",
            "8a210b68-6988-11ed-a1eb-0242ac120002",
        ),
        ("name=Café Zürich", "Café Zürich"),
    ];
    for (text, value) in cases {
        let Expr::Cmp { value: got, .. } = parse(text) else {
            panic!("{text} did not parse to a comparison");
        };
        assert_eq!(got, value, "{text}");
    }
}

#[test]
fn whitespace_is_insignificant_between_tokens() {
    let want = eq("a", "1").and(eq("b", "2").or(c("c", CmpOp::Ge, "3")));
    for text in [
        "a=1&&{b=2||c>=3}",
        "  a = 1  &&  {  b = 2  ||  c >= 3  }  ",
        "a=1\t&&\n{b=2 ||c>=3}",
    ] {
        assert_eq!(parse(text), want, "{text:?}");
    }
}

#[test]
fn dotted_paths() {
    assert_eq!(
        parse("sourceAccount.status=connected && tags.region=uk"),
        eq("sourceAccount.status", "connected").and(eq("tags.region", "uk"))
    );
    assert_eq!(parse("tags.team-name=ops"), eq("tags.team-name", "ops"));
}

#[test]
fn fields_are_listed_once_in_order() {
    let q = Query::parse("status=a || name~b && status!=c || tags.region=uk").unwrap();
    assert_eq!(q.fields(), ["status", "name", "tags.region"]);
}

#[test]
fn allow_list() {
    let allowed = ["id", "name", "status", "sourceAccount.status", "tags.*"];
    for ok in [
        "id=1",
        "name~x && status=y",
        "sourceAccount.status=c",
        "tags.region=uk",
    ] {
        assert!(
            Query::parse(ok).unwrap().check_fields(&allowed).is_ok(),
            "{ok}"
        );
    }
    for (bad, field) in [
        ("id=1 && secret=2", "secret"),
        ("Status=x", "Status"),
        ("sourceAccount=x", "sourceAccount"),
        ("sourceAccount.id=x", "sourceAccount.id"),
        ("tags=x", "tags"),
        ("tagsx.a=x", "tagsx.a"),
    ] {
        let err = Query::parse(bad)
            .unwrap()
            .check_fields(&allowed)
            .unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::UnknownField(field.into()), "{bad}");
        assert_eq!(err.to_string(), MALFORMED_QUERY_MESSAGE);
    }
}

#[test]
fn malformed_inputs_are_errors() {
    let long = format!("name={}", "x".repeat(2048));
    let deep = format!("{}a=1{}", "{".repeat(40), "}".repeat(40));
    let cases: &[&str] = &[
        "",
        "   ",
        "status=",
        "status=   ",
        "=x",
        "a=1 &&",
        "a=1 ||",
        "&& a=1",
        "{a=1",
        "a=1}",
        "{}",
        "a==1",
        "a=>1",
        "a<>1",
        "a=1=2",
        "a",
        "a b=1",
        "a=1 b=2",
        "a=1 | b=2",
        "a=1 & b=2",
        "a=x|y",
        "a=1 &&& b=2",
        "a='unterminated",
        "a=\"unterminated",
        "a='x'y",
        "a=it's",
        "a=null",
        "a = NULL ",
        ".a=1",
        "a.=1",
        "a..b=1",
        "-a=1",
        "a.-b=1",
        "'a'=1",
        "a=1 && {b=2",
        "a=1 {b=2}",
        "a=1 && $b=1",
        "a!1",
        &long,
        &deep,
    ];
    for text in cases {
        match Query::parse(text) {
            Ok(q) => panic!("{text:?} parsed as {:?}", q.expr()),
            Err(e) => assert_eq!(e.to_string(), MALFORMED_QUERY_MESSAGE, "{text:?}"),
        }
    }
}

#[test]
fn length_limit_is_under_2048_characters() {
    let at_limit = format!("n={}", "é".repeat(2045));
    assert_eq!(at_limit.chars().count(), 2047);
    assert!(Query::parse(&at_limit).is_ok());
    let over = format!("n={}", "é".repeat(2046));
    let err = Query::parse(&over).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::TooLong { chars: 2048, .. }));
}

#[test]
fn errors_carry_detail_for_logs() {
    let err = Query::parse("status=").unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::ExpectedValue("="));
    assert_eq!(err.offset(), Some(7));
    assert_eq!(
        err.detail().to_string(),
        "expected a value after '=' at byte 7"
    );
    let source = std::error::Error::source(&err).map(ToString::to_string);
    assert_eq!(source.as_deref(), Some("expected a value after '='"));
}

#[test]
fn display_is_canonical_and_reparses() {
    let q = Query::parse(" a = 1 || {b = two words && c ~ 'x&&y'} ").unwrap();
    assert_eq!(q.to_string(), r#"a=1 || b=two words && c~"x&&y""#);
    assert_eq!(Query::parse(&q.to_string()).unwrap(), q);
}
