//! The counters and latency histograms behind `/metrics`, rendered as Prometheus text.
//!
//! A handful of atomics is all the operators' scrape needs, so this stays hand-written rather than
//! pulling in a metrics framework. Labels are closed sets chosen by the code (route patterns,
//! status classes, outcome names): nothing a tenant sends ever becomes a label value.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Upper bounds (seconds) of the request latency buckets.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// How a push ended.
pub const PUSH_OUTCOMES: [&str; 2] = ["success", "failed"];

/// How an OFX sign-on ended; `error` is a sign-on the server could not decide.
pub const SIGNON_OUTCOMES: [&str; 7] = [
    "accepted",
    "prompt_required",
    "challenge",
    "wrong_code",
    "refused",
    "address_blocked",
    "error",
];

/// One request series: method, route pattern and status class.
type RequestKey = (String, String, &'static str);

#[derive(Default)]
struct Histogram {
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Histogram {
    fn observe(&self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        if let Some(i) = BUCKETS.iter().position(|b| seconds <= *b) {
            self.buckets[i].fetch_add(1, Ordering::Relaxed);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        self.sum_micros.fetch_add(micros, Ordering::Relaxed);
    }
}

/// Everything `/metrics` reports except the webhook backlog, which is read from the store.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<RequestKey, Arc<Histogram>>>,
    pushes: [AtomicU64; PUSH_OUTCOMES.len()],
    transactions_stored: AtomicU64,
    signons: [AtomicU64; SIGNON_OUTCOMES.len()],
}

impl Metrics {
    /// Records one answered request; `route` must be a route pattern, never a raw path.
    pub fn request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let key = (method.to_owned(), route.to_owned(), status_class(status));
        let histogram = {
            let mut map = self.requests.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(map.entry(key).or_default())
        };
        histogram.observe(elapsed);
    }

    /// Records a finished push and, when it succeeded, the transactions it stored.
    pub fn push(&self, success: bool, stored: usize) {
        let i = usize::from(!success);
        self.pushes[i].fetch_add(1, Ordering::Relaxed);
        if success {
            let stored = u64::try_from(stored).unwrap_or(u64::MAX);
            self.transactions_stored
                .fetch_add(stored, Ordering::Relaxed);
        }
    }

    /// Records a sign-on by one of [`SIGNON_OUTCOMES`]; other names are ignored.
    pub fn signon(&self, outcome: &str) {
        if let Some(i) = SIGNON_OUTCOMES.iter().position(|o| *o == outcome) {
            self.signons[i].fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The exposition text, with `backlog` pending webhook deliveries.
    pub fn render(&self, backlog: u64) -> String {
        let mut out = String::new();
        self.render_requests(&mut out);
        let pushes = "feedbridge_pushes_total";
        header(&mut out, pushes, "counter", "Finished pushes by outcome.");
        outcomes(&mut out, pushes, &PUSH_OUTCOMES, &self.pushes);
        let stored = "feedbridge_transactions_stored_total";
        let help = "Bank transactions stored by successful pushes.";
        header(&mut out, stored, "counter", help);
        let _ = writeln!(out, "{stored} {}", load(&self.transactions_stored));
        let signons = "feedbridge_ofx_signons_total";
        header(&mut out, signons, "counter", "OFX sign-ons by outcome.");
        outcomes(&mut out, signons, &SIGNON_OUTCOMES, &self.signons);
        let gauge = "feedbridge_webhook_backlog";
        header(
            &mut out,
            gauge,
            "gauge",
            "Webhook deliveries waiting for an attempt.",
        );
        let _ = writeln!(out, "{gauge} {backlog}");
        out
    }

    fn render_requests(&self, out: &mut String) {
        let series: Vec<(RequestKey, Arc<Histogram>)> = {
            let map = self.requests.lock().unwrap_or_else(|e| e.into_inner());
            map.iter()
                .map(|(k, h)| (k.clone(), Arc::clone(h)))
                .collect()
        };
        let total = "feedbridge_http_requests_total";
        header(
            out,
            total,
            "counter",
            "Answered requests by route pattern and status class.",
        );
        for ((method, route, class), h) in &series {
            let labels = labels(method, route, class);
            let _ = writeln!(out, "{total}{{{labels}}} {}", load(&h.count));
        }
        let name = "feedbridge_http_request_duration_seconds";
        header(
            out,
            name,
            "histogram",
            "Time to answer, by route pattern and status class.",
        );
        for ((method, route, class), h) in &series {
            let labels = labels(method, route, class);
            let mut cumulative = 0;
            for (bound, count) in BUCKETS.iter().zip(&h.buckets) {
                cumulative += load(count);
                let _ = writeln!(out, "{name}_bucket{{{labels},le=\"{bound}\"}} {cumulative}");
            }
            let count = load(&h.count);
            let _ = writeln!(out, "{name}_bucket{{{labels},le=\"+Inf\"}} {count}");
            let sum = load(&h.sum_micros) as f64 / 1e6;
            let _ = writeln!(out, "{name}_sum{{{labels}}} {sum}");
            let _ = writeln!(out, "{name}_count{{{labels}}} {count}");
        }
    }
}

fn load(counter: &AtomicU64) -> u64 {
    counter.load(Ordering::Relaxed)
}

/// One sample per outcome, zeros included, so a rate never starts from a missing series.
fn outcomes(out: &mut String, name: &str, names: &[&str], counts: &[AtomicU64]) {
    for (outcome, count) in names.iter().zip(counts) {
        let _ = writeln!(out, "{name}{{outcome=\"{outcome}\"}} {}", load(count));
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

fn labels(method: &str, route: &str, class: &str) -> String {
    format!(
        "method=\"{}\",route=\"{}\",status=\"{class}\"",
        escape(method),
        escape(route)
    )
}

/// Label values escape backslash, quote and newline, as the text format requires.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn status_class(status: u16) -> &'static str {
    match status / 100 {
        1 => "1xx",
        2 => "2xx",
        3 => "3xx",
        4 => "4xx",
        _ => "5xx",
    }
}
