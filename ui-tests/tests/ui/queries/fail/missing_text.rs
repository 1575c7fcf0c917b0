#[neo_runtime::queries]
mod people {
    use neo_runtime::Record;

    #[query(read)]
    pub fn no_text() -> Record;

    #[query]
    pub fn bare() -> Record;

    pub fn no_attribute() -> Record;

    #[query("RETURN 1 AS one")]
    #[query("RETURN 2 AS one")]
    pub fn twice() -> Record;

    #[query("RETURN 1 AS one")]
    pub async fn already_async() -> Record;
}

fn main() {}
