//! The `feedbridge` binary: parse the command line, hand over to the library.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = feedbridge::cli::Cli::parse();
    match feedbridge::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("feedbridge: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
