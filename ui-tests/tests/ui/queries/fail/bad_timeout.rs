#[neo_runtime::queries]
mod people {
    use neo_runtime::Record;

    #[query(timeout = "soon", max_retry_time = -1, "RETURN 1 AS one")]
    pub fn one() -> Record;

    #[query(timeout = true, "RETURN 1 AS one")]
    pub fn two() -> Record;
}

fn main() {}
