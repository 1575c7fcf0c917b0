//! The floor client: `client-raw <workload> [host:port]`.

use std::time::Instant;

use harness::raw::RawClient;
use harness::report;
use harness::workload::{Args, W4_SESSIONS, Workload, w4_share};

fn main() -> std::io::Result<()> {
    let args = Args::from_env();
    let mut client = RawClient::connect(&args.address)?;
    client.return_one(10)?;
    let started = Instant::now();
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
    };
    report::print("raw", args.workload, started.elapsed(), check);
    Ok(())
}
