//! Rebuild when a migration changes, so `sqlx::migrate!` embeds the current set.
#[allow(
    clippy::print_stdout,
    reason = "cargo reads build instructions from standard output"
)]
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
