//! The layering of `docs/architecture.md`, checked: this test reads the crate's source and fails
//! when a top-level module names one it may not (`domain` naming `crate::http`, `wire` naming
//! `crate::domain`, …), when the domain or the shapes name a web or database crate, when a cycle
//! appears between top-level modules, or when the services gain an `impl` outside the domain.
//!
//! Modules inside one crate may import each other freely as far as the compiler cares; this is
//! what keeps the arrows of the diagram true.

// A test fails loudly on purpose: a panic is the failure with its reason.
#![allow(clippy::unwrap_used)]

mod scan;

use std::collections::{BTreeMap, BTreeSet};

use scan::{code_only, cycle, edges, named_crates, named_modules, read_sources};

/// Each top-level module and the modules it may name. Read down the list: a module may only name
/// modules above it, so the arrows point one way.
const LAYERS: &[(&str, &[&str])] = &[
    ("clock", &[]),
    ("keys", &[]),
    ("metrics", &[]),
    ("server", &[]),
    ("wire", &[]),
    ("config", &["keys"]),
    ("telemetry", &["config"]),
    ("domain", &["clock", "config", "keys", "metrics", "wire"]),
    ("webhooks", &["clock", "config", "domain"]),
    (
        "http",
        &["clock", "config", "domain", "keys", "metrics", "wire"],
    ),
    (
        "app",
        &[
            "clock", "config", "domain", "http", "keys", "server", "webhooks",
        ],
    ),
    (
        "cli",
        &[
            "app",
            "clock",
            "config",
            "domain",
            "http",
            "telemetry",
            "wire",
        ],
    ),
];

/// Crates a module may not name: the rules and the shapes know neither the web framework nor the
/// database driver, and the delivery worker serves no HTTP.
const FORBIDDEN_CRATES: &[(&str, &[&str])] = &[
    (
        "domain",
        &[
            "axum",
            "sqlx",
            "hyper",
            "tower",
            "tower_http",
            "askama",
            "reqwest",
        ],
    ),
    ("wire", &["axum", "sqlx", "hyper", "reqwest"]),
    ("webhooks", &["axum", "sqlx", "askama"]),
    ("config", &["axum", "sqlx"]),
];

fn allowed() -> BTreeMap<String, BTreeSet<String>> {
    LAYERS
        .iter()
        .map(|(module, may)| {
            let may = may.iter().map(|m| (*m).to_owned()).collect();
            ((*module).to_owned(), may)
        })
        .collect()
}

#[test]
fn modules_name_only_the_layers_below_them() {
    let sources = read_sources();
    assert!(sources.len() > 50, "the crate's source was not found");
    let graph = edges(&sources);
    for (from, to) in [("http", "domain"), ("domain", "wire"), ("cli", "app")] {
        let seen = graph.get(from).is_some_and(|n| n.contains_key(to));
        assert!(seen, "{from} -> {to} was not seen: the scan is not looking");
    }
    let allowed = allowed();
    let mut findings = Vec::new();
    for (module, names) in &graph {
        let Some(may) = allowed.get(module) else {
            findings.push(format!(
                "`{module}` has no place in LAYERS: add it where it belongs"
            ));
            continue;
        };
        for (named, file) in names {
            if !may.contains(named) {
                findings.push(format!(
                    "{}: `{module}` names `crate::{named}`, against the layers",
                    file.display()
                ));
            }
        }
    }
    assert!(findings.is_empty(), "{}", findings.join("\n"));
}

#[test]
fn no_cycle_between_top_level_modules() {
    let graph: BTreeMap<String, BTreeSet<String>> = edges(&read_sources())
        .into_iter()
        .map(|(module, names)| (module, names.into_keys().collect()))
        .collect();
    assert!(graph.len() >= 10, "only {} modules found", graph.len());
    assert_eq!(cycle(&graph), None, "the modules form a cycle");
    assert_eq!(cycle(&allowed()), None, "LAYERS itself allows a cycle");
}

#[test]
fn the_rules_and_the_shapes_name_no_web_or_database_crate() {
    let mut findings = Vec::new();
    for source in read_sources() {
        let top = source
            .module
            .first()
            .map(String::as_str)
            .unwrap_or_default();
        for (module, crates) in FORBIDDEN_CRATES {
            if top == *module {
                for name in named_crates(&source.code, crates) {
                    findings.push(format!("{}: `{top}` names {name}", source.path.display()));
                }
            }
        }
    }
    assert!(findings.is_empty(), "{}", findings.join("\n"));
}

#[test]
fn only_the_domain_adds_to_the_services_or_reaches_the_store() {
    let mut findings = Vec::new();
    for source in read_sources() {
        if source.module.first().map(String::as_str) == Some("domain") {
            continue;
        }
        for needle in ["impl Services", "store_for_tests"] {
            if source.code.contains(needle) {
                findings.push(format!("{}: {needle}", source.path.display()));
            }
        }
    }
    assert!(findings.is_empty(), "{}", findings.join("\n"));
}

#[test]
fn the_scan_sees_every_way_of_naming_a_module() {
    let module = |path: &str| path.split('/').map(str::to_owned).collect::<Vec<_>>();
    let code = code_only(
        r#"
        use crate::{http::AppState, wire::{self, datetime}};
        use super::super::cli::io;
        use super::events::EventType;
        let url = "https://example.com//crate::app";
        // crate::server is only mentioned here
        /// as is [`crate::telemetry`]
        let t = crate::clock::SystemClock; // and crate::keys here
        "#,
    );
    let named = named_modules(&module("domain/push"), &code);
    let expected = ["cli", "clock", "http", "wire"].map(str::to_owned);
    assert_eq!(named, BTreeSet::from(expected));
    let from_root = named_modules(&module("domain"), "use super::http::Tenant;");
    assert_eq!(from_root, BTreeSet::from(["http".to_owned()]));
    let crates = named_crates(
        "use axum::Router; let x: sqlx::Pool; myaxum::x();",
        &["axum", "sqlx"],
    );
    assert_eq!(
        crates,
        BTreeSet::from(["axum".to_owned(), "sqlx".to_owned()])
    );
}

#[test]
fn a_cycle_is_found_and_a_layering_is_not() {
    let graph = |edges: &[(&str, &str)]| {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (from, to) in edges {
            g.entry((*from).to_owned())
                .or_default()
                .insert((*to).to_owned());
        }
        g
    };
    let layered = graph(&[("http", "domain"), ("domain", "wire"), ("http", "wire")]);
    assert_eq!(cycle(&layered), None);
    let looped = graph(&[("http", "domain"), ("domain", "wire"), ("wire", "http")]);
    let found = cycle(&looped).unwrap();
    assert_eq!(found.first(), found.last());
    assert_eq!(found.len(), 4);
}
