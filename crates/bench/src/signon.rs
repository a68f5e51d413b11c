//! OFX sign-ons per second: one set of paired credentials (the authentication prompt off),
//! signed on over HTTP by concurrent clients, each request a full `SONRQ`.

use std::time::Instant;

use feedbridge::domain::companies::CompanyInput;
use feedbridge_ofx::{parse_response, write_request, Header, Request, SignonRq};

use crate::backend::Backend;
use crate::rss;

/// Sign-ons per second and the peak resident set during the run (server and clients), MiB.
pub async fn run(
    backend: &Backend,
    clients: usize,
    per_client: usize,
) -> anyhow::Result<(f64, Option<u64>)> {
    let dir = tempfile::tempdir()?;
    rss::reset_peak();
    let running = backend.start(dir.path()).await?;
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
    Ok((rate, rss::peak_mib()))
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
