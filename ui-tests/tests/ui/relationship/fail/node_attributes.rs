use neo_runtime::Relationship;

#[derive(Relationship)]
#[neo(label = "Person", rel_type = 3)]
struct Knows {
    #[neo(labels)]
    labels: Vec<String>,
    #[neo(start_id)]
    from: i64,
    #[neo(start_id)]
    from_again: i64,
}

fn main() {}
