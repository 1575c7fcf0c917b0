use neo_runtime::Node;

#[derive(Node)]
struct Person {
    #[neo(id)]
    id: i64,
    #[neo(id)]
    also_id: i64,
    #[neo(element_id, labels)]
    both: String,
    #[neo(labels, rename = "l")]
    labels: Vec<String>,
    #[neo(element_id, serde)]
    element_id: String,
}

fn main() {}
