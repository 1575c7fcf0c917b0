//! The workloads through neo-runtime: `client-ours <workload> [host:port]`.

use std::time::Instant;

use harness::report::Measurement;
use harness::workload::{
    Args, BULK_QUERY, CREATE_QUERY, DATABASE, FETCH_SIZE, GRAPH_QUERY, Item, PASSWORD,
    RETURN_ONE_QUERY, ROWS_QUERY, USER, W4_SESSIONS, W6_ROWS_PER_QUERY, W7_OPS_PER_TASK,
    W7_POOL_SIZE, W7_TASKS, Workload, items, p99_micros, w4_share,
};
use neo_runtime::{AuthToken, Driver, DriverConfig, Query, Session, SessionConfig, Value};

#[global_allocator]
static ALLOCATOR: harness::alloc::Counting = harness::alloc::Counting;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// One W1 row, decoded by column name straight from the record bytes.
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct Row {
    id: i64,
    name: String,
    score: f64,
    flag: bool,
}

/// One W1 row borrowing its string from the received batch.
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct BorrowedRow<'a> {
    id: i64,
    name: &'a str,
    score: f64,
    flag: bool,
}

/// The W5 node.
#[derive(Debug, neo_runtime::Node)]
#[neo(label = "Person")]
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

/// The W5 relationship.
#[derive(Debug, neo_runtime::Relationship)]
#[neo(rel_type = "KNOWS")]
#[allow(dead_code)]
struct Knows {
    since: i64,
    weight: f64,
}

/// One W5 row.
#[derive(Debug, neo_runtime::Record)]
struct GraphRow {
    p: Person,
    k: Knows,
}

fn session(driver: &Driver) -> Session {
    driver
        .session(
            SessionConfig::default()
                .with_database(DATABASE)
                .with_fetch_size(FETCH_SIZE),
        )
        .expect("a valid session configuration")
}

async fn stream_rows(driver: &Driver, n: i64) -> Result<i64> {
    let mut session = session(driver);
    let mut result = session.run(Query::new(ROWS_QUERY).param("n", n)).await?;
    let mut sum = 0;
    while let Some(row) = result.next_as::<Row>().await {
        let row = row?;
        sum += row.id;
    }
    Ok(sum)
}

async fn stream_borrowed_rows(driver: &Driver, n: i64) -> Result<i64> {
    let mut session = session(driver);
    let mut result = session.run(Query::new(ROWS_QUERY).param("n", n)).await?;
    let mut sum = 0;
    while let Some(row) = result.next_borrowed::<BorrowedRow<'_>>().await {
        let row = row?;
        sum += row.id;
    }
    Ok(sum)
}

async fn stream_values(driver: &Driver, n: i64) -> Result<i64> {
    let mut session = session(driver);
    let mut result = session.run(Query::new(ROWS_QUERY).param("n", n)).await?;
    let mut sum = 0;
    while let Some(record) = result.next().await {
        let values = record?.values()?;
        match values.first() {
            Some(Value::Integer(id)) => sum += id,
            other => return Err(format!("not an id: {other:?}").into()),
        }
    }
    Ok(sum)
}

async fn stream_graph(driver: &Driver, n: i64) -> Result<i64> {
    let mut session = session(driver);
    let mut result = session.run(Query::new(GRAPH_QUERY).param("n", n)).await?;
    let mut sum = 0;
    while let Some(row) = result.next_into::<GraphRow>().await {
        let row = row?;
        sum += row.p.age + row.k.since;
    }
    Ok(sum)
}

async fn bulk_writes(driver: &Driver, rows: &[Item], count: u64) -> Result<i64> {
    assert_eq!(rows.len(), W6_ROWS_PER_QUERY);
    let mut session = session(driver);
    let mut written = 0;
    for _ in 0..count {
        let query = Query::new(BULK_QUERY).param("rows", rows);
        let n: i64 = session.run(query).await?.single().await?.get_as("n")?;
        written += n;
    }
    Ok(written)
}

