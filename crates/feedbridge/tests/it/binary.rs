//! The `feedbridge` binary as an operator runs it: no configuration, a fresh data directory, and
//! secrets that never reach the logs or the database in plain text.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

use crate::support::basic;

const BIN: &str = env!("CARGO_BIN_EXE_feedbridge");

/// A `serve` process; killed on drop.
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(cwd: &Path, args: &[&str], log: &Path) -> Server {
    let mut child = Command::new(BIN)
        .arg("serve")
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .current_dir(cwd)
        .env_clear()
        .env("RUST_LOG", "trace")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    Server { child, url }
}

fn apikey(cwd: &Path, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(["apikey", "create"])
        .args(args)
        .current_dir(cwd)
        .env_clear()
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn serve_with_no_configuration_is_ready_on_a_fresh_data_directory() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), &[], &dir.path().join("log"));
    let res = reqwest::get(format!("{}/readyz", server.url))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let key = dir.path().join("feedbridge-data/secret.key");
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(dir.path().join("feedbridge-data/feedbridge.db").exists());
}

#[tokio::test]
async fn passwords_and_keys_never_reach_logs_or_columns() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data_arg = data.to_str().unwrap();
    let key = apikey(dir.path(), &["--name", "Secrecy", "--data-dir", data_arg]);
    assert!(key.starts_with("fbk_"), "{key}");
    let log = dir.path().join("serve.log");
    let server = serve(dir.path(), &["--data-dir", data_arg], &log);
    let http = reqwest::Client::new();
    let auth = basic(&key);
    let company: Value = http
        .post(format!("{}/companies", server.url))
        .header("authorization", &auth)
        .json(&json!({"name": "Quiet"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let c = company["id"].as_str().unwrap();
    let conn: Value = http
        .post(format!("{}/companies/{c}/connections", server.url))
        .header("authorization", &auth)
        .json(&json!({"platformKey": "hcws"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let k = conn["id"].as_str().unwrap();
    let creds: Value = http
        .post(format!(
            "{}/companies/{c}/connections/{k}/connectionInfo/bankFeedAccounts/credentials",
            server.url
        ))
        .header("authorization", &auth)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let password = creds["password"].as_str().unwrap().to_owned();
    assert!(password.len() >= 20);
    drop(server);

    let logs = std::fs::read_to_string(&log).unwrap();
    assert!(
        logs.contains("request"),
        "trace logging was on, so requests were logged"
    );
    for secret in [&password, &key] {
        assert!(!logs.contains(secret.as_str()), "a secret reached the log");
    }
    for file in std::fs::read_dir(&data).unwrap() {
        let bytes = std::fs::read(file.unwrap().path()).unwrap();
        for secret in [&password, &key] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "a secret is stored in plain text"
            );
        }
    }
}
