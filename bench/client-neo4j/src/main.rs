//! The workloads through the crates.io `neo4j` driver (blocking):
//! `client-neo4j <workload> [host:port]`.

// The closures return the driver's own (large) error type.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use harness::report::Measurement;
use harness::workload::{
    Args, BULK_QUERY, CREATE_QUERY, DATABASE, FETCH_SIZE, GRAPH_QUERY, Item, PASSWORD,
    RETURN_ONE_QUERY, ROWS_QUERY, USER, W4_SESSIONS, W7_OPS_PER_TASK, W7_POOL_SIZE, W7_TASKS,
    Workload, items, not_expressible, p99_micros, w4_share,
};
use neo4j::ValueReceive;
use neo4j::ValueSend;
use neo4j::driver::auth::AuthToken;
use neo4j::driver::record_stream::RecordStream;
use neo4j::driver::{ConnectionConfig, Driver, DriverConfig};
use neo4j::retry::ExponentialBackoff;
use neo4j::session::{Session, SessionConfig};
use neo4j::transaction::Transaction;
use neo4j::value_map;

#[global_allocator]
static ALLOCATOR: harness::alloc::Counting = harness::alloc::Counting;

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

/// The W5 node's properties.
#[derive(Debug)]
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

/// The W5 relationship's properties.
#[derive(Debug)]
#[allow(dead_code)]
struct Knows {
    since: i64,
    weight: f64,
}

fn take(properties: &mut HashMap<String, ValueReceive>, key: &str) -> Option<ValueReceive> {
    properties.remove(key)
}

impl Person {
    fn from_value(value: ValueReceive) -> Option<Person> {
        let mut node = value.try_into_node().ok()?;
        if !node.labels.iter().any(|l| l == "Person") {
            return None;
        }
        let p = &mut node.properties;
        Some(Person {
            name: take(p, "name")?.try_into_string().ok()?,
            email: take(p, "email")?.try_into_string().ok()?,
            city: take(p, "city")?.try_into_string().ok()?,
            age: take(p, "age")?.try_into_int().ok()?,
            born: take(p, "born")?.try_into_int().ok()?,
            score: take(p, "score")?.try_into_float().ok()?,
            height: take(p, "height")?.try_into_float().ok()?,
            tags: take(p, "tags")?
                .try_into_list()
                .ok()?
                .into_iter()
                .map(|t| t.try_into_string().ok())
                .collect::<Option<_>>()?,
        })
    }
}

