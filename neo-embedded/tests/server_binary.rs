//! The `neo-embedded` binary: announces its URI on the first stdout line,
//! serves Bolt there, and stops cleanly on SIGTERM.

mod server_support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use neo_bolt::handshake::ClientHandshake;
use neo_bolt::packstream::Value;
use server_support::RawClient;

#[tokio::test]
async fn the_binary_prints_its_uri_serves_and_stops_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_neo-embedded"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--auth",
            "neo4j:secret",
            "--max-bolt-version",
            "5.4",
            "--log-level",
            "warn",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("a first line");
    let uri = line
        .trim_end()
        .strip_prefix("neo-embedded listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let address = uri
        .strip_prefix("bolt://")
        .expect("a bolt URI")
        .parse()
        .expect("host:port");

    let mut client = RawClient::handshake(address, ClientHandshake::new()).await;
    assert_eq!(client.version, neo_bolt::BoltVersion::V5_4);
    client.login("neo4j", "secret").await;
    let (rows, _) = client.query("RETURN 'up' AS state").await;
    assert_eq!(rows, [[Value::from("up")]]);

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait works") {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "exit status {status}");
    assert!(client.is_closed().await, "open connections are closed");
}

#[test]
fn bad_arguments_exit_with_usage() {
    let output = Command::new(env!("CARGO_BIN_EXE_neo-embedded"))
        .args(["--max-bolt-version", "5.5"])
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--max-bolt-version"));
}

/// Starts the binary under `sh -c 'ulimit -n LIMIT'`, logging to `log`;
/// returns the child and the address it listens on.
fn start_with_fd_limit(
    limit: u32,
    log: &std::path::Path,
) -> (std::process::Child, std::net::SocketAddr) {
    let log = std::fs::File::create(log).expect("a log file");
    let mut child = Command::new("sh")
        .args([
            "-c",
            &format!("ulimit -n {limit} && exec \"$0\" \"$@\""),
            env!("CARGO_BIN_EXE_neo-embedded"),
            "--listen",
            "127.0.0.1:0",
            "--auth",
            "none",
            "--log-level",
            "warn",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log))
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("a first line");
    let address = line
        .trim_end()
        .strip_prefix("neo-embedded listening on bolt://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .parse()
        .expect("host:port");
    (child, address)
}

#[tokio::test]
async fn out_of_file_descriptors_the_server_backs_off_and_recovers() {
    let log = std::env::temp_dir().join(format!("neo-embedded-fd-{}.log", std::process::id()));
    let (mut child, address) = start_with_fd_limit(48, &log);

    // Far more connections than descriptors: the kernel queues them, the
    // server cannot accept them all.
    let mut flood = Vec::new();
    for _ in 0..80 {
        flood.push(
            tokio::net::TcpStream::connect(address)
                .await
                .expect("connects"),
        );
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let during = std::fs::read_to_string(&log).unwrap_or_default();
    let complaints = during
        .lines()
        .filter(|line| line.contains("accept"))
        .count();
    assert!(
        (1..=2).contains(&complaints),
        "one warning per episode, not one per attempt: {complaints} lines\n{during}"
    );

    drop(flood);
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut client = loop {
        let attempt = tokio::time::timeout(
            Duration::from_secs(2),
            RawClient::handshake(address, ClientHandshake::new()),
        )
        .await;
        if let Ok(client) = attempt {
            break client;
        }
        assert!(Instant::now() < deadline, "the server never accepted again");
    };
    client.login("neo4j", "anything").await;
    let (rows, _) = client.query("RETURN 'back' AS state").await;
    assert_eq!(rows, [[Value::from("back")]]);
    let after = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(after.contains("accepting connections again"), "{after}");

    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_file(&log);
}
