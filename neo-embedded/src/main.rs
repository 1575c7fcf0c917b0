//! `neo-embedded`: runs the embedded Bolt server as a process.
//!
//! ```text
//! neo-embedded [--listen 127.0.0.1:7687] [--auth none|user:password]
//!              [--max-bolt-version 5.4] [--log-level info] [--data DIR]
//!              [--max-connections 400] [--max-incoming-memory 128MiB]
//!              [--max-message-size 64MiB] [--idle-timeout 1h]
//!              [--transaction-timeout 10m] [--handshake-timeout 10s]
//!              [--bookmark-wait-timeout 5s] [--recv-timeout 120s]
//! ```
//!
//! Databases are in memory unless `--data DIR` is given: then each one is a
//! file in `DIR`, and committed transactions survive a restart.
//!
//! Durations take a unit (`ms`, `s`, `m`, `h`); `--idle-timeout`,
//! `--transaction-timeout` and `--recv-timeout` also take `none`. Sizes are
//! bytes, or take `KiB`, `MiB` or `GiB`. Each option is the
//! [`ServerConfig`] setting of the same name, with the same default.
//!
//! The first line on stdout is `neo-embedded listening on bolt://HOST:PORT`;
//! logs go to stderr. Ctrl-C or SIGTERM stops the server.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use neo_bolt::BoltVersion;
use neo_embedded::engine::MarsEngine;
use neo_embedded::{Auth, EmbeddedServer, ServerConfig};
use tracing_subscriber::filter::LevelFilter;

const USAGE: &str = "usage: neo-embedded [--listen HOST:PORT] [--auth none|USER:PASSWORD] \
                     [--max-bolt-version MAJOR.MINOR] [--log-level error|warn|info|debug|trace] \
                     [--max-connections N] [--max-incoming-memory SIZE] [--max-message-size SIZE] \
                     [--idle-timeout DURATION|none] [--transaction-timeout DURATION|none] \
                     [--handshake-timeout DURATION] [--bookmark-wait-timeout DURATION] \
                     [--recv-timeout DURATION|none] [--data DIR]";

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
            "--max-connections" => {
                let connections =
                    value.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                        format!("--max-connections {value}: use a positive number")
                    })?;
                config = config.max_connections(connections);
            }
            "--max-incoming-memory" => {
                config = config.max_incoming_memory(parse_size(&flag, &value)?);
            }
            "--max-message-size" => {
                config = config.max_message_size(parse_size(&flag, &value)?);
            }
            "--idle-timeout" => {
                config = config.idle_timeout(parse_optional_duration(&flag, &value)?);
            }
            "--transaction-timeout" => {
                config = config.transaction_timeout(parse_optional_duration(&flag, &value)?);
            }
            "--handshake-timeout" => {
                config = config.handshake_timeout(parse_duration(&flag, &value)?);
            }
            "--bookmark-wait-timeout" => {
                config = config.bookmark_wait_timeout(parse_duration(&flag, &value)?);
            }
            "--recv-timeout" => {
                config = config.recv_timeout(parse_optional_duration(&flag, &value)?);
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

/// A duration with its unit: `250ms`, `30s`, `10m`, `1h`.
fn parse_duration(flag: &str, value: &str) -> Result<Duration, String> {
    let bad = || format!("{flag} {value}: use a number with a unit (ms, s, m, h), such as 30s");
    let split = value.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (number, unit) = value.split_at(split);
    let number: u64 = number.parse().map_err(|_| bad())?;
    let unit_seconds = match unit {
        "ms" => return Ok(Duration::from_millis(number)),
        "s" => 1,
        "m" => 60,
        "h" => 60 * 60,
        _ => return Err(bad()),
    };
    number
        .checked_mul(unit_seconds)
        .map(Duration::from_secs)
        .ok_or_else(bad)
}

/// A duration, or `none` for no limit.
fn parse_optional_duration(flag: &str, value: &str) -> Result<Option<Duration>, String> {
    if value == "none" {
        return Ok(None);
    }
    parse_duration(flag, value)
        .map(Some)
        .map_err(|message| format!("{message}, or none"))
}

/// A size in bytes, optionally in `KiB`, `MiB` or `GiB`.
fn parse_size(flag: &str, value: &str) -> Result<usize, String> {
    let bad = || format!("{flag} {value}: use a number of bytes, or one with KiB, MiB or GiB");
    let split = value
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let number: usize = number.parse().map_err(|_| bad())?;
    let shift = match unit {
        "" => 0,
        "KiB" => 10,
        "MiB" => 20,
        "GiB" => 30,
        _ => return Err(bad()),
    };
    number
        .checked_mul(1 << shift)
        .filter(|bytes| *bytes > 0)
        .ok_or_else(bad)
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
    fn parses_the_limits() {
        let args = parse(&[
            "--max-connections",
            "8",
            "--max-incoming-memory",
            "16MiB",
            "--max-message-size",
            "65536",
            "--idle-timeout",
            "90s",
            "--transaction-timeout",
            "none",
            "--handshake-timeout",
            "250ms",
            "--bookmark-wait-timeout",
            "2m",
            "--recv-timeout",
            "1h",
        ])
        .unwrap();
        let config = args.config;
        assert_eq!(config.max_connections_value(), 8);
        assert_eq!(config.max_incoming_memory_value(), 16 << 20);
        assert_eq!(config.idle_timeout_value(), Some(Duration::from_secs(90)));
        assert_eq!(config.transaction_timeout_value(), None);
        let debug = format!("{config:?}");
        assert!(debug.contains("max_message_size: 65536"), "{debug}");
        assert!(debug.contains("handshake_timeout: 250ms"), "{debug}");
        assert!(debug.contains("bookmark_wait_timeout: 120s"), "{debug}");
        assert!(debug.contains("recv_timeout: Some(3600s)"), "{debug}");
    }

    #[test]
    fn the_limits_have_neo4j_like_defaults() {
        let config = parse(&[]).unwrap().config;
        assert_eq!(config.max_connections_value(), 400);
        assert_eq!(config.max_incoming_memory_value(), 128 << 20);
        assert_eq!(config.idle_timeout_value(), Some(Duration::from_secs(3600)));
        assert_eq!(
            config.transaction_timeout_value(),
            Some(Duration::from_secs(600))
        );
    }

    #[test]
    fn rejects_bad_limits() {
        for args in [
            ["--max-connections", "0"],
            ["--max-incoming-memory", "12MB"],
            ["--max-message-size", "0"],
            ["--idle-timeout", "90"],
            ["--transaction-timeout", "10 m"],
            ["--handshake-timeout", "none"],
            ["--bookmark-wait-timeout", "-1s"],
            ["--recv-timeout", "99999999999999999999h"],
        ] {
            assert!(parse(&args).is_err(), "{args:?}");
        }
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
