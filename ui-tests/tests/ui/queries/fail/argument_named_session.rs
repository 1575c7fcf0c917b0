#[neo_runtime::queries]
mod people {
    #[query("MATCH (s:Session {id: $session}) RETURN s.id AS id")]
    pub fn by_id(session: i64) -> Vec<neo_runtime::Record>;
}

fn main() {}
