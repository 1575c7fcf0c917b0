mod driver {
    pub use neo_runtime::*;
}

use driver::{ManagedTransaction, Result, unit_of_work};

#[unit_of_work(read, crate = "crate::driver")]
async fn count(_tx: &mut ManagedTransaction<'_>) -> Result<i64> {
    Ok(0)
}

fn main() {
    assert_eq!(count::CONFIG.mode(), driver::AccessMode::Read);
}
