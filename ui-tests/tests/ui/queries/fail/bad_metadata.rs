#[neo_runtime::queries]
mod people {
    #[query(metadata(app = "hr", app = "ops", tags = ["a"]), database = 1, "RETURN 1 AS one")]
    pub fn one() -> neo_runtime::Record;
}

fn main() {}
