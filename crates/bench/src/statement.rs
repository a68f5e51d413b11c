//! Statement downloads at scale: a fixture of `N` stored transactions (see `fixture` and
//! `load`), then OFX clients posting a sign-on plus a `STMTRQ` for a random account's last
//! [`WINDOW_DAYS`] to `/ofx`, as QuickBooks does. Measured twice: one client alone (the
//! latency of one download) and `pullers` clients at once (throughput, and latency under load,
//! which by Little's law cannot drop below pullers ÷ throughput).

use std::time::{Duration, Instant};

use feedbridge::domain::Services;
use feedbridge_ofx::{
    parse_response, write_request, AcctType, BankAcctFrom, Header, IncTran, Request, SignonRq,
    StmtRq, TrnRq,
};
use jiff::{SignedDuration, ToSpan};
use serde_json::{json, Value};

use crate::backend::Backend;
use crate::fixture::{self, Account, Shape, WINDOW_DAYS};
use crate::{layers, load, millis, rss};

/// Downloads by the lone client.
const SINGLE: usize = 300;

/// Sizes of a run.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub transactions: usize,
    pub statements: usize,
    pub pullers: usize,
}

pub async fn run(backend: &Backend, plan: Plan) -> anyhow::Result<Value> {
    let dir = tempfile::tempdir()?;
    let running = backend.start(dir.path()).await?;
    let services = running.services.clone();
    let shape = Shape::new(plan.transactions);
    let started = Instant::now();
    let accounts = fixture::tenants(&services, shape).await?;
    let tenants = started.elapsed();
    let url = backend.url(dir.path());
    let first_day = services.today() - shape.span_days.days();
    let started = Instant::now();
    if url.starts_with("sqlite:") {
        load::sqlite(&url, &accounts, shape, first_day).await?;
    } else {
        load::postgres(&url, &accounts, shape, first_day).await?;
    }
    let loaded = started.elapsed();
    let bodies: Vec<Vec<u8>> = accounts.iter().map(|a| request(&services, a)).collect();
    let pull = Pull {
        http: reqwest::Client::new(),
        url: format!("{}/ofx", running.base_url),
        bodies,
    };
    let (rows, bytes) = pull.check(0).await?;
    // Every account once, unmeasured: pairs the credentials and warms the caches.
    pull.many(pull.bodies.len().min(plan.pullers), pull.bodies.len(), true)
        .await?;
    rss::reset_peak();
    let (mut single, _) = pull.many(1, SINGLE, false).await?;
    let (mut loaded_times, elapsed) = pull.many(plan.pullers, plan.statements, false).await?;
    let rss_mib = rss::peak_mib();
    let layers = layers::run(&services, &accounts, first_day).await?;
    let db_bytes = load::size(&url).await?;
    running.stop().await;
    Ok(json!({
        "transactions": shape.total(),
        "accounts": shape.accounts,
        "rows_per_statement": rows,
        "bytes_per_statement": bytes,
        "tenants_s": secs(tenants),
        "load_s": secs(loaded),
        "load_rows_per_second": (shape.total() as f64 / loaded.as_secs_f64()).round(),
        "db_mib": db_bytes / (1 << 20),
        "single": {"p50_ms": millis(at(&mut single, 0.50)), "p99_ms": millis(at(&mut single, 0.99))},
        "loaded": {
            "pullers": plan.pullers,
            "statements": plan.statements,
            "per_second": (loaded_times.len() as f64 / elapsed.as_secs_f64()).round(),
            "p50_ms": millis(at(&mut loaded_times, 0.50)),
            "p99_ms": millis(at(&mut loaded_times, 0.99)),
        },
        "layers": layers,
        "rss_mib": rss_mib,
    }))
}

/// The quantile `q` of `times` (sorted here).
pub fn at(times: &mut [Duration], q: f64) -> Duration {
    times.sort();
    let last = times.len().saturating_sub(1);
    times
        .get((last as f64 * q).round() as usize)
        .copied()
        .unwrap_or_default()
}

