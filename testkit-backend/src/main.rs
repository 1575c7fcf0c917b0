//! The testkit backend of `neo-runtime`.
//!
//! Testkit, Neo4j's driver conformance suite, drives a driver through a
//! small TCP server that each driver provides: this one. It listens on
//! `TEST_BACKEND_PORT` (default 9876), serves each testkit connection in a
//! task of its own, and performs every request with the driver's public
//! API. `scripts/testkit.sh` builds it and runs the stub suite against it.

mod auth_manager;
mod bookmark_manager;
mod callbacks;
mod clock;
mod connection;
mod errors;
mod features;
mod handlers;
mod protocol;
mod resolver;
mod state;

use std::net::{Ipv4Addr, SocketAddr};

use tokio::net::TcpListener;

/// The port testkit connects to unless `TEST_BACKEND_PORT` says otherwise.
const DEFAULT_PORT: u16 = 9876;

fn port() -> Result<u16, String> {
    match std::env::var("TEST_BACKEND_PORT") {
        Ok(text) => text
            .trim()
            .parse()
            .map_err(|error| format!("TEST_BACKEND_PORT={text:?} is not a port: {error}")),
        Err(std::env::VarError::NotPresent) => Ok(DEFAULT_PORT),
        Err(error) => Err(format!("TEST_BACKEND_PORT: {error}")),
    }
}

/// The most detailed log level shown: `NEO_TESTKIT_LOG` (`error`, `warn`,
/// `info`, `debug` or `trace`; default `info`). The log goes to stderr,
/// which `run.sh` keeps in its backend log.
fn log_level() -> tracing::Level {
    std::env::var("NEO_TESTKIT_LOG")
        .ok()
        .and_then(|level| level.parse().ok())
        .unwrap_or(tracing::Level::INFO)
}

// Several workers: a bookmark manager callback blocks its worker while
// testkit answers, and the connection's reader must keep running meanwhile.
#[tokio::main(flavor = "multi_thread", worker_threads = 4)]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(log_level())
        .init();
    let port = match port() {
        Ok(port) => port,
        Err(message) => {
            tracing::error!("{message}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match features::claimed() {
        Ok(features::Claims::Driver) => {
            for (flag, reason) in features::NOT_CLAIMED {
                tracing::debug!(flag, reason, "not claimed");
            }
        }
        Ok(_) => tracing::info!("claiming testkit's recommended set, not what the driver does"),
        Err(message) => {
            tracing::error!("{message}");
            return std::process::ExitCode::FAILURE;
        }
    }
    let address = SocketAddr::from((Ipv4Addr::UNSPECIFIED, port));
    let listener = match TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(error) => {
            tracing::error!(%address, %error, "cannot listen");
            return std::process::ExitCode::FAILURE;
        }
    };
    tracing::info!(%address, "testkit backend listening");
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                let _ = stream.set_nodelay(true);
                tokio::spawn(connection::serve(stream));
            }
            Err(error) => {
                tracing::warn!(%error, "accepting a connection failed");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
    }
}
