//! The OpenAPI documents, as the server serves them, are the ones committed in `docs/`, so every
//! change to an API shows up as a reviewable diff. After changing an API on purpose, regenerate
//! them with `cargo run -q -p feedbridge -- openapi > docs/openapi.json` and
//! `cargo run -q -p feedbridge -- openapi --fdx > docs/fdx-openapi.json`.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::support::TestApp;

const CLIENT_API: &str = include_str!("../../../../docs/openapi.json");
const FDX: &str = include_str!("../../../../docs/fdx-openapi.json");

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

/// Fails when the document served at `path` is not `committed` (the file `file`).
async fn assert_committed(path: &str, committed: &str, file: &str, flag: &str) {
    let app = TestApp::spawn().await;
    let served = app.req(Method::GET, path).anonymous().send().await;
    let served = served.expect(StatusCode::OK);
    let committed: Value = serde_json::from_str(committed).unwrap();
    assert!(
        committed == served,
        "{file} is not the served document ({}); if the API change is intended, run \
         `cargo run -q -p feedbridge -- openapi{flag} > {file}` and commit the file",
        first_difference(&committed, &served)
    );
}

#[tokio::test]
async fn the_served_client_api_document_is_the_committed_one() {
    assert_committed("/openapi.json", CLIENT_API, "docs/openapi.json", "").await;
}

#[tokio::test]
async fn the_served_fdx_document_is_the_committed_one() {
    assert_committed(
        "/fdx/v6/openapi.json",
        FDX,
        "docs/fdx-openapi.json",
        " --fdx",
    )
    .await;
}
