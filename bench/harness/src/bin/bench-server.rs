//! The benchmark server: `bench-server [host:port]` (default 127.0.0.1:7687).

use std::net::TcpListener;

use harness::workload::{W1_ROWS, W1_SMALL_ROWS};

fn main() -> std::io::Result<()> {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:7687".to_owned());
    let listener = TcpListener::bind(&address)?;
    eprintln!("bench-server: listening on {}", listener.local_addr()?);
    harness::server::run(listener, &[W1_ROWS, W1_SMALL_ROWS])
}
