//! Transport limits: a request head that never ends is cut off, a body past 1 MiB is refused with
//! a 413 `ErrorMessage` (declared up front, or streamed and refused while still arriving), and
//! hostile JSON (deep nesting, numbers too large
//! for money) is a clean 400 that changes nothing.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::Server;

async fn connect(srv: &Server) -> TcpStream {
    TcpStream::connect(srv.running.addr).await.unwrap()
}

#[tokio::test]
async fn a_request_head_that_never_ends_is_closed_within_eleven_seconds() {
    let srv = Server::start().await;
    let mut stream = connect(&srv).await;
    stream
        .write_all(b"GET /companies HTTP/1.1\r\nHost: localhost\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(11), stream.read_to_end(&mut rest)).await;
    assert!(read.is_ok(), "the connection was still open after 11 s");
    assert!(
        started.elapsed() >= Duration::from_secs(5),
        "closed before the client had a fair chance to finish"
    );
    let text = String::from_utf8_lossy(&rest);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 408"),
        "unexpected answer {text:?}"
    );
}

/// Streams two MiB in 64 KiB chunks, never the closing chunk, and returns the start of the answer:
/// an answer can only come from the server giving up on the body, not from it having read it all.
async fn stream_two_mebibytes(srv: &Server, extra_header: &str) -> String {
    let (mut reader, mut writer) = connect(srv).await.into_split();
    let head = format!(
        "POST /companies HTTP/1.1\r\nHost: localhost\r\nAuthorization: {}\r\n{extra_header}\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
        srv.auth
    );
    let sender = tokio::spawn(async move {
        writer.write_all(head.as_bytes()).await?;
        let chunk = vec![b' '; 64 * 1024];
        for _ in 0..32 {
            writer.write_all(b"10000\r\n").await?;
            writer.write_all(&chunk).await?;
            writer.write_all(b"\r\n").await?;
        }
        std::future::pending::<std::io::Result<()>>().await
    });
    let mut answer = vec![0; 1024];
    let read = tokio::time::timeout(Duration::from_secs(10), reader.read(&mut answer))
        .await
        .expect("no answer while the body was still arriving")
        .unwrap();
    sender.abort();
    String::from_utf8_lossy(&answer[..read]).into_owned()
}

#[tokio::test]
async fn a_chunked_body_past_one_mebibyte_is_refused_while_still_arriving() {
    let srv = Server::start().await;
    for extra_header in ["", "Idempotency-Key: big-1\r\n"] {
        let answer = stream_two_mebibytes(&srv, extra_header).await;
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        assert!(answer.contains("larger than 1 MiB"), "{answer}");
    }
    assert_eq!(srv.get("/companies").await["totalResults"], 0);
}

#[tokio::test]
async fn a_declared_length_past_one_mebibyte_is_an_error_message() {
    let srv = Server::start().await;
    let body = vec![b' '; 1024 * 1024 + 1];
    for key in [None, Some("big-2")] {
        let mut request = srv
            .http
            .post(format!("{}/companies", srv.running.base_url))
            .header("authorization", &srv.auth)
            .header("content-type", "application/json")
            .body(body.clone());
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        let answer = request.send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(
            answer.headers()["content-type"],
            "application/json",
            "{key:?}"
        );
        let error: Value = answer.json().await.unwrap();
        assert_eq!(error["statusCode"], 413);
        assert_eq!(error["error"], "The request body is larger than 1 MiB.");
        assert_eq!(error["service"], "PublicApi");
    }
    assert_eq!(srv.get("/companies").await["totalResults"], 0);
}

#[tokio::test]
async fn json_nested_ten_thousand_deep_is_a_400() {
    let srv = Server::start().await;
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    for body in [deep.clone(), format!(r#"{{"name":{deep}}}"#)] {
        let (status, answer) = srv.send("POST", "/companies", Some(&body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        assert_eq!(answer["statusCode"], 400);
    }
    assert_eq!(srv.get("/companies").await["totalResults"], 0);
    assert_eq!(srv.send("GET", "/companies", None).await.0, StatusCode::OK);
}

#[tokio::test]
async fn numbers_too_large_for_money_are_refused_cleanly() {
    let srv = Server::start().await;
    let (company, connection) = srv.connection().await;
    let path =
        format!("/companies/{company}/connections/{connection}/connectionInfo/bankFeedAccounts");
    let huge = format!("1{}", "0".repeat(399));
    for number in ["1e400", huge.as_str(), "-1e400"] {
        let body = format!(
            r#"{{"id":"acc-1","accountName":"Checking","accountType":"checking",
                "accountNumber":"12345678","currency":"USD","balance":{number}}}"#
        );
        let (status, answer) = srv.send("POST", &path, Some(&body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{number}: {answer}");
        assert_eq!(answer["statusCode"], 400);
        let message = answer["error"].as_str().unwrap();
        assert!(!message.contains(&huge), "the number is echoed back");
    }
    let accounts: Value = srv.get(&path).await;
    assert_eq!(accounts.as_array().map(Vec::len), Some(0), "{accounts}");
}
