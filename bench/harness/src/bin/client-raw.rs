//! The floor client: `client-raw <workload> [host:port]`.

use std::time::Instant;

use harness::raw::RawClient;
use harness::report::Measurement;
use harness::workload::{
    Args, W4_SESSIONS, W7_OPS_PER_TASK, W7_POOL_SIZE, W7_TASKS, Workload, not_expressible,
    p99_micros, w4_share,
};

#[global_allocator]
static ALLOCATOR: harness::alloc::Counting = harness::alloc::Counting;

/// W7's operations over `W7_POOL_SIZE` connections, one thread each,
/// alternating a one-round-trip query and a three-round-trip transaction;
/// returns the operations done and their latencies.
fn many_tasks(address: &str) -> std::io::Result<(u64, Vec<u32>)> {
    let total = W7_TASKS * W7_OPS_PER_TASK;
    let threads = W7_POOL_SIZE as u64;
    let handles: Vec<_> = (0..threads)
        .map(|index| {
            let address = address.to_owned();
            let share = total / threads + u64::from(index < total % threads);
            std::thread::spawn(move || -> std::io::Result<Vec<u32>> {
                let mut client = RawClient::connect(&address)?;
                let mut latencies = Vec::with_capacity(share as usize);
                for op in 0..share {
                    let started = Instant::now();
                    if op % 2 == 0 {
                        client.return_one(1)?;
                    } else {
                        client.write_transactions(1)?;
                    }
                    latencies.push(started.elapsed().as_micros() as u32);
                }
                Ok(latencies)
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(total as usize);
    for handle in handles {
        latencies.extend(handle.join().expect("a W7 thread panicked")?);
    }
    Ok((latencies.len() as u64, latencies))
}

fn main() -> std::io::Result<()> {
    let args = Args::from_env();
    if args.workload.ours_only() {
        not_expressible(
            "raw",
            args.workload,
            "the floor of a variant is its base workload's",
        );
    }
    let mut client = RawClient::connect(&args.address)?;
    client.return_one(10)?;
    let bulk = match args.workload {
        Workload::W6 => RawClient::bulk_request(),
        _ => Vec::new(),
    };
    let measurement = Measurement::start("raw", args.workload);
    let mut p99 = None;
    let check = match args.workload {
        Workload::W1 | Workload::W1Small => {
            // The floor decodes nothing: the check is the row count's sum.
            let rows = client.stream_rows(args.workload.rows())? as i64;
            harness::workload::expected_sum(rows)
        }
        Workload::W2 => client.return_one(args.workload.units())? as i64,
        Workload::W3 => client.write_transactions(args.workload.units())? as i64,
        Workload::W4 => {
            let handles: Vec<_> = (0..W4_SESSIONS)
                .map(|index| {
                    let address = args.address.clone();
                    std::thread::spawn(move || -> std::io::Result<u64> {
                        let mut client = RawClient::connect(&address)?;
                        client.write_transactions(w4_share(index))
                    })
                })
                .collect();
            let mut total = 0;
            for handle in handles {
                total += handle.join().expect("a W4 thread panicked")?;
            }
            total as i64
        }
        Workload::W5 => {
            // Nothing decoded: the check is what the rows are known to
            // hold, worked out once the clock has stopped.
            let rows = client.stream_graph(args.workload.rows())? as i64;
            measurement
                .stop()
                .print(harness::workload::w5_check(rows), None);
            return Ok(());
        }
        Workload::W6 => client.bulk_writes(&bulk, args.workload.units())?,
        Workload::W7 => {
            let (ops, mut latencies) = many_tasks(&args.address)?;
            p99 = Some(p99_micros(&mut latencies));
            ops as i64
        }
        variant @ (Workload::W1Borrowed
        | Workload::W1Values
        | Workload::W3Pipelined
        | Workload::W7Pipelined) => not_expressible("raw", variant, "left out above"),
    };
    measurement.finish(check, p99);
    Ok(())
}
