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
/// W5: `$n` rows of a node and a relationship.
pub const GRAPH_QUERY: &str =
    "MATCH (p:Person)-[k:KNOWS]->(:Person) RETURN p, k ORDER BY p.id LIMIT $n";
/// W6: one bulk write of the maps in `$rows`; returns how many it wrote.
pub const BULK_QUERY: &str = "UNWIND $rows AS r CREATE (:Item {id: r.id, name: r.name, score: r.score, active: r.active, category: r.category}) RETURN count(*) AS n";

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
/// Rows of W5.
pub const W5_ROWS: i64 = 100_000;
/// Queries of W6.
pub const W6_QUERIES: u64 = 100;
/// Maps in the `$rows` parameter of each W6 query.
pub const W6_ROWS_PER_QUERY: usize = 10_000;
/// Tasks of W7, sharing one driver.
pub const W7_TASKS: u64 = 64;
/// Connections the W7 driver may open.
pub const W7_POOL_SIZE: usize = 16;
/// Operations of each W7 task: queries and write transactions, alternately.
pub const W7_OPS_PER_TASK: u64 = 320;

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

/// The properties of the W5 person `i`: 8 of them, strings, integers,
/// floats and a list of strings.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    /// `name`.
    pub name: String,
    /// `email`.
    pub email: String,
    /// `city`.
    pub city: String,
    /// `age`.
    pub age: i64,
    /// `born`.
    pub born: i64,
    /// `score`.
    pub score: f64,
    /// `height`.
    pub height: f64,
    /// `tags`.
    pub tags: Vec<String>,
}

/// The W5 person `i` (1-based).
pub fn person(i: i64) -> Person {
    const CITIES: [&str; 4] = ["Malmö", "London", "San Mateo", "Dresden"];
    Person {
        name: format!("person-{i:08}"),
        email: format!("person.{i:08}@example.com"),
        city: CITIES[(i % 4) as usize].to_owned(),
        age: 18 + i % 60,
        born: 1950 + i % 60,
        score: i as f64 / 4.0,
        height: 1.5 + (i % 50) as f64 / 100.0,
        tags: vec![
            format!("t{}", i % 7),
            format!("t{}", i % 11),
            "member".to_owned(),
        ],
    }
}

/// The two properties of the W5 relationship `i`: `since` and `weight`.
pub fn knows(i: i64) -> (i64, f64) {
    (2000 + i % 25, (i % 100) as f64 / 100.0)
}

/// The W5 check: the sum of `age + since` over `n` rows.
pub fn w5_check(n: i64) -> i64 {
    (1..=n).map(|i| person(i).age + knows(i).0).sum()
}

/// One map of a W6 `$rows` parameter, as the application holds it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Item {
    /// `id`.
    pub id: i64,
    /// `name`, 16 characters.
    pub name: String,
    /// `score`.
    pub score: f64,
    /// `active`.
    pub active: bool,
    /// `category`.
    pub category: String,
}

/// The rows of a W6 query.
pub fn items() -> Vec<Item> {
    (0..W6_ROWS_PER_QUERY as i64)
        .map(|i| Item {
            id: i,
            name: format!("item-{i:011}"),
            score: i as f64 * 0.25,
            active: i % 3 == 0,
            category: format!("cat-{}", i % 16),
        })
        .collect()
}

/// One workload, as named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Workload {
    /// Stream 1,000,000 rows, typed into owned structs.
    W1,
    /// W1 into structs that borrow from the received batch (neo-runtime only).
    W1Borrowed,
    /// W1 through the generic `Record::values()` (neo-runtime only).
    W1Values,
    /// Stream 10,000 rows, typed (peak memory baseline for W1).
    W1Small,
    /// 10,000 sequential auto-commit `RETURN 1`.
    W2,
    /// 10,000 sequential managed write transactions.
    W3,
    /// W3 with BEGIN sent with the first query (neo-runtime only: its
    /// `with_pipelined_begin`).
    W3Pipelined,
    /// 64 concurrent sessions, 20,000 write transactions in total.
    W4,
    /// 100,000 rows of a node (8 properties) and a relationship (2).
    W5,
    /// 100 bulk writes of 10,000 maps each.
    W6,
    /// 64 tasks sharing one driver with a pool of 16: queries and
    /// transactions.
    W7,
    /// W7 with BEGIN sent with the first query (neo-runtime only).
    W7Pipelined,
}