fn secs(d: Duration) -> f64 {
    (d.as_secs_f64() * 10.0).round() / 10.0
}

/// A sign-on and a statement request for `a`'s last [`WINDOW_DAYS`], written once up front so
/// the clients spend no time building requests.
fn request(services: &Services, a: &Account) -> Vec<u8> {
    let now = services.now();
    let mut rq = Request::new(SignonRq::new(now, &a.username, &a.password));
    let account = BankAcctFrom {
        bankid: services.settings.institution.bank_id.clone(),
        branchid: None,
        acctid: a.id.clone(),
        accttype: AcctType::Checking,
        acctkey: None,
    };
    let inctran = IncTran {
        dtstart: Some(now - SignedDuration::from_hours(24 * WINDOW_DAYS)),
        dtend: Some(now),
        include: true,
    };
    let stmt = StmtRq {
        account,
        inctran: Some(inctran),
        includepending: None,
    };
    rq.stmt.push(TrnRq::new(format!("bench-{}", a.id), stmt));
    write_request(&Header::xml_220(), &rq)
}

struct Pull {
    http: reqwest::Client,
    url: String,
    bodies: Vec<Vec<u8>>,
}

impl Pull {
    async fn post(&self, n: usize) -> anyhow::Result<reqwest::Response> {
        let body = self.bodies.get(n).cloned().unwrap_or_default();
        let res = self
            .http
            .post(&self.url)
            .header("content-type", "application/x-ofx")
            .body(body)
            .send()
            .await?;
        anyhow::ensure!(res.status().is_success(), "statement: {}", res.status());
        Ok(res)
    }

    /// Downloads account `n`'s statement and reads it in full: its rows and size.
    async fn check(&self, n: usize) -> anyhow::Result<(usize, usize)> {
        let bytes = self.post(n).await?.bytes().await?;
        let reply = parse_response(&bytes)?;
        let stmt = reply.message.stmt.first();
        let rs = stmt.and_then(|t| t.rs.as_ref());
        let rows = rs
            .and_then(|s| s.tranlist.as_ref())
            .map(|l| l.transactions.len());
        let rows =
            rows.ok_or_else(|| anyhow::anyhow!("no statement: {:?}", stmt.map(|t| &t.status)))?;
        Ok((rows, bytes.len()))
    }

    /// `total` downloads by `clients` at once (random accounts, or each in turn when
    /// `in_turn`); answers each download's time and the elapsed time. A reply without a
    /// statement fails the run; only its head is looked at, to leave the cores to the server.
    async fn many(
        &self,
        clients: usize,
        total: usize,
        in_turn: bool,
    ) -> anyhow::Result<(Vec<Duration>, Duration)> {
        let started = Instant::now();
        let per = total.div_ceil(clients.max(1));
        let tasks = (0..clients).map(|c| async move {
            let mut seed = 0x9E37_79B9_7F4A_7C15_u64 ^ (c as u64 + 1);
            let mut times = Vec::with_capacity(per);
            for k in 0..per {
                let n = if in_turn {
                    c + k * clients
                } else {
                    next(&mut seed)
                };
                if in_turn && n >= self.bodies.len() {
                    break;
                }
                let t = Instant::now();
                let reply = self.post(n % self.bodies.len()).await?.bytes().await?;
                times.push(t.elapsed());
                let head = &reply[..reply.len().min(2048)];
                anyhow::ensure!(
                    head.windows(8).any(|w| w == b"<STMTRS>"),
                    "statement refused: {}",
                    String::from_utf8_lossy(head)
                );
            }
            anyhow::Ok(times)
        });
        let mut all = Vec::with_capacity(total);
        for times in futures::future::join_all(tasks).await {
            all.extend(times?);
        }
        Ok((all, started.elapsed()))
    }
}

/// xorshift64: a random account per download without a generator dependency.
fn next(seed: &mut u64) -> usize {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    (*seed >> 1) as usize
}
