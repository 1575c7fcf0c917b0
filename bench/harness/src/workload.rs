//! The workloads, the same for every client.

use std::str::FromStr;

/// The database every client names explicitly.
pub const DATABASE: &str = "neo4j";
/// Records per PULL, the same for every client.
pub const FETCH_SIZE: i64 = 1000;
/// User name (the server accepts any credentials).
pub const USER: &str = "neo4j";
/// Password (the server accepts any credentials).
pub const PASSWORD: &str = "password";

/// W1: streams `$n` rows of `[int, 16-char string, float, bool]`.
pub const ROWS_QUERY: &str = "UNWIND range(1, $n) AS i RETURN i AS id, 'row-' + i AS name, i / 2.0 AS score, i % 2 = 0 AS flag";
/// W2: the smallest query.
pub const RETURN_ONE_QUERY: &str = "RETURN 1 AS x";
/// W3/W4: one parameterised write.
pub const CREATE_QUERY: &str = "CREATE (:Item {id: $id, name: $name})";

/// Rows streamed by W1.
pub const W1_ROWS: i64 = 1_000_000;
/// Rows streamed by the small W1 run (the memory baseline).
pub const W1_SMALL_ROWS: i64 = 10_000;
/// Queries of W2.
pub const W2_QUERIES: u64 = 10_000;
/// Transactions of W3.
pub const W3_TRANSACTIONS: u64 = 10_000;
/// Concurrent sessions of W4.
pub const W4_SESSIONS: u64 = 64;
/// Transactions of W4, over all sessions.
pub const W4_TRANSACTIONS: u64 = 20_000;

/// The 16-character string of row `i` (1-based), as the server sends it.
pub fn row_name(i: i64) -> String {
    format!("row-{i:012}")
}

/// The float of row `i`.
pub fn row_score(i: i64) -> f64 {
    i as f64 / 2.0
}

/// The bool of row `i`.
pub fn row_flag(i: i64) -> bool {
    i % 2 == 0
}

/// The sum of the int column over `n` rows.
pub fn expected_sum(n: i64) -> i64 {
    n * (n + 1) / 2
}

/// How many of the W4 transactions session `index` runs.
pub fn w4_share(index: u64) -> u64 {
    W4_TRANSACTIONS / W4_SESSIONS + u64::from(index < W4_TRANSACTIONS % W4_SESSIONS)
}

/// One workload, as named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    /// Stream 1,000,000 rows, typed.
    W1,
    /// Stream 10,000 rows, typed (peak memory baseline for W1).
    W1Small,
    /// 10,000 sequential auto-commit `RETURN 1`.
    W2,
    /// 10,000 sequential managed write transactions.
    W3,
    /// 64 concurrent sessions, 20,000 write transactions in total.
    W4,
}

impl Workload {
    /// The command-line name.
    pub fn name(self) -> &'static str {
        match self {
            Workload::W1 => "w1",
            Workload::W1Small => "w1-small",
            Workload::W2 => "w2",
            Workload::W3 => "w3",
            Workload::W4 => "w4",
        }
    }

    /// Rows streamed (W1 variants only).
    pub fn rows(self) -> i64 {
        match self {
            Workload::W1Small => W1_SMALL_ROWS,
            _ => W1_ROWS,
        }
    }

    /// Units of work: rows, queries or transactions.
    pub fn units(self) -> u64 {
        match self {
            Workload::W1 | Workload::W1Small => self.rows() as u64,
            Workload::W2 => W2_QUERIES,
            Workload::W3 => W3_TRANSACTIONS,
            Workload::W4 => W4_TRANSACTIONS,
        }
    }
}

impl FromStr for Workload {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name {
            "w1" => Ok(Workload::W1),
            "w1-small" => Ok(Workload::W1Small),
            "w2" => Ok(Workload::W2),
            "w3" => Ok(Workload::W3),
            "w4" => Ok(Workload::W4),
            other => Err(format!(
                "unknown workload `{other}` (w1, w1-small, w2, w3, w4)"
            )),
        }
    }
}

/// Command-line arguments of a client: `<workload> [address]`.
#[derive(Debug, Clone)]
pub struct Args {
    /// What to run.
    pub workload: Workload,
    /// `host:port` of the server.
    pub address: String,
}

impl Args {
    /// Parses the process arguments, exiting with a usage line on error.
    pub fn from_env() -> Args {
        let mut args = std::env::args().skip(1);
        let workload = args.next().unwrap_or_default();
        let address = args.next().unwrap_or_else(|| "127.0.0.1:7687".to_owned());
        match workload.parse() {
            Ok(workload) => Args { workload, address },
            Err(error) => {
                eprintln!("{error}\nusage: <client> <w1|w1-small|w2|w3|w4> [host:port]");
                std::process::exit(2);
            }
        }
    }

    /// The `bolt://` URI of the server (a direct connection).
    pub fn uri(&self) -> String {
        format!("bolt://{}", self.address)
    }
}
