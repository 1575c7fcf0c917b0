//! `neo-embedded --data DIR`: the server process is killed (SIGKILL) while
//! clients stream write transactions; after a restart on the same
//! directory every transaction whose COMMIT succeeded is there, and no
//! write of an uncommitted transaction is.

mod server_support;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use neo_bolt::handshake::ClientHandshake;
use neo_bolt::message::{Request, TxExtra};
use neo_bolt::packstream::{Map, Value};
use server_support::*;
use tokio::sync::Mutex;

const WRITERS: i64 = 4;
/// Acknowledged commits to wait for before the kill.
const COMMITS_BEFORE_KILL: usize = 120;

fn start_server(data: &Path) -> (Child, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_neo-embedded"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--auth",
            "none",
            "--log-level",
            "error",
        ])
        .arg("--data")
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
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

async fn connect(address: SocketAddr) -> RawClient {
    let mut client = RawClient::handshake(address, ClientHandshake::new()).await;
    client.login("neo4j", "").await;
    client
}

/// What a writer knows when the server dies.
#[derive(Default)]
struct Ledger {
    /// Transactions whose COMMIT was answered with SUCCESS.
    committed: BTreeSet<(i64, i64)>,
    /// Transactions whose COMMIT was sent but not answered: either outcome
    /// is allowed.
    in_doubt: BTreeSet<(i64, i64)>,
}

/// Commits `CREATE (:T {writer, i})` transactions one after another until
/// the connection dies.
async fn writer(
    address: SocketAddr,
    writer: i64,
    ledger: Arc<Mutex<Ledger>>,
    acknowledged: Arc<AtomicUsize>,
) {
    let mut client = connect(address).await;
    for i in 0.. {
        let params: Map = [
            ("writer".to_owned(), Value::Integer(writer)),
            ("i".to_owned(), Value::Integer(i)),
        ]
        .into_iter()
        .collect();
        client
            .send_all(vec![
                begin(TxExtra::default()),
                run_with(
                    "CREATE (:T {writer: $writer, i: $i})",
                    params,
                    TxExtra::default(),
                ),
                pull_all(),
            ])
            .await;
        for _ in 0..3 {
            match client.recv().await {
                Some(Resp::Success(_)) => {}
                _ => return,
            }
        }
        ledger.lock().await.in_doubt.insert((writer, i));
        client.send(Request::Commit).await;
        match client.recv().await {
            Some(Resp::Success(_)) => {
                let mut ledger = ledger.lock().await;
                ledger.in_doubt.remove(&(writer, i));
                ledger.committed.insert((writer, i));
                acknowledged.fetch_add(1, Ordering::SeqCst);
            }
            _ => return,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn committed_transactions_survive_a_kill_and_uncommitted_ones_do_not() {
    let data = std::env::temp_dir().join(format!("neo-embedded-durability-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data).unwrap();

    let (mut child, address) = start_server(&data);
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        writers.push(tokio::spawn(writer(
            address,
            w,
            ledger.clone(),
            acknowledged.clone(),
        )));
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged.load(Ordering::SeqCst) < COMMITS_BEFORE_KILL {
        assert!(Instant::now() < deadline, "the writers made no progress");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // A transaction in the middle of a large write: 5000 of its rows are
    // out (so at least as many nodes are written), and it has more to go.
    let mut open = connect(address).await;
    open.send_all(vec![
        begin(TxExtra::default()),
        run("UNWIND range(1, 1000000) AS i CREATE (u:Uncommitted {i: i}) RETURN u.i"),
        pull(5000, None),
    ])
    .await;
    open.next().await.success();
    open.next().await.success();
    let (rows, summary) = open.records().await;
    assert_eq!(rows.len(), 5000);
    assert_eq!(
        summary.success().get("has_more"),
        Some(&Value::Boolean(true))
    );
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    for writer in writers {
        writer.await.unwrap();
    }

    let (mut child, address) = start_server(&data);
    let mut client = connect(address).await;
    let (rows, _) = client.query("MATCH (t:T) RETURN t.writer, t.i").await;
    let present: Vec<(i64, i64)> = rows.iter().map(|r| (int(&r[0]), int(&r[1]))).collect();
    let unique: BTreeSet<(i64, i64)> = present.iter().copied().collect();
    assert_eq!(
        unique.len(),
        present.len(),
        "no transaction is applied twice"
    );
    let ledger = ledger.lock().await;
    assert!(ledger.committed.len() >= COMMITS_BEFORE_KILL);
    let lost: Vec<_> = ledger.committed.difference(&unique).collect();
    assert!(lost.is_empty(), "acknowledged commits lost: {lost:?}");
    let unknown: Vec<_> = unique
        .iter()
        .filter(|t| !ledger.committed.contains(t) && !ledger.in_doubt.contains(t))
        .collect();
    assert!(unknown.is_empty(), "writes never committed: {unknown:?}");
    let (rows, _) = client.query("MATCH (u:Uncommitted) RETURN count(u)").await;
    assert_eq!(int(&rows[0][0]), 0, "an uncommitted write is visible");
    // The database still takes writes after the restart.
    client.query("CREATE (:T {writer: -1, i: 0})").await;
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&data);
}