async fn return_one(driver: &Driver, count: u64) -> Result<i64> {
    let mut session = session(driver);
    for _ in 0..count {
        session.run(RETURN_ONE_QUERY).await?.consume().await?;
    }
    Ok(count as i64)
}

async fn write_transactions(session: &mut Session, first: u64, count: u64) -> Result<i64> {
    for id in first..first + count {
        session
            .execute_write(async move |tx| {
                let query = Query::new(CREATE_QUERY)
                    .param("id", id as i64)
                    .param("name", format!("item-{id:08}"));
                tx.run(query).await?.consume().await?;
                Ok(())
            })
            .await?;
    }
    Ok(count as i64)
}

async fn concurrent_transactions(driver: &Driver) -> Result<i64> {
    let mut tasks = Vec::new();
    let mut first = 0;
    for index in 0..W4_SESSIONS {
        let share = w4_share(index);
        let driver = driver.clone();
        tasks.push(tokio::spawn(async move {
            let mut session = session(&driver);
            write_transactions(&mut session, first, share).await
        }));
        first += share;
    }
    let mut total = 0;
    for task in tasks {
        total += task.await??;
    }
    Ok(total)
}

/// W7: every task alternates an auto-commit query and a write
/// transaction, each in a session of its own (sessions hold a connection
/// while they work; 64 tasks share 16).
async fn many_tasks(driver: &Driver) -> Result<(i64, Vec<u32>)> {
    let mut tasks = Vec::new();
    for task in 0..W7_TASKS {
        let driver = driver.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(W7_OPS_PER_TASK as usize);
            for op in 0..W7_OPS_PER_TASK {
                let started = Instant::now();
                let mut session = session(&driver);
                if op % 2 == 0 {
                    session.run(RETURN_ONE_QUERY).await?.consume().await?;
                } else {
                    write_transactions(&mut session, task * W7_OPS_PER_TASK + op, 1).await?;
                }
                session.close().await;
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
        Workload::W7 | Workload::W7Pipelined => W7_POOL_SIZE,
        _ => W4_SESSIONS as usize,
    };
    let config = DriverConfig::default()
        .with_max_connection_pool_size(pool)
        .with_pipelined_begin(args.workload.pipelined_begin());
    let driver = Driver::with_config(&args.uri(), AuthToken::basic(USER, PASSWORD), config)?;
    return_one(&driver, 10).await?;
    // The application's rows exist before the clock starts.
    let rows = match args.workload {
        Workload::W6 => items(),
        _ => Vec::new(),
    };
    let measurement = Measurement::start("ours", args.workload);
    let mut p99 = None;
    let check = match args.workload {
        Workload::W1 | Workload::W1Small => stream_rows(&driver, args.workload.rows()).await?,
        Workload::W1Borrowed => stream_borrowed_rows(&driver, args.workload.rows()).await?,
        Workload::W1Values => stream_values(&driver, args.workload.rows()).await?,
        Workload::W2 => return_one(&driver, args.workload.units()).await?,
        Workload::W3 | Workload::W3Pipelined => {
            write_transactions(&mut session(&driver), 0, args.workload.units()).await?
        }
        Workload::W4 => concurrent_transactions(&driver).await?,
        Workload::W5 => stream_graph(&driver, args.workload.rows()).await?,
        Workload::W6 => bulk_writes(&driver, &rows, args.workload.units()).await?,
        Workload::W7 | Workload::W7Pipelined => {
            let (ops, mut latencies) = many_tasks(&driver).await?;
            p99 = Some(p99_micros(&mut latencies));
            ops
        }
    };
    measurement.finish(check, p99);
    driver.close().await;
    Ok(())
}

fn main() -> Result<()> {
    let args = Args::from_env();
    let runtime = match args.workload {
        Workload::W4 | Workload::W7 | Workload::W7Pipelined => {
            tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?
        }
        _ => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?,
    };
    runtime.block_on(run(&args))
}
