//! Playbook S22: SQL text is never built from values. Both backends bind every value as a
//! parameter; `format!` may only splice the column-list constants (`{ACCOUNT_COLUMNS}`) that are
//! written into the source. This test reads the backends' source and refuses any `format!` that
//! builds SQL with anything else in braces.

// A test fails loudly on purpose: a panic is the failure with its reason.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

const BACKENDS: [&str; 2] = ["store-sqlite", "store-postgres"];
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

#[test]
fn no_backend_builds_sql_from_values() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = Vec::new();
    for backend in BACKENDS {
        sources(&crates.join(backend).join("src"), &mut files);
    }
    assert!(files.len() > 10, "the backends' sources were not found");
    let mut findings = Vec::new();
    let mut checked = 0;
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        for call in format_calls(&source) {
            checked += usize::from(SQL_WORDS.iter().any(|w| call.contains(w)));
            for piece in offending_pieces(call) {
                findings.push(format!("{}: {piece} in {call}", file.display()));
            }
        }
    }
    assert!(
        checked > 10,
        "no SQL-building format! found: the check is not looking"
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
