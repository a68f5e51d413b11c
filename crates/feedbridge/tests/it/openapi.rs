//! The client API's OpenAPI document, as the server serves it, is the one committed in
//! `docs/openapi.json`, so every change to the API shows up as a reviewable diff. After changing
//! the API on purpose, regenerate the file with
//! `cargo run -q -p feedbridge -- openapi > docs/openapi.json`.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::support::TestApp;

const COMMITTED: &str = include_str!("../../../../docs/openapi.json");

/// The first line where the two documents part, both pretty-printed with sorted keys.
fn first_difference(committed: &Value, served: &Value) -> String {
    let committed = serde_json::to_string_pretty(committed).unwrap();
    let served = serde_json::to_string_pretty(served).unwrap();
    let (mut old, mut new) = (committed.lines(), served.lines());
    for number in 1.. {
        match (old.next(), new.next()) {
            (a, b) if a == b && a.is_some() => {}
            (a, b) => return format!("line {number}: committed {a:?}, served {b:?}"),
        }
    }
    unreachable!("the lines of a string end")
}

#[tokio::test]
async fn the_served_document_is_the_committed_one() {
    let app = TestApp::spawn().await;
    let doc = app
        .req(Method::GET, "/openapi.json")
        .anonymous()
        .send()
        .await;
    let served = doc.expect(StatusCode::OK);
    let committed: Value = serde_json::from_str(COMMITTED).unwrap();
    assert!(
        committed == served,
        "docs/openapi.json is not the served document ({}); if the API change is intended, run \
         `cargo run -q -p feedbridge -- openapi > docs/openapi.json` and commit the file",
        first_difference(&committed, &served)
    );
}