impl Workload {
    /// Every workload, in report order.
    pub const ALL: [Workload; 12] = [
        Workload::W1,
        Workload::W1Borrowed,
        Workload::W1Values,
        Workload::W1Small,
        Workload::W2,
        Workload::W3,
        Workload::W3Pipelined,
        Workload::W4,
        Workload::W5,
        Workload::W6,
        Workload::W7,
        Workload::W7Pipelined,
    ];

    /// The command-line name.
    pub fn name(self) -> &'static str {
        match self {
            Workload::W1 => "w1",
            Workload::W1Borrowed => "w1-borrowed",
            Workload::W1Values => "w1-values",
            Workload::W1Small => "w1-small",
            Workload::W2 => "w2",
            Workload::W3 => "w3",
            Workload::W3Pipelined => "w3-pipelined",
            Workload::W4 => "w4",
            Workload::W5 => "w5",
            Workload::W6 => "w6",
            Workload::W7 => "w7",
            Workload::W7Pipelined => "w7-pipelined",
        }
    }

    /// The workload whose peers and floor a variant is compared with
    /// (itself for the others).
    pub fn base(self) -> Workload {
        match self {
            Workload::W1Borrowed | Workload::W1Values => Workload::W1,
            Workload::W3Pipelined => Workload::W3,
            Workload::W7Pipelined => Workload::W7,
            other => other,
        }
    }

    /// Whether only neo-runtime runs this variant.
    pub fn ours_only(self) -> bool {
        self.base() != self
    }

    /// Whether transaction functions send BEGIN with their first query.
    pub fn pipelined_begin(self) -> bool {
        matches!(self, Workload::W3Pipelined | Workload::W7Pipelined)
    }

    /// Rows streamed (W1 variants and W5).
    pub fn rows(self) -> i64 {
        match self {
            Workload::W1Small => W1_SMALL_ROWS,
            Workload::W5 => W5_ROWS,
            _ => W1_ROWS,
        }
    }

    /// Whether this is one of the W1 variants streaming 1,000,000 rows.
    pub fn is_w1(self) -> bool {
        matches!(
            self,
            Workload::W1 | Workload::W1Borrowed | Workload::W1Values | Workload::W1Small
        )
    }

    /// Units of work: rows, queries, transactions or operations.
    pub fn units(self) -> u64 {
        match self {
            Workload::W1 | Workload::W1Borrowed | Workload::W1Values | Workload::W1Small => {
                self.rows() as u64
            }
            Workload::W2 => W2_QUERIES,
            Workload::W3 | Workload::W3Pipelined => W3_TRANSACTIONS,
            Workload::W4 => W4_TRANSACTIONS,
            Workload::W5 => W5_ROWS as u64,
            Workload::W6 => W6_QUERIES,
            Workload::W7 | Workload::W7Pipelined => W7_TASKS * W7_OPS_PER_TASK,
        }
    }

    /// What a unit is, for the report.
    pub fn unit(self) -> &'static str {
        match self {
            Workload::W1 | Workload::W1Borrowed | Workload::W1Values | Workload::W1Small => "row",
            Workload::W2 => "query",
            Workload::W3 | Workload::W3Pipelined | Workload::W4 => "tx",
            Workload::W5 => "row",
            Workload::W6 => "query",
            Workload::W7 | Workload::W7Pipelined => "op",
        }
    }
}

impl FromStr for Workload {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Workload::ALL
            .into_iter()
            .find(|w| w.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = Workload::ALL.iter().map(|w| w.name()).collect();
                format!("unknown workload `{name}` ({})", names.join(", "))
            })
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
                eprintln!("{error}\nusage: <client> <workload> [host:port]");
                std::process::exit(2);
            }
        }
    }

    /// The `bolt://` URI of the server (a direct connection).
    pub fn uri(&self) -> String {
        format!("bolt://{}", self.address)
    }
}

/// The exit status of a client asked for a workload it cannot express.
pub const NOT_EXPRESSIBLE: i32 = 3;

/// Exits with [`NOT_EXPRESSIBLE`], saying why.
pub fn not_expressible(client: &str, workload: Workload, why: &str) -> ! {
    eprintln!(
        "client-{client}: {} is not expressible: {why}",
        workload.name()
    );
    std::process::exit(NOT_EXPRESSIBLE)
}

/// Per-operation latencies of W7, in microseconds, and their 99th
/// percentile.
pub fn p99_micros(latencies: &mut [u32]) -> u32 {
    if latencies.is_empty() {
        return 0;
    }
    latencies.sort_unstable();
    let rank = (latencies.len() * 99).div_ceil(100);
    latencies[rank.saturating_sub(1)]
}
