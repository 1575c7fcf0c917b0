//! `neo-embedded`: runs the embedded Bolt server as a process.
//!
//! ```text
//! neo-embedded [--listen 127.0.0.1:7687] [--auth none|user:password]
//!              [--max-bolt-version 5.4] [--log-level info] [--data DIR]
//! ```
//!
//! Databases are in memory unless `--data DIR` is given: then each one is a
//! file in `DIR`, and committed transactions survive a restart.
//!
//! The first line on stdout is `neo-embedded listening on bolt://HOST:PORT`;
//! logs go to stderr. Ctrl-C or SIGTERM stops the server.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use neo_bolt::BoltVersion;
use neo_embedded::engine::MarsEngine;
use neo_embedded::{Auth, EmbeddedServer, ServerConfig};
use tracing_subscriber::filter::LevelFilter;

const USAGE: &str = "usage: neo-embedded [--listen HOST:PORT] [--auth none|USER:PASSWORD] \
                     [--max-bolt-version MAJOR.MINOR] [--log-level error|warn|info|debug|trace] \
                     [--data DIR]";

struct Args {
    config: ServerConfig,
    log_level: LevelFilter,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut config = ServerConfig::new().listen(SocketAddr::from(([127, 0, 0, 1], 7687)));
    let mut log_level = LevelFilter::INFO;
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Err(USAGE.to_owned());
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--listen" => {
                let address = value
                    .parse()
                    .map_err(|e| format!("--listen {value}: {e}"))?;
                config = config.listen(address);
            }
            "--auth" => {
                let auth = match value.split_once(':') {
                    _ if value == "none" => Auth::None,
                    Some((user, password)) if !user.is_empty() => Auth::basic(user, password),
                    _ => return Err(format!("--auth {value}: use none or USER:PASSWORD")),
                };
                config = config.auth(auth);
            }
            "--max-bolt-version" => {
                let version = value
                    .split_once('.')
                    .and_then(|(major, minor)| Some(BoltVersion::new(major.parse().ok()?, minor.parse().ok()?)))
                    .filter(|version| version.is_supported())
                    .ok_or_else(|| {
                        format!("--max-bolt-version {value}: not a supported Bolt version (4.4, 5.0-5.4, 5.6-5.8)")
                    })?;
                config = config.max_bolt_version(version);
            }
            "--data" => {
                let engine =
                    MarsEngine::open(&value).map_err(|e| format!("--data {value}: {e}"))?;
                config = config.engine(Arc::new(engine));
            }
            "--log-level" => {
                log_level = value.parse().map_err(|_| {
                    format!("--log-level {value}: use error, warn, info, debug or trace")
                })?;
            }
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    Ok(Args { config, log_level })
}

async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            let _ = writeln!(std::io::stderr(), "{message}");
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_max_level(args.log_level)
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            tracing::error!(%error, "cannot start the runtime");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let server = match EmbeddedServer::start(args.config) {
            Ok(server) => server,
            Err(error) => {
                tracing::error!(%error, "cannot start the server");
                return ExitCode::FAILURE;
            }
        };
        let mut stdout = std::io::stdout().lock();
        if writeln!(stdout, "neo-embedded listening on {}", server.uri())
            .and_then(|()| stdout.flush())
            .is_err()
        {
            return ExitCode::FAILURE;
        }
        drop(stdout);
        stopped().await;
        tracing::info!("stopping");
        server.shutdown().await;
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Args, String> {
        parse_args(args.iter().map(|a| (*a).to_owned()))
    }

    #[test]
    fn parses_every_option() {
        let args = parse(&[
            "--listen",
            "127.0.0.1:0",
            "--auth",
            "none",
            "--max-bolt-version",
            "5.4",
            "--log-level",
            "debug",
        ])
        .unwrap();
        assert_eq!(args.config.max_bolt_version_value(), BoltVersion::V5_4);
        assert_eq!(args.log_level, LevelFilter::DEBUG);
    }

    #[test]
    fn rejects_bad_values() {
        assert!(parse(&["--max-bolt-version", "5.5"]).is_err());
        assert!(parse(&["--auth", "nopassword"]).is_err());
        assert!(parse(&["--listen"]).is_err());
        assert!(parse(&["--frobnicate", "1"]).is_err());
        assert!(parse(&["--data", "/dev/null/not-a-directory"]).is_err());
    }
}
