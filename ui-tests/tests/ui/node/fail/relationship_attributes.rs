use neo_runtime::Node;

#[derive(Node)]
#[neo(rel_type = "KNOWS")]
struct Person {
    #[neo(start_id)]
    start: i64,
    #[neo(label = "x")]
    name: String,
}

fn main() {}
