use neo_runtime::{Query, TransactionConfig};

/// In code a timeout's unit is written out: a bare number of seconds does
/// not compile (unlike `#[unit_of_work(timeout = 5)]`).
fn main() {
    let _ = Query::new("MATCH (n) RETURN n").with_timeout(5);
    let _ = TransactionConfig::default().with_timeout(1.5);
}
