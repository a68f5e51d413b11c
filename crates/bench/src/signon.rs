//! OFX sign-ons per second: one set of paired credentials (the authentication prompt off),
//! signed on over HTTP by concurrent clients, each request a full `SONRQ`.

use std::sync::Arc;
use std::time::Instant;

use feedbridge::clock::SystemClock;
use feedbridge::config::Config;
use feedbridge::domain::companies::CompanyInput;
use feedbridge_ofx::{parse_response, write_request, Header, Request, SignonRq};

pub async fn run(clients: usize, per_client: usize) -> anyhow::Result<f64> {
    let dir = tempfile::tempdir()?;
    let mut config = Config {
        data_dir: dir.path().to_path_buf(),
        ..Config::default()
    };
    config.feed.authentication_prompt = false;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let running = feedbridge::app::start(&config, listener, Arc::new(SystemClock)).await?;
    let services = &running.services;
    let client = services.create_client("Bench").await?.key.client_id;
    let input = CompanyInput {
        name: Some("Bench".into()),
        description: None,
        tags: None,
    };
    let company = services.create_company(client, input).await?;
    let (company, conn) = services
        .create_connection(client, company.id, Some("hcws"))
        .await?;
    let issued = services.generate_credentials(&company, &conn).await?;
    let body = write_request(
        &Header::xml_220(),
        &Request::new(SignonRq::new(
            services.now(),
            &issued.username,
            &issued.password,
        )),
    );
    let url = format!("{}/ofx", running.base_url);
    let http = reqwest::Client::new();
    // The first sign-on pairs the credentials; the measured ones are all paired sign-ons.
    signon(&http, &url, &body).await?;
    let started = Instant::now();
    let tasks = (0..clients).map(|_| {
        let (http, url, body) = (http.clone(), url.clone(), body.clone());
        tokio::spawn(async move {
            for _ in 0..per_client {
                signon(&http, &url, &body).await?;
            }
            anyhow::Ok(())
        })
    });
    for task in futures::future::join_all(tasks).await {
        task??;
    }
    let rate = (clients * per_client) as f64 / started.elapsed().as_secs_f64();
    running.stop().await;
    Ok(rate)
}

async fn signon(http: &reqwest::Client, url: &str, body: &[u8]) -> anyhow::Result<()> {
    let res = http
        .post(url)
        .header("content-type", "application/x-ofx")
        .body(body.to_owned())
        .send()
        .await?;
    anyhow::ensure!(res.status().is_success(), "sign-on: {}", res.status());
    let reply = parse_response(&res.bytes().await?)?;
    let code = reply.message.signon.status.code;
    anyhow::ensure!(code == 0, "sign-on refused with code {code}");
    Ok(())
}
