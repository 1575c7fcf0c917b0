//! `#[queries(crate = "…")]`: generated code names the driver through
//! another path.

mod driver {
    pub use neo_runtime::*;
}

#[driver::queries(crate = "crate::driver")]
mod people {
    use crate::driver::Record;

    #[query("MATCH (p:Person) RETURN count(p) AS n")]
    pub fn count() -> Record;

    #[query("CALL { CREATE (:X) } IN TRANSACTIONS")]
    pub fn batch();
}

fn main() {
    let _ = people::count;
    let _ = people::batch;
}