impl Knows {
    fn from_value(value: ValueReceive) -> Option<Knows> {
        let mut relationship = value.try_into_relationship().ok()?;
        if relationship.type_ != "KNOWS" {
            return None;
        }
        let p = &mut relationship.properties;
        Some(Knows {
            since: take(p, "since")?.try_into_int().ok()?,
            weight: take(p, "weight")?.try_into_float().ok()?,
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

fn stream_graph(driver: &Driver, n: i64) -> Result<i64> {
    let mut session = driver.session(session_config());
    let sum = session
        .auto_commit(GRAPH_QUERY)
        .with_parameters(value_map!({ "n": n }))
        .with_receiver(|stream: &mut RecordStream| {
            let mut sum = 0;
            for record in stream {
                let mut values = record?.into_values();
                let person = values.next().and_then(Person::from_value);
                let knows = values.next().and_then(Knows::from_value);
                let (person, knows) = person.zip(knows).expect("a row of the expected shape");
                sum += person.age + knows.since;
            }
            Ok(sum)
        })
        .run()?;
    Ok(sum)
}

/// An item as the `neo4j` crate takes it: a map of values built field by
/// field (it has no serde path for parameters).
fn item_value(item: &Item) -> ValueSend {
    ValueSend::Map(HashMap::from([
        ("id".to_owned(), ValueSend::Integer(item.id)),
        ("name".to_owned(), ValueSend::String(item.name.clone())),
        ("score".to_owned(), ValueSend::Float(item.score)),
        ("active".to_owned(), ValueSend::Boolean(item.active)),
        (
            "category".to_owned(),
            ValueSend::String(item.category.clone()),
        ),
    ]))
}

fn bulk_writes(driver: &Driver, rows: &[Item], count: u64) -> Result<i64> {
    let mut session = driver.session(session_config());
    let mut written = 0;
    for _ in 0..count {
        let parameters = HashMap::from([(
            "rows".to_owned(),
            ValueSend::List(rows.iter().map(item_value).collect()),
        )]);
        written += session
            .auto_commit(BULK_QUERY)
            .with_parameters(parameters)
            .with_receiver(|stream: &mut RecordStream| {
                let record = stream.single().map_err(|e| format!("{e:?}"));
                let n = record
                    .ok()
                    .and_then(|r| r.ok())
                    .and_then(|r| r.into_values().next())
                    .and_then(|v| v.try_into_int().ok())
                    .expect("a count");
                Ok(n)
            })
            .run()?;
    }
    Ok(written)
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

/// W7: 64 threads (the crate is blocking) alternate a query and a write
/// transaction, each in a session of its own, over a pool of 16.
fn many_tasks(driver: &Arc<Driver>) -> Result<(i64, Vec<u32>)> {
    let mut threads = Vec::new();
    for task in 0..W7_TASKS {
        let driver = Arc::clone(driver);
        threads.push(std::thread::spawn(move || -> Result<Vec<u32>> {
            let mut latencies = Vec::with_capacity(W7_OPS_PER_TASK as usize);
            for op in 0..W7_OPS_PER_TASK {
                let started = Instant::now();
                if op % 2 == 0 {
                    return_one(&driver, 1)?;
                } else {
                    let mut session = driver.session(session_config());
                    write_transactions(&mut session, task * W7_OPS_PER_TASK + op, 1)?;
                }
                latencies.push(started.elapsed().as_micros() as u32);
            }
            Ok(latencies)
        }));
    }
    let mut latencies = Vec::new();
    for thread in threads {
        latencies.extend(thread.join().expect("a W7 thread panicked")?);
    }
    Ok((latencies.len() as i64, latencies))
}

fn main() -> Result<()> {
    let args = Args::from_env();
    if args.workload.ours_only() {
        not_expressible(
            "neo4j",
            args.workload,
            "a variant of neo-runtime's API; the base workload is this client's",
        );
    }
    let pool = match args.workload {
        Workload::W7 => W7_POOL_SIZE,
        _ => W4_SESSIONS as usize,
    };
    let connection = ConnectionConfig::try_from(args.uri().as_str())?;
    let config = DriverConfig::new()
        .with_auth(Arc::new(AuthToken::new_basic_auth(USER, PASSWORD)))
        .with_max_connection_pool_size(pool);
    let driver = Arc::new(Driver::new(connection, config));
    return_one(&driver, 10)?;
    // The application's rows exist before the clock starts.
    let rows = match args.workload {
        Workload::W6 => items(),
        _ => Vec::new(),
    };
    let measurement = Measurement::start("neo4j", args.workload);
    let mut p99 = None;
    let check = match args.workload {
        Workload::W1 | Workload::W1Small => stream_rows(&driver, args.workload.rows())?,
        Workload::W2 => return_one(&driver, args.workload.units())?,
        Workload::W3 => {
            let mut session = driver.session(session_config());
            write_transactions(&mut session, 0, args.workload.units())?
        }
        Workload::W4 => concurrent_transactions(&driver)?,
        Workload::W5 => stream_graph(&driver, args.workload.rows())?,
        Workload::W6 => bulk_writes(&driver, &rows, args.workload.units())?,
        Workload::W7 => {
            let (ops, mut latencies) = many_tasks(&driver)?;
            p99 = Some(p99_micros(&mut latencies));
            ops
        }
        variant @ (Workload::W1Borrowed
        | Workload::W1Values
        | Workload::W3Pipelined
        | Workload::W7Pipelined) => not_expressible("neo4j", variant, "left out above"),
    };
    measurement.finish(check, p99);
    Ok(())
}
