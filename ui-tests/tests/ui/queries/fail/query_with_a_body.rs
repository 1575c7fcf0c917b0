#[neo_runtime::queries]
mod people {
    #[query("RETURN 1 AS one")]
    pub fn one() -> neo_runtime::Record {
        unimplemented!()
    }
}

fn main() {}
