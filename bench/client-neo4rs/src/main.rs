//! The workloads through the crates.io `neo4rs` driver (async):
//! `client-neo4rs <workload> [host:port]`.

use std::time::Instant;

use harness::report;
use harness::workload::{
    Args, CREATE_QUERY, DATABASE, FETCH_SIZE, PASSWORD, RETURN_ONE_QUERY, ROWS_QUERY, USER,
    W4_SESSIONS, Workload, w4_share,
};
use neo4rs::{ConfigBuilder, Graph, query};
use serde::Deserialize;

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

async fn stream_rows(graph: &Graph, n: i64) -> Result<i64> {
    let mut rows = graph.execute(query(ROWS_QUERY).param("n", n)).await?;
    let mut sum = 0;
    while let Some(row) = rows.next().await? {
        let row: Row = row.to()?;
        sum += row.id;
    }
    Ok(sum)
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

async fn run(args: &Args) -> Result<()> {
    let config = ConfigBuilder::default()
        .uri(args.uri())
        .user(USER)
        .password(PASSWORD)
        .db(DATABASE)
        .fetch_size(FETCH_SIZE as usize)
        .max_connections(W4_SESSIONS as usize)
        .build()?;
    let graph = Graph::connect(config)?;
    return_one(&graph, 10).await?;
    let started = Instant::now();
    let check = match args.workload {
        Workload::W1 | Workload::W1Small => stream_rows(&graph, args.workload.rows()).await?,
        Workload::W2 => return_one(&graph, args.workload.units()).await?,
        Workload::W3 => write_transactions(&graph, 0, args.workload.units()).await?,
        Workload::W4 => concurrent_transactions(&graph).await?,
    };
    report::print("neo4rs", args.workload, started.elapsed(), check);
    Ok(())
}

fn main() -> Result<()> {
    let args = Args::from_env();
    let runtime = match args.workload {
        Workload::W4 => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?,
        _ => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?,
    };
    runtime.block_on(run(&args))
}
