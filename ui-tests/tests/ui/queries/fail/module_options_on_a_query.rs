#[neo_runtime::queries]
mod people {
    #[query(crate = "my::neo_runtime", schema = "neo-schema.toml", "RETURN 1 AS one")]
    pub fn one() -> neo_runtime::Record;
}

fn main() {}
