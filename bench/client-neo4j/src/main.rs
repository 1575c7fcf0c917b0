//! The workloads through the crates.io `neo4j` driver (blocking):
//! `client-neo4j <workload> [host:port]`.

// The closures return the driver's own (large) error type.
#![allow(clippy::result_large_err)]

use std::sync::Arc;
use std::time::Instant;

use harness::report;
use harness::workload::{
    Args, CREATE_QUERY, DATABASE, FETCH_SIZE, PASSWORD, RETURN_ONE_QUERY, ROWS_QUERY, USER,
    W4_SESSIONS, Workload, w4_share,
};
use neo4j::driver::auth::AuthToken;
use neo4j::driver::record_stream::RecordStream;
use neo4j::driver::{ConnectionConfig, Driver, DriverConfig};
use neo4j::retry::ExponentialBackoff;
use neo4j::session::{Session, SessionConfig};
use neo4j::transaction::Transaction;
use neo4j::value_map;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// One W1 row, decoded.
#[derive(Debug)]
#[allow(dead_code)]
struct Row {
    id: i64,
    name: String,
    score: f64,
    flag: bool,
}

impl Row {
    fn from_record(record: neo4j::driver::Record) -> Option<Row> {
        let mut values = record.into_values();
        Some(Row {
            id: values.next()?.try_into_int().ok()?,
            name: values.next()?.try_into_string().ok()?,
            score: values.next()?.try_into_float().ok()?,
            flag: values.next()?.try_into_bool().ok()?,
        })
    }
}

fn session_config() -> SessionConfig {
    SessionConfig::new()
        .with_database(Arc::new(DATABASE.to_owned()))
        .with_fetch_size(FETCH_SIZE as u64)
        .expect("a fetch size that fits i64")
}

fn stream_rows(driver: &Driver, n: i64) -> Result<i64> {
    let mut session = driver.session(session_config());
    let sum = session
        .auto_commit(ROWS_QUERY)
        .with_parameters(value_map!({ "n": n }))
        .with_receiver(|stream: &mut RecordStream| {
            let mut sum = 0;
            for record in stream {
                let row = Row::from_record(record?).expect("a row of the expected shape");
                sum += row.id;
            }
            Ok(sum)
        })
        .run()?;
    Ok(sum)
}

fn return_one(driver: &Driver, count: u64) -> Result<i64> {
    let mut session = driver.session(session_config());
    for _ in 0..count {
        session
            .auto_commit(RETURN_ONE_QUERY)
            .with_receiver(|stream: &mut RecordStream| stream.consume())
            .run()?;
    }
    Ok(count as i64)
}

fn write_transactions(session: &mut Session, first: u64, count: u64) -> Result<i64> {
    for id in first..first + count {
        session
            .transaction()
            .run_with_retry(ExponentialBackoff::default(), |tx: Transaction| {
                tx.query(CREATE_QUERY)
                    .with_parameters(value_map!({
                        "id": id as i64,
                        "name": format!("item-{id:08}"),
                    }))
                    .run()?
                    .consume()?;
                tx.commit()
            })
            .map_err(|error| format!("{error:?}"))?;
    }
    Ok(count as i64)
}

fn concurrent_transactions(driver: &Arc<Driver>) -> Result<i64> {
    let mut threads = Vec::new();
    let mut first = 0;
    for index in 0..W4_SESSIONS {
        let share = w4_share(index);
        let driver = Arc::clone(driver);
        threads.push(std::thread::spawn(move || {
            let mut session = driver.session(session_config());
            write_transactions(&mut session, first, share)
        }));
        first += share;
    }
    let mut total = 0;
    for thread in threads {
        total += thread.join().expect("a W4 thread panicked")?;
    }
    Ok(total)
}

fn main() -> Result<()> {
    let args = Args::from_env();
    let connection = ConnectionConfig::try_from(args.uri().as_str())?;
    let config = DriverConfig::new()
        .with_auth(Arc::new(AuthToken::new_basic_auth(USER, PASSWORD)))
        .with_max_connection_pool_size(W4_SESSIONS as usize);
    let driver = Arc::new(Driver::new(connection, config));
    return_one(&driver, 10)?;
    let started = Instant::now();
    let check = match args.workload {
        Workload::W1 | Workload::W1Small => stream_rows(&driver, args.workload.rows())?,
        Workload::W2 => return_one(&driver, args.workload.units())?,
        Workload::W3 => {
            let mut session = driver.session(session_config());
            write_transactions(&mut session, 0, args.workload.units())?
        }
        Workload::W4 => concurrent_transactions(&driver)?,
    };
    report::print("neo4j", args.workload, started.elapsed(), check);
    Ok(())
}
