#[neo_runtime::queries]
mod people {
    #[query("RETURN 1 AS one", retries = 3)]
    pub fn one() -> neo_runtime::Record;
}

fn main() {}
