//! The workloads through the crates.io `neo4rs` driver (async):
//! `client-neo4rs <workload> [host:port]`.

use std::time::Instant;

use harness::report::Measurement;
use harness::workload::{
    Args, BULK_QUERY, CREATE_QUERY, DATABASE, FETCH_SIZE, GRAPH_QUERY, Item, PASSWORD,
    RETURN_ONE_QUERY, ROWS_QUERY, USER, W4_SESSIONS, W7_OPS_PER_TASK, W7_POOL_SIZE, W7_TASKS,
    Workload, items, not_expressible, p99_micros, w4_share,
};
use neo4rs::{BoltList, BoltMap, BoltType, ConfigBuilder, Graph, query};
use serde::Deserialize;

#[global_allocator]
static ALLOCATOR: harness::alloc::Counting = harness::alloc::Counting;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// One W1 row, decoded through serde.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Row {
    id: i64,
    name: String,
    score: f64,
    flag: bool,
}

/// The W5 node's properties, through serde.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Person {
    name: String,
    email: String,
    city: String,
    age: i64,
    born: i64,
    score: f64,
    height: f64,
    tags: Vec<String>,
}

/// The W5 relationship's properties, through serde.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Knows {
    since: i64,
    weight: f64,
}

/// One W5 row.
#[derive(Debug, Deserialize)]
struct GraphRow {
    p: Person,
    k: Knows,
}

async fn stream_rows(graph: &Graph, n: i64) -> Result<i64> {
    let mut rows = graph.execute(query(ROWS_QUERY).param("n", n)).await?;
    let mut sum = 0;
    while let Some(row) = rows.next().await? {
        let row: Row = row.to()?;
        sum += row.id;
    }
    Ok(sum)
}

async fn stream_graph(graph: &Graph, n: i64) -> Result<i64> {
    let mut rows = graph.execute(query(GRAPH_QUERY).param("n", n)).await?;
    let mut sum = 0;
    while let Some(row) = rows.next().await? {
        let row: GraphRow = row.to()?;
        sum += row.p.age + row.k.since;
    }
    Ok(sum)
}

/// An item as neo4rs takes it: it has no serde path for parameters, so a
/// map is built field by field.
fn item_map(item: &Item) -> BoltType {
    let mut map = BoltMap::with_capacity(5);
    map.put("id".into(), item.id.into());
    map.put("name".into(), item.name.clone().into());
    map.put("score".into(), item.score.into());
    map.put("active".into(), item.active.into());
    map.put("category".into(), item.category.clone().into());
    BoltType::Map(map)
}

async fn bulk_writes(graph: &Graph, rows: &[Item], count: u64) -> Result<i64> {
    let mut written = 0;
    for _ in 0..count {
        let list: BoltList = rows.iter().map(item_map).collect();
        let mut result = graph
            .execute(query(BULK_QUERY).param("rows", BoltType::List(list)))
            .await?;
        while let Some(row) = result.next().await? {
            written += row.get::<i64>("n")?;
        }
    }
    Ok(written)
}

async fn return_one(graph: &Graph, count: u64) -> Result<i64> {
    for _ in 0..count {
        graph.run(query(RETURN_ONE_QUERY)).await?;
    }
    Ok(count as i64)
}

async fn write_transactions(graph: &Graph, first: u64, count: u64) -> Result<i64> {
    for id in first..first + count {
        let mut txn = graph.start_txn().await?;
        txn.run(
            query(CREATE_QUERY)
                .param("id", id as i64)
                .param("name", format!("item-{id:08}")),
        )
        .await?;
        txn.commit().await?;
    }
    Ok(count as i64)
}

async fn concurrent_transactions(graph: &Graph) -> Result<i64> {
    let mut tasks = Vec::new();
    let mut first = 0;
    for index in 0..W4_SESSIONS {
        let share = w4_share(index);
        let graph = graph.clone();
        tasks.push(tokio::spawn(async move {
            write_transactions(&graph, first, share).await
        }));
        first += share;
    }
    let mut total = 0;
    for task in tasks {
        total += task.await??;
    }
    Ok(total)
}

/// W7: every task alternates a query and a write transaction on the shared
/// pool.
async fn many_tasks(graph: &Graph) -> Result<(i64, Vec<u32>)> {
    let mut tasks = Vec::new();
    for task in 0..W7_TASKS {
        let graph = graph.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(W7_OPS_PER_TASK as usize);
            for op in 0..W7_OPS_PER_TASK {
                let started = Instant::now();
                if op % 2 == 0 {
                    return_one(&graph, 1).await?;
                } else {
                    write_transactions(&graph, task * W7_OPS_PER_TASK + op, 1).await?;
                }
                latencies.push(started.elapsed().as_micros() as u32);
            }
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(latencies)
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await??);
    }
    Ok((latencies.len() as i64, latencies))
}

async fn run(args: &Args) -> Result<()> {
    let pool = match args.workload {
        Workload::W7 => W7_POOL_SIZE,
        _ => W4_SESSIONS as usize,
    };
    let config = ConfigBuilder::default()
        .uri(args.uri())
        .user(USER)
        .password(PASSWORD)
        .db(DATABASE)
        .fetch_size(FETCH_SIZE as usize)
        .max_connections(pool)
        .build()?;
    let graph = Graph::connect(config)?;
    return_one(&graph, 10).await?;
    // The application's rows exist before the clock starts.
    let rows = match args.workload {
        Workload::W6 => items(),
        _ => Vec::new(),
    };
    let measurement = Measurement::start("neo4rs", args.workload);
    let mut p99 = None;
    let check = match args.workload {
        Workload::W1 | Workload::W1Small => stream_rows(&graph, args.workload.rows()).await?,
        Workload::W1Borrowed | Workload::W1Values => not_expressible(
            "neo4rs",
            args.workload,
            "W1 is its only way to read rows (serde from its own value tree)",
        ),
        Workload::W3Pipelined | Workload::W7Pipelined => not_expressible(
            "neo4rs",
            args.workload,
            "a variant of neo-runtime's API; the base workload is this client's",
        ),
        Workload::W2 => return_one(&graph, args.workload.units()).await?,
        Workload::W3 => write_transactions(&graph, 0, args.workload.units()).await?,
        Workload::W4 => concurrent_transactions(&graph).await?,
        Workload::W5 => stream_graph(&graph, args.workload.rows()).await?,
        Workload::W6 => bulk_writes(&graph, &rows, args.workload.units()).await?,
        Workload::W7 => {
            let (ops, mut latencies) = many_tasks(&graph).await?;
            p99 = Some(p99_micros(&mut latencies));
            ops
        }
    };
    measurement.finish(check, p99);
    Ok(())
}

fn main() -> Result<()> {
    let args = Args::from_env();
    let runtime = match args.workload {
        Workload::W4 | Workload::W7 => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?,
        _ => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?,
    };
    runtime.block_on(run(&args))
}
