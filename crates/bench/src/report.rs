//! The text lines of the statement and PostgreSQL figures (the JSON line carries the same).

use serde_json::Value;

/// Statements, memory per phase and PostgreSQL, after the ingest and sign-on lines.
pub fn text(r: &Value) -> String {
    let rss = &r["rss_mib"];
    format!(
        "{}\npeak RSS, server in-process with the phase's own clients (fixture loader \
         excluded): {} MiB (ingest {}, sign-ons {}, statements {})\n{}",
        statements(&r["statements"]),
        r["peak_rss_mib"],
        rss["ingest"],
        rss["signons"],
        rss["statements"],
        postgres(&r["postgres"]),
    )
}

fn statements(s: &Value) -> String {
    let (one, many, layers) = (&s["single"], &s["loaded"], &s["layers"]);
    format!(
        "statements: {} transactions over {} accounts, loaded in {} s ({} rows/s; tenants {} s), \
         database {} MiB\n\
         statement download ({} rows, {} bytes): one client p50 {} ms, p99 {} ms; \
         {} clients {}/s, p50 {} ms, p99 {} ms over {} downloads\n\
         statement layers, one at a time: query p50 {} ms, p99 {} ms; pull write p50 {} ms, \
         p99 {} ms",
        s["transactions"],
        s["accounts"],
        s["load_s"],
        s["load_rows_per_second"],
        s["tenants_s"],
        s["db_mib"],
        s["rows_per_statement"],
        s["bytes_per_statement"],
        one["p50_ms"],
        one["p99_ms"],
        many["pullers"],
        many["per_second"],
        many["p50_ms"],
        many["p99_ms"],
        many["statements"],
        layers["query_p50_ms"],
        layers["query_p99_ms"],
        layers["pull_write_p50_ms"],
        layers["pull_write_p99_ms"],
    )
}

fn postgres(p: &Value) -> String {
    if let Some(why) = p["skipped"].as_str() {
        return format!("PostgreSQL: skipped ({why})");
    }
    let i = &p["ingest"];
    format!(
        "PostgreSQL ingest: {} tx/s (p50 {} ms, p99 {} ms per push)\n\
         PostgreSQL OFX sign-ons: {}/s\nPostgreSQL {}",
        i["transactions_per_second"],
        i["push_p50_ms"],
        i["push_p99_ms"],
        p["signons_per_second"],
        statements(&p["statements"]),
    )
}
