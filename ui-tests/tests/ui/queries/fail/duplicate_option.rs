#[neo_runtime::queries]
mod people {
    use neo_runtime::Record;

    #[query(timeout = 1, timeout = 2, "RETURN 1 AS one")]
    pub fn timeout_twice() -> Record;

    #[query(read, write, read, "RETURN 1 AS one")]
    pub fn modes() -> Record;

    #[query("RETURN 1 AS one", "RETURN 2 AS one")]
    pub fn two_texts() -> Record;

    #[query("RETURN 1 AS one", file = "one.cypher")]
    pub fn text_and_file() -> Record;
}

fn main() {}
