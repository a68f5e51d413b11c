//! Playbook S22: SQL text is never built from values. Every statement lives in
//! `crates/store-sql` (the dialect spellings in the two backend crates) as `'static` text, with
//! its values bound as parameters; column lists are joined at compile time with `concat!`. This
//! test reads those sources and refuses any `format!` that builds SQL with anything but an
//! upper-case constant in braces, any leaked string (the way to turn a built one into `'static`
//! text), and a statement type whose text is not `'static`.

// A test fails loudly on purpose: a panic is the failure with its reason.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

/// The crate holding the SQL, then the backends with their dialect statements.
const SQL_CRATES: [&str; 3] = ["store-sql", "store-sqlite", "store-postgres"];
const SQL_WORDS: [&str; 5] = ["SELECT ", "INSERT ", "UPDATE ", "DELETE ", " FROM "];

/// The text of each `format!(…)` call in `source`, parentheses balanced.
fn format_calls(source: &str) -> Vec<&str> {
    let mut calls = Vec::new();
    for (start, _) in source.match_indices("format!(") {
        let mut depth = 0usize;
        for (offset, ch) in source[start..].char_indices() {
            match ch {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        calls.push(&source[start..start + offset + 1]);
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    calls
}

/// What a SQL-building `format!` splices besides upper-case constants.
fn offending_pieces(call: &str) -> Vec<String> {
    if !SQL_WORDS.iter().any(|w| call.contains(w)) {
        return Vec::new();
    }
    let mut bad = Vec::new();
    let mut rest = call;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let inside = &rest[open + 1..open + close];
        let constant = !inside.is_empty()
            && inside
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        if !constant {
            bad.push(format!("{{{inside}}}"));
        }
        rest = &rest[open + close + 1..];
    }
    bad
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// How many string literals in `source` hold SQL: proof that the check reads the statements.
fn sql_literals(source: &str) -> usize {
    source
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|literal| SQL_WORDS.iter().any(|w| literal.contains(w)))
        .count()
}

#[test]
fn no_statement_is_built_from_values() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = Vec::new();
    for name in SQL_CRATES {
        sources(&crates.join(name).join("src"), &mut files);
    }
    assert!(files.len() > 10, "the SQL crates' sources were not found");
    let mut findings = Vec::new();
    let mut statements = 0;
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        statements += sql_literals(&source);
        for call in format_calls(&source) {
            for piece in offending_pieces(call) {
                findings.push(format!("{}: {piece} in {call}", file.display()));
            }
        }
        if source.contains(".leak()") || source.contains("Box::leak") {
            findings.push(format!("{}: leaks a string", file.display()));
        }
    }
    assert!(
        statements > 50,
        "only {statements} SQL literals found: the check is not looking"
    );
    let stmt = std::fs::read_to_string(crates.join("store-sql/src/stmt.rs")).unwrap();
    assert!(
        stmt.contains("pub sql: &'static str,"),
        "a statement's text must be 'static"
    );
    assert!(
        findings.is_empty(),
        "SQL built from values:\n{}",
        findings.join("\n")
    );
}

#[test]
fn the_check_catches_values_and_allows_constants() {
    let source = r#"
        let ok = format!("SELECT {COLUMNS} FROM t WHERE id = $1");
        let bad = format!("SELECT {COLUMNS} FROM t WHERE id = '{id}'");
        let worse = format!("DELETE FROM t WHERE name = '{}'", name);
        let other = format!("hello {name}");
    "#;
    let found: Vec<Vec<String>> = format_calls(source)
        .into_iter()
        .map(offending_pieces)
        .collect();
    assert_eq!(
        found,
        vec![
            vec![],
            vec!["{id}".to_owned()],
            vec!["{}".to_owned()],
            vec![]
        ]
    );
}
