//! The workloads through neo-runtime: `client-ours <workload> [host:port]`.

use std::time::Instant;

use harness::report;
use harness::workload::{
    Args, CREATE_QUERY, DATABASE, FETCH_SIZE, PASSWORD, RETURN_ONE_QUERY, ROWS_QUERY, USER,
    W4_SESSIONS, Workload, w4_share,
};
use neo_runtime::{AuthToken, Driver, DriverConfig, Query, Session, SessionConfig};

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

fn session(driver: &Driver) -> Session {
    driver.session(
        SessionConfig::default()
            .with_database(DATABASE)
            .with_fetch_size(FETCH_SIZE),
    )
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

async fn run(args: &Args) -> Result<()> {
    let config = DriverConfig::default().with_max_connection_pool_size(W4_SESSIONS as usize);
    let driver = Driver::with_config(&args.uri(), AuthToken::basic(USER, PASSWORD), config)?;
    return_one(&driver, 10).await?;
    let started = Instant::now();
    let check = match args.workload {
        Workload::W1 | Workload::W1Small => stream_rows(&driver, args.workload.rows()).await?,
        Workload::W2 => return_one(&driver, args.workload.units()).await?,
        Workload::W3 => write_transactions(&mut session(&driver), 0, args.workload.units()).await?,
        Workload::W4 => concurrent_transactions(&driver).await?,
    };
    report::print("ours", args.workload, started.elapsed(), check);
    driver.close().await;
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
