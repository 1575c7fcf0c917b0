//! The benchmark server: `bench-server [host:port]` (default 127.0.0.1:7687).
//! With `BENCH_SERVER_VERIFY` set, it checks every map W6 sends (slower).

use std::net::TcpListener;

use harness::server::RowKind;
use harness::workload::{W1_ROWS, W1_SMALL_ROWS, W5_ROWS};

fn main() -> std::io::Result<()> {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:7687".to_owned());
    let listener = TcpListener::bind(&address)?;
    eprintln!("bench-server: listening on {}", listener.local_addr()?);
    harness::server::run(
        listener,
        &[
            (RowKind::Flat, W1_ROWS),
            (RowKind::Flat, W1_SMALL_ROWS),
            (RowKind::Graph, W5_ROWS),
        ],
        std::env::var_os("BENCH_SERVER_VERIFY").is_some(),
    )
}
